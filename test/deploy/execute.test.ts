import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executePlan, stagedApp, substitute } from '../../src/deploy/execute.js';
import { Ledger } from '../../src/deploy/ledger.js';
import { reconcileLedger } from '../../src/deploy/reconcile.js';
import { EmulatedAccount } from './emulated-account.js';
import { ACCOUNT, applyText, FakeAccount, FakeApiError, planAgainst } from './helpers.js';

const project = (policies: string[], apps: string[]) =>
  [
    'group "Eng" = email_domain("eng.example.com")',
    'group "Ops" = group("Eng") or country("DE")',
    ...policies,
    ...apps,
  ].join('\n');

const ALL_POLICIES = [
  'policy "Block" deny if country("KP")',
  'policy "Eng" allow if group("Eng") and auth_method("mfa")',
  'policy "Ops" allow if group("Ops") or (email("a@example.com") and not country("FR"))',
];
const ALL_APPS = [
  'app "Wiki" {\n  domain "wiki.example.com"\n  use "Block"\n  use "Eng"\n}',
  'app "Grafana" {\n  domain "grafana.example.com"\n  use "Ops"\n  allow "Me" if email("me@example.com")\n}',
  'app "Docs" {\n  domain "docs.example.com"\n  use "Eng"\n  use "Block" precedence 5\n}',
];

