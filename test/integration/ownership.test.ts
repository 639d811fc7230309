import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planDigest } from '../../src/deploy/saved-plan.js';
import { Account, aclc, BASE, closeAfterEach, Project, SEED } from './harness.js';

/**
 * Issue 14, items 2 and 3, and issue 13's ledger item, over real HTTP against the emulator: ownership is proved by
 * identity (an id in the ledger, or the marker an object was created under), never by a name; a saved plan is
 * checked against the same rules before it runs.
 */

const open = closeAfterEach();

const POLICY = {
  decision: 'allow',
  include: [{ email: { email: 'x@example.com' } }],
  exclude: [],
  require: [],
};

async function setup(seed: Record<string, unknown[]> = {}) {
  const account = await Account.start({ seed: { ...SEED, ...seed } });
  const project = new Project().write('main.acl', BASE);
  open.push({ account, project });
  return { account, project, env: account.env(), dir: project.dir };
}

function writeLedger(
  dir: string,
  accountId: string,
  body: { objects?: unknown[]; pending?: unknown[] },
): void {
  mkdirSync(join(dir, '.aclc'), { recursive: true });
  const doc = {
    format: 'aclc-state',
    version: 1,
    accounts: { [accountId]: { objects: [], pending: [], ...body } },
  };
  writeFileSync(join(dir, '.aclc', 'state.json'), JSON.stringify(doc));
}

const ledgerOf = (dir: string, accountId: string) =>
  JSON.parse(readFileSync(join(dir, '.aclc', 'state.json'), 'utf8')).accounts[accountId];

describe('ownership is proved by identity, never by name', () => {
  it('a pending create that never reached the API does not make a hand-made policy of that name aclc’s', async () => {
    const { account, env, dir } = await setup({ policies: [{ name: 'Stranger', ...POLICY }] });
    const now = new Date().toISOString();
    writeLedger(dir, account.emu.accountId, {
      pending: [
        { kind: 'policy', name: 'Stranger', marker: 'aclc~new~deadbeef~1', noted: now },
        // The format earlier versions wrote: a kind and a name, no marker.
        { kind: 'policy', name: 'Stranger' },
      ],
    });
    const r = await aclc(['apply', '.', '--prune', '--auto-approve'], env, dir);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('Stranger');
    expect(account.names('policies')).toContain('Stranger');
  });

  it('never prunes a hand-made group named like a synthesized one (`aclc~…`)', async () => {
    const { account, env, dir } = await setup({
      groups: [{ name: 'aclc~0123456789ab', include: [{ everyone: {} }], exclude: [], require: [] }],
    });
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    const r = await aclc(['apply', '.', '--prune', '--auto-approve'], env, dir);
    expect(r.code).toBe(0);
    expect(account.names('groups')).toContain('aclc~0123456789ab');
  });

  it('finds an object created just before a kill -9 by its marker, owns it, and prunes it once undeclared', async () => {
    // What a killed apply leaves: the object exists under its marker name, the ledger has only the pending entry.
    const marker = 'aclc~new~0badc0ffee00~3';
    const { account, project, env, dir } = await setup({ policies: [{ name: marker, ...POLICY }] });
    writeLedger(dir, account.emu.accountId, {
      pending: [{ kind: 'policy', name: 'Orphan', marker, noted: new Date().toISOString() }],
    });
    project.write('main.acl', `${BASE}\npolicy "Orphan" allow if email("x@example.com")\n`);
    const first = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(first.code).toBe(0);
    // Renamed to its declared name, not created a second time.
    expect(account.names('policies').filter((n) => n === 'Orphan' || n === marker)).toEqual(['Orphan']);
    const id = account.emu.state().policies.find((p) => p.name === 'Orphan')?.id;
    expect(ledgerOf(dir, account.emu.accountId).objects.map((o: { id: string }) => o.id)).toContain(id);

    // Removed from the code: it is aclc's, so --prune deletes it.
    project.write('main.acl', BASE);
    const pruned = await aclc(['apply', '.', '--prune', '--auto-approve'], env, dir);
    expect(pruned.code).toBe(0);
    expect(account.names('policies')).not.toContain('Orphan');
  });

  it('forgets ledger entries of objects that no longer exist', async () => {
    const { account, env, dir } = await setup();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    const ledger = ledgerOf(dir, account.emu.accountId);
    ledger.objects.push({
      kind: 'app',
      id: '11111111-2222-4333-8444-555555555555',
      name: 'Gone',
      created: '',
    });
    writeLedger(dir, account.emu.accountId, ledger);
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    expect(ledgerOf(dir, account.emu.accountId).objects.map((o: { name: string }) => o.name)).not.toContain(
      'Gone',
    );
  });
});

