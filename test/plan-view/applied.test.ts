import { describe, expect, it, vi } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { readingIndicator } from '../../src/cli/progress.js';
import { appliedHash } from '../../src/deploy/applied.js';
import { Ledger, parseLedger } from '../../src/deploy/ledger.js';

/** The ledger's applied hashes (how a plan tells a dashboard edit from a code change) and the reading indicator. */

describe('applied hashes', () => {
  const group = {
    id: 'g1',
    name: 'Eng',
    include: [{ email_domain: { domain: 'Example.com' } }],
    exclude: [],
    require: [],
  };

  it('hash the canonical form: computed fields, rule order and spelling do not count, content does', () => {
    const same = {
      ...group,
      created_at: '2025-01-01T00:00:00Z',
      include: [{ email_domain: { domain: 'example.com' } }],
    };
    expect(appliedHash('group', same)).toBe(appliedHash('group', group));
    const changed = { ...group, include: [{ email_domain: { domain: 'gmail.com' } }] };
    expect(appliedHash('group', changed)).not.toBe(appliedHash('group', group));
    const app = { id: 'a', name: 'Wiki', domain: 'wiki.example.com', policies: [{ id: 'p', precedence: 1 }] };
    const relinked = { ...app, policies: [{ id: 'p', precedence: 2 }] };
    expect(appliedHash('app', relinked)).not.toBe(appliedHash('app', app));
  });

  it('travel with the ledger file and go when the object is forgotten', () => {
    const ledger = new Ledger();
    ledger.recordCreated('acc', 'group', 'g1', 'Eng', '2025-01-01T00:00:00Z');
    ledger.noteApplied('acc', 'g1', appliedHash('group', group));
    const back = parseLedger(ledger.serialize()).ledger;
    expect(back?.applied('acc', 'g1')).toBe(appliedHash('group', group));
    back?.forget('acc', 'g1');
    expect(back?.applied('acc', 'g1')).toBeUndefined();
    // Without hashes the file reads as before (older ledgers have none).
    expect(JSON.parse(back?.serialize() ?? '{}').accounts.acc).toEqual({ objects: [], pending: [] });
    // Values that are not strings are dropped, not trusted.
    const odd = parseLedger(
      JSON.stringify({
        format: 'aclc-state',
        version: 1,
        accounts: { acc: { objects: [], pending: [], applied: { g1: 7, g2: 'sha256:x' } } },
      }),
    ).ledger;
    expect([odd?.applied('acc', 'g1'), odd?.applied('acc', 'g2')]).toEqual([undefined, 'sha256:x']);
  });
});

describe('the reading indicator', () => {
  const io = (tty: boolean) => {
    const err: string[] = [];
    const value: Io = {
      out: () => {},
      err: (t) => err.push(t),
      stdoutIsTTY: tty,
      stderrIsTTY: tty,
      env: {},
      cwd: '.',
    };
    return { value, err };
  };

  it('turns on a terminal and erases itself', () => {
    vi.useFakeTimers();
    try {
      const { value, err } = io(true);
      const reading = readingIndicator(value);
      vi.advanceTimersByTime(250);
      reading.stop();
      vi.advanceTimersByTime(500);
      expect(err.length).toBe(4); // drawn at once, twice more, then erased; nothing after stop
      expect(err[0]).toContain('reading the account…');
      expect(err.at(-1)).toBe('\r\u001b[2K');
    } finally {
      vi.useRealTimers();
    }
  });

  it('says nothing off a terminal (CI logs) or when diagnostics are JSON', () => {
    const plain = io(false);
    readingIndicator(plain.value).stop();
    const json = io(true);
    readingIndicator(json.value, true).stop();
    expect([plain.err, json.err]).toEqual([[], []]);
  });
});
