import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isOwned, Ledger, ownershipOf, parseLedger } from '../../src/deploy/ledger.js';
import { LedgerWriter, loadLedger, writeFileAtomically } from '../../src/deploy/ledger-store.js';

const A = 'a'.repeat(32);
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'aclc-ledger-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ledger', () => {
  it('records creates, forgets deletes, and round-trips through its file format', () => {
    const ledger = new Ledger();
    ledger.notePending(A, 'group', 'Eng', 'aclc~new~r1~1', '2025-01-01T00:00:00Z');
    ledger.recordCreated(A, 'group', 'g1', 'Eng', '2025-01-01T00:00:00Z', 'aclc~new~r1~1');
    ledger.recordCreated(A, 'app', 'a1', 'Wiki', '2025-01-01T00:00:00Z');
    ledger.forget(A, 'a1');
    const text = ledger.serialize();
    expect(JSON.parse(text)).toEqual({
      format: 'aclc-state',
      version: 1,
      accounts: {
        [A]: {
          objects: [{ kind: 'group', id: 'g1', name: 'Eng', created: '2025-01-01T00:00:00Z' }],
          pending: [],
        },
      },
    });
    const parsed = parseLedger(text).ledger as Ledger;
    expect(parsed.serialize()).toBe(text);
    const own = ownershipOf(parsed, A);
    expect(isOwned(own, 'group', { id: 'g1', name: 'x' })).toBe(true);
    expect(isOwned(own, 'group', { id: 'g2', name: 'Eng' })).toBe(false);
    expect(ownershipOf(undefined, A)).toEqual({ hasLedger: false, ids: new Set(), aliases: new Map() });
  });

  it('says what is wrong with a file that is not a ledger', () => {
    expect(parseLedger('{').error).toBe('not valid JSON');
    expect(parseLedger('{"format":"x"}').error).toBe('`format` is not `aclc-state`');
    expect(parseLedger('{"format":"aclc-state","version":2,"accounts":{}}').error).toBe(
      'unsupported version `2`',
    );
    expect(
      parseLedger(`{"format":"aclc-state","version":1,"accounts":{"${A}":{"objects":[{"kind":"user"}]}}}`)
        .error,
    ).toBe(`account \`${A}\` has an invalid entry`);
  });

  it('is written atomically, one write at a time, coalescing saves requested meanwhile', async () => {
    const dir = tmp();
    const path = join(dir, '.aclc', 'state.json');
    const ledger = new Ledger();
    const writer = new LedgerWriter(path, ledger);
    ledger.recordCreated(A, 'group', 'g1', 'one', 't');
    const first = writer.save();
    ledger.recordCreated(A, 'group', 'g2', 'two', 't');
    const second = writer.save();
    ledger.recordCreated(A, 'group', 'g3', 'three', 't');
    const third = writer.save();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(writer.writes).toBe(2);
    const loaded = await loadLedger(path);
    expect([...(loaded.ledger as Ledger).ownedIds(A)].sort()).toEqual(['g1', 'g2', 'g3']);
    expect(readdirSync(join(dir, '.aclc'))).toEqual(['state.json']);
  });

  it('reports a missing file as no ledger and a broken one as an error', async () => {
    const dir = tmp();
    expect(await loadLedger(join(dir, 'none.json'))).toEqual({});
    writeFileSync(join(dir, 'bad.json'), 'garbage');
    expect(await loadLedger(join(dir, 'bad.json'))).toEqual({ error: 'not valid JSON' });
    await writeFileAtomically(join(dir, 'sub', 'f.txt'), 'hello');
    expect(readFileSync(join(dir, 'sub', 'f.txt'), 'utf8')).toBe('hello');
  });
});
