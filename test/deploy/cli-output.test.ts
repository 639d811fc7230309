import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { createProgress } from '../../src/cli/progress.js';
import { PLAIN } from '../../src/cli/render/human.js';
import { renderPlan, summaryLine } from '../../src/cli/render/plan.js';
import type { Change, Plan } from '../../src/deploy/plan.js';
import { collectionsFor, ledgerPath, parseRateLimitText } from '../../src/deploy/workflow.js';
import { compileText } from './helpers.js';

/** Tests of the CLI-facing pieces of deploy: the plan renderer, progress lines, and the workflow helpers. */

const plan = (changes: Change[], kept: Plan['kept'] = []): Plan => {
  const summary = { create: 0, update: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  return {
    format: 'aclc-plan',
    version: 1,
    accountId: 'a',
    fingerprint: 'sha256:x',
    prune: false,
    reads: [],
    changes,
    summary,
    kept,
  };
};

describe('renderPlan', () => {
  it('prints creates, field-level updates and deletes, then the summary line', () => {
    const text = renderPlan(
      plan([
        {
          action: 'create',
          kind: 'group',
          name: 'Eng',
          key: 'group:Eng',
          phase: 0,
          after: [],
          body: { name: 'Eng', include: [{ everyone: {} }], exclude: [], require: [] },
        },
        {
          action: 'update',
          kind: 'policy',
          name: 'Block',
          key: 'policy:Block',
          phase: 0,
          after: [],
          id: 'p1',
          body: { name: 'Block', decision: 'deny', include: [], exclude: [], require: [] },
          diff: [
            {
              field: 'include',
              added: [{ geo: { country_code: 'IR' } }],
              removed: [{ geo: { country_code: 'KP' } }],
            },
            { field: 'session_duration', before: '8h', after: '2h' },
            { field: 'purpose_justification_prompt', before: 'Why?' },
          ],
        },
        {
          action: 'delete',
          kind: 'group',
          name: 'aclc~0123456789ab',
          key: 'delete:group:g9',
          phase: 3,
          after: [],
          id: 'g9',
          synthesized: true,
        },
      ]),
      PLAIN,
    );
    expect(text).toBe(
      [
        'aclc will perform the following actions:',
        '',
        '  # group "Eng" will be created',
        '  + group "Eng" {',
        '      + include: [{"everyone":{}}]',
        '      + exclude: []',
        '      + require: []',
        '    }',
        '',
        '  # policy "Block" will be updated in place',
        '  ~ policy "Block" (id p1) {',
        '      ~ include:',
        '          - {"geo":{"country_code":"KP"}}',
        '          + {"geo":{"country_code":"IR"}}',
        '      ~ session_duration: "8h" → "2h"',
        '      - purpose_justification_prompt: "Why?" → (default)',
        '    }',
        '',
        '  # group "aclc~0123456789ab" (synthesized) will be deleted',
        '  - group "aclc~0123456789ab" (synthesized) (id g9)',
        '',
        'Plan: 1 to create, 1 to update, 1 to delete.',
        '',
      ].join('\n'),
    );
  });

  it('says when nothing changes, and lists what it keeps', () => {
    const p = plan([], [{ kind: 'policy', name: 'Old', id: 'p9', reason: 'not-pruned' }]);
    expect(summaryLine(p)).toBe('No changes. The account matches the code.');
    expect(renderPlan(p, PLAIN)).toBe(
      '1 object(s) aclc created are no longer in the code; kept (--prune deletes them):\n  policy "Old" (id p9)\n\nNo changes. The account matches the code.\n',
    );
  });
});

describe('createProgress', () => {
  const change: Change = {
    action: 'create',
    kind: 'app',
    name: 'Wiki',
    key: 'app:Wiki',
    phase: 0,
    after: [],
    body: { name: 'Wiki', type: 'self_hosted', domain: 'w', policies: [] },
  };
  const capture = (tty: boolean) => {
    let err = '';
    const io: Io = {
      out: () => undefined,
      err: (t) => {
        err += t;
      },
      stdoutIsTTY: tty,
      stderrIsTTY: tty,
      env: {},
      cwd: '.',
    };
    return { io, text: () => err };
  };

  it('prints one plain line per finished change when not on a terminal', () => {
    const { io, text } = capture(false);
    const p = createProgress(io, 12);
    p.onEvent({ type: 'start', change, index: 1, total: 12 });
    p.onEvent({ type: 'done', change, id: 'a1', completed: 3, total: 12, ms: 7 });
    p.onEvent({ type: 'failed', change, error: new Error('x'), completed: 3, total: 12 });
    p.finish();
    expect(text()).toBe('[ 3/12] created app "Wiki" (id a1, 7 ms)\n[ 3/12] failed to create app "Wiki"\n');
  });

  it('redraws a bar in place on a terminal', () => {
    const { io, text } = capture(true);
    const p = createProgress(io, 2);
    p.onEvent({ type: 'start', change, index: 1, total: 2 });
    p.onEvent({ type: 'done', change, id: 'a1', completed: 1, total: 2, ms: 7 });
    p.finish();
    expect(text()).toBe(
      `\r\u001b[2K${'░'.repeat(24)} 0/2 creating app "Wiki"\r\u001b[2K${'█'.repeat(12)}${'░'.repeat(12)} 1/2 creating app "Wiki"\n`,
    );
  });
});

describe('workflow helpers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aclc-wf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses rate limits', () => {
    expect(parseRateLimitText('1200/300s')).toEqual({ requests: 1200, windowMs: 300_000 });
    expect(parseRateLimitText('10/500ms')).toEqual({ requests: 10, windowMs: 500 });
    expect(parseRateLimitText('5/2m')).toEqual({ requests: 5, windowMs: 120_000 });
    expect(parseRateLimitText('5 per second')).toBeUndefined();
    expect(parseRateLimitText('0/1s')).toBeUndefined();
  });

  it('puts the ledger in the project folder unless told otherwise', () => {
    mkdirSync(join(dir, 'proj'));
    writeFileSync(join(dir, 'proj', 'a.acl'), '');
    expect(ledgerPath(['proj'], dir)).toBe(join(dir, 'proj', '.aclc', 'state.json'));
    expect(ledgerPath(['proj/a.acl'], dir)).toBe(join(dir, 'proj', '.aclc', 'state.json'));
    expect(ledgerPath([], dir)).toBe(join(dir, '.aclc', 'state.json'));
    expect(ledgerPath(['proj'], dir, 'elsewhere/s.json')).toBe(join(dir, 'elsewhere', 's.json'));
  });

  it('reads only the account collections the code refers to', () => {
    expect(collectionsFor(compileText('policy "P" allow if email("a@example.com")').document)).toEqual([]);
    const text =
      'idp okta: okta = "Okta"\npolicy "P" allow if okta_group(okta, "x") and (email_list("L") or device_posture("D"))';
    expect(collectionsFor(compileText(text).document)).toEqual(['idps', 'lists', 'postureRules']);
  });
});