describe('executePlan', () => {
  it('creates dependencies before the objects that use them, a few at a time', async () => {
    const account = new FakeAccount();
    const order: string[] = [];
    account.fail = (op) => {
      order.push(op);
      return undefined;
    };
    const { result } = await applyText(account, project(ALL_POLICIES, ALL_APPS), { concurrency: 4 });
    expect(result.failure).toBeUndefined();
    expect(result.completed).toBe(result.total);
    const firstApp = order.indexOf('create apps');
    const lastPolicy = order.lastIndexOf('create policies');
    expect(lastPolicy).toBeLessThan(firstApp);
    expect(order.indexOf('create groups')).toBe(0);
    expect(account.counts()).toEqual({ groups: 3, policies: 4, apps: 3 });
    expect(account.names('groups').filter((n) => n.startsWith('aclc~'))).toHaveLength(1);
  });

  it('stops at the first failure, and the next apply converges without duplicates', async () => {
    const account = new FakeAccount();
    const text = project(ALL_POLICIES, ALL_APPS);
    let n = 0;
    account.fail = () => (++n === 4 ? 'before' : undefined);
    const ledger = new Ledger();
    const first = await applyText(account, text, { ledger, concurrency: 1 });
    expect(first.result.failure?.error).toBeInstanceOf(FakeApiError);
    // A create is two calls (under its marker, then the rename): the 4th call is the second create's rename.
    expect(first.result.completed).toBe(1);
    account.fail = () => undefined;
    const second = await applyText(account, text, { ledger });
    expect(second.result.failure).toBeUndefined();
    expect(account.counts()).toEqual({ groups: 3, policies: 4, apps: 3 });
    expect(account.names('groups').filter((n) => n.startsWith('aclc~'))).toHaveLength(1);
    expect((await planAgainst(account, text, { ledger })).plan.changes).toEqual([]);
  });

  it('records a create whose answer was lost as aclc’s through the marker it was created under', async () => {
    const account = new FakeAccount();
    const text = project(ALL_POLICIES.slice(0, 1), []);
    account.fail = (op) => (op === 'create groups' ? 'after' : undefined);
    const ledger = new Ledger();
    const first = await applyText(account, text, { ledger, concurrency: 1 });
    expect(first.result.failure).toBeDefined();
    expect(account.counts().groups).toBe(1);
    expect(ledger.ownedIds(ACCOUNT).size).toBe(0);
    expect(ledger.pending(ACCOUNT).map((p) => `${p.kind}:${p.name}`)).toEqual([
      'group:Eng',
      'group:Ops',
      'policy:Block',
    ]);
    // The object exists under its marker name, which only this apply can have chosen.
    const marker = ledger.pending(ACCOUNT)[0]?.marker as string;
    expect(account.names('groups')).toEqual([marker]);

    account.fail = () => undefined;
    const live = await account.live();
    const reconciled = reconcileLedger(ledger, ACCOUNT, live, new Date('2025-01-01T00:10:00Z'));
    expect(reconciled.adopted.map((a) => a.name)).toEqual(['Eng']);
    expect([...ledger.ownedIds(ACCOUNT)]).toEqual([...account.data.groups.keys()]);
    expect(ledger.pending(ACCOUNT).map((p) => p.name)).toEqual(['Ops', 'Block']);
    // The next plan renames it to its declared name instead of creating it again.
    const next = await planAgainst(account, text, { ledger });
    expect(next.plan.changes.find((c) => c.name === 'Eng')?.action).toBe('update');
    await applyText(account, text, { ledger });
    expect(account.counts()).toEqual({ groups: 2, policies: 1, apps: 0 });
    expect(account.names('groups')).toEqual(['Eng', 'Ops']);
  });

  it('retries an app reorder the API refuses with 12130 through a free precedence range', async () => {
    const account = new FakeAccount();
    const before =
      'policy "A" allow if email("a@example.com")\npolicy "B" deny if country("KP")\napp "X" {\n  domain "x.example.com"\n  use "A"\n  use "B"\n}';
    await applyText(account, before);
    const after = before.replace('use "A"\n  use "B"', 'use "B"\n  use "A"');
    const sent: unknown[] = [];
    const update = account.apps.update;
    let refused = false;
    account.apps.update = (id: string, body: never) => {
      sent.push((body as { policies: unknown }).policies);
      if (!refused) {
        refused = true;
        return Promise.reject(
          new FakeApiError('access.api.error.invalid_request: policy precedences must be unique', [12130]),
        );
      }
      return update(id, body);
    };
    const { result, plan } = await applyText(account, after);
    expect(result.failure).toBeUndefined();
    const [a, b] = [...account.data.policies.keys()];
    expect(sent).toEqual([
      [
        { id: b, precedence: 1 },
        { id: a, precedence: 2 },
      ],
      [
        { id: b, precedence: 1002 },
        { id: a, precedence: 1003 },
      ],
      [
        { id: b, precedence: 1 },
        { id: a, precedence: 2 },
      ],
    ]);
    expect(plan.changes.map((c) => c.key)).toEqual(['app:X']);
  });

  it('never sends an app without a policy list', async () => {
    const account = new FakeAccount();
    const { plan } = await planAgainst(
      account,
      'app "X" {\n  domain "x.example.com"\n  allow "A" if email("a@example.com")\n}',
    );
    const app = plan.changes.find((c) => c.kind === 'app');
    if (app?.action === 'create') delete (app.body as { policies?: unknown }).policies;
    const result = await executePlan(plan, account, {
      accountId: ACCOUNT,
      ledger: new Ledger(),
      saveLedger: async () => undefined,
    });
    expect(String(result.failure?.error)).toContain('refusing to send an app without a `policies` list');
    expect(account.counts().apps).toBe(0);
  });

  it('substitutes the ids of objects created earlier in the run', () => {
    const body = {
      name: 'P',
      decision: 'allow' as const,
      include: [{ group: { id: '$ref:group:Eng' } }],
      exclude: [],
      require: [],
    };
    expect(substitute(body, new Map([['group:Eng', 'g1']]))).toEqual({
      ...body,
      include: [{ group: { id: 'g1' } }],
    });
    expect(() => substitute(body, new Map())).toThrow('unresolved reference `$ref:group:Eng`');
    expect(
      stagedApp({
        name: 'X',
        type: 'self_hosted',
        domain: 'x',
        policies: [
          { id: 'a', precedence: 7 },
          { id: 'b', precedence: 2 },
        ],
      }).policies,
    ).toEqual([
      { id: 'a', precedence: 1007 },
      { id: 'b', precedence: 1008 },
    ]);
  });

  it('converges from any interruption, for any sequence of code versions, against the faithful emulator (property)', async () => {
    const version = fc.record({
      policies: fc.subarray(ALL_POLICIES, { minLength: 3 }),
      apps: fc.subarray(ALL_APPS),
      prune: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(version, { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.constantFrom<'before' | 'after' | undefined>('before', 'after', undefined, undefined, undefined),
          { minLength: 5, maxLength: 30 },
        ),
        async (versions, drawn) => {
          // A fault is always followed by a success, so every apply gets further than the last one.
          const faults = drawn.flatMap((f) => [f, undefined]);
          const account = new EmulatedAccount();
          const ledger = new Ledger();
          let i = 0;
          account.fail = () => faults[i++ % faults.length];
          for (const v of versions) {
            const text = project(v.policies, v.apps);
            for (let attempt = 0; attempt < 40; attempt++) {
              const { result } = await applyText(account, text, { ledger, prune: v.prune });
              if (!result.failure) break;
            }
            account.fail = () => undefined;
            const after = await planAgainst(account, text, { ledger, prune: v.prune });
            expect(after.plan.changes).toEqual([]);
            // No duplicates: every name exists once.
            for (const kind of ['groups', 'policies', 'apps'] as const) {
              const names = account.names(kind);
              expect(new Set(names).size).toBe(names.length);
            }
            account.fail = () => faults[i++ % faults.length];
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