describe('saved plans', () => {
  async function savedPlan() {
    const ctx = await setup({ policies: [{ name: 'Hand made', ...POLICY }] });
    expect((await aclc(['apply', '.', '--auto-approve'], ctx.env, ctx.dir)).code).toBe(0);
    expect((await aclc(['plan', '.', '--prune', '--out', 'plan.json'], ctx.env, ctx.dir)).code).toBe(0);
    const plan = JSON.parse(readFileSync(join(ctx.dir, 'plan.json'), 'utf8'));
    const victim = ctx.account.emu.state().policies.find((p) => p.name === 'Hand made');
    plan.changes.push({
      action: 'delete',
      kind: 'policy',
      name: 'Hand made',
      key: `delete:policy:${victim?.id}`,
      phase: 2,
      id: victim?.id,
      after: [],
    });
    plan.summary.delete++;
    return { ...ctx, plan };
  }

  it('refuses a plan whose content does not match its digest', async () => {
    const { account, env, dir, plan } = await savedPlan();
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const mark = account.mark();
    const r = await aclc(['apply', 'plan.json', '--auto-approve'], env, dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[ACL0874]: the saved plan `plan.json` does not match its digest');
    expect(account.writesSince(mark)).toEqual([]);
    expect(account.names('policies')).toContain('Hand made');
  });

  it('refuses a hand-edited delete of an object aclc did not create, even with a recomputed digest', async () => {
    const { account, env, dir, plan } = await savedPlan();
    plan.digest = planDigest(plan);
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const mark = account.mark();
    const r = await aclc(['apply', 'plan.json', '--auto-approve'], env, dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[ACL0875]: the saved plan `plan.json` deletes policy `Hand made`');
    expect(r.err).toContain('aclc did not create it (its id is not in the state ledger)');
    expect(account.writesSince(mark)).toEqual([]);
    expect(account.names('policies')).toContain('Hand made');
  });

  it('refuses a hand-edited update that renames or rewrites another object', async () => {
    const { account, env, dir, plan } = await savedPlan();
    plan.changes.pop();
    plan.summary.delete--;
    const victim = account.emu.state().policies.find((p) => p.name === 'Hand made');
    plan.changes.push({
      action: 'update',
      kind: 'policy',
      name: 'Contractors',
      key: 'policy:Contractors',
      phase: 0,
      id: victim?.id,
      after: [],
      body: { name: 'Contractors', decision: 'allow', include: [{ everyone: {} }] },
      diff: [],
    });
    plan.digest = planDigest(plan);
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const r = await aclc(['apply', 'plan.json', '--auto-approve'], env, dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[ACL0875]');
    expect(r.err).toContain('the object with this id is `Hand made`, not the one the plan names');
  });

  it('applies an unedited saved plan', async () => {
    const { account, env, dir } = await setup();
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, dir)).code).toBe(0);
    const r = await aclc(['apply', 'plan.json', '--auto-approve'], env, dir);
    expect(r.code).toBe(0);
    expect(account.names('apps')).toEqual(['CI', 'Wiki']);
  });
});
