import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, Project, SEED, TOKEN } from './harness.js';

/**
 * Zero Trust lists declared in code (`list "…" = ip(…)`), applied to the emulator through the real CLI: created
 * before the rules that name them, their items changed in place (same id), deleted with `--prune` once nothing
 * names them; a plan after each apply shows no changes. Ownership is the state ledger's: take-overs need
 * `--adopt`, lists marked by an earlier aclc are reported, changes made outside aclc are shown, and a saved plan
 * is refused once a list's items changed.
 */

const open = closeAfterEach();

const app = (lists: string, rules: string) => `${lists}
app "CI webhooks" {
  domain "ci.example.com/webhooks"
${rules}
}
`;
const HOOKS = 'list "GitHub hooks" = ip("192.30.252.0/22", "185.199.108.0/22")';
const PEOPLE = 'list "People" = email("ana@contractor.example")';
const BOTH_RULES = `  bypass "Hooks" if ip_list("GitHub hooks")
  allow "People" if email_list("People")`;

interface StoredList {
  id: string;
  name: string;
  type: string;
  description?: string;
  items?: { value: string }[];
}
const lists = (account: Account): StoredList[] =>
  (account.emu.state().lists as unknown as StoredList[]).filter((l) => l.name !== 'Contractors');
const ledgerOf = (project: Project) =>
  JSON.parse(readFileSync(join(project.dir, '.aclc', 'state.json'), 'utf8')) as {
    accounts: Record<string, { objects: { kind: string; id: string; name: string }[]; applied?: object }>;
  };
const ledgerLists = (project: Project, account: Account) =>
  (ledgerOf(project).accounts[account.emu.accountId]?.objects ?? [])
    .filter((o) => o.kind === 'list')
    .map((o) => [o.name, o.id])
    .sort();
/** Changes a list's items as someone in the dashboard would. */
const patchList = (account: Account, id: string, change: object) =>
  fetch(`${account.emu.url}/accounts/${account.emu.accountId}/gateway/lists/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
const items = (l: StoredList | undefined) => (l?.items ?? []).map((i) => i.value).sort();

describe('lists as code against the emulator', () => {
  it('creates, changes the members of, and prunes a list; no changes after each apply', async () => {
    const account = await Account.start();
    const project = new Project().write('main.acl', app(`${HOOKS}\n${PEOPLE}`, BOTH_RULES));
    open.push({ account, project });
    const env = account.env();
    const noChanges = async (args: string[] = []) => {
      const again = await aclc(['plan', '.', '--detailed-exitcode', ...args], env, project.dir);
      expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);
    };

    const first = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(first.code).toBe(0);
    expect(first.out).toContain(
      '+ create IP list "GitHub hooks" with 2 item(s): 192.30.252.0/22, 185.199.108.0/22',
    );
    expect(first.out).toContain('Plan: 5 to create, 0 to update, 0 to delete.');
    expect(first.err).toMatch(/^list: created IP list "GitHub hooks" \(id [0-9a-f-]+\)$/m);
    const made = lists(account);
    expect(made.map((l) => [l.name, l.type]).sort()).toEqual([
      ['GitHub hooks', 'IP'],
      ['People', 'EMAIL'],
    ]);
    const hooks = made.find((l) => l.name === 'GitHub hooks') as StoredList;
    expect(items(hooks)).toEqual(['185.199.108.0/22', '192.30.252.0/22']);
    // Owned by the ledger, not by a description: the description stays the user's (none).
    expect(made.map((l) => l.description)).toEqual([undefined, undefined]);
    const people = made.find((l) => l.name === 'People') as StoredList;
    expect(ledgerLists(project, account)).toEqual([
      ['GitHub hooks', hooks.id],
      ['People', people.id],
    ]);
    // The policy names the list by the id the create returned.
    const policy = account.emu.state().policies.find((p) => p.name === 'CI webhooks / Hooks');
    expect(JSON.stringify(policy?.include)).toBe(JSON.stringify([{ ip_list: { id: hooks.id } }]));
    await noChanges();

    // Imported back: the lists the rules name become `list` declarations, and the import plans to no changes.
    const imported = await aclc(['import', '--out', 'imported'], env, project.dir);
    expect(imported.code).toBe(0);
    // The proof found no identity the import decides differently for (how much the engine proves depends on load).
    expect(imported.out).toMatch(/checked: [01] of 1 app\(s\) decide as the account/);
    expect(imported.err).not.toContain('ACL0745');
    const listsFile = readFileSync(join(project.dir, 'imported', 'lists.acl'), 'utf8');
    expect(listsFile).toContain('list "GitHub hooks" = ip("192.30.252.0/22", "185.199.108.0/22")');
    expect(listsFile).toContain('list "People" = email("ana@contractor.example")');
    const replan = await aclc(['plan', 'imported', '--detailed-exitcode'], env, project.dir);
    expect([replan.code, replan.out]).toEqual([0, 'No changes. The account matches the code.\n']);
    rmSync(join(project.dir, 'imported'), { recursive: true });
    // Through an export: the managed lists keep their items.
    const exported = await aclc(['export', '--out', 'export.json'], env, project.dir);
    expect(exported.code).toBe(0);
    const fromExport = await aclc(['import', '--from', 'export.json', '--out', 'imported'], env, project.dir);
    expect(fromExport.code).toBe(0);
    expect(fromExport.err).not.toContain('ACL0745');
    expect(readFileSync(join(project.dir, 'imported', 'lists.acl'), 'utf8')).toBe(listsFile);
    rmSync(join(project.dir, 'imported'), { recursive: true });
    rmSync(join(project.dir, 'export.json'));

    project.write(
      'main.acl',
      app(`${HOOKS.replace('185.199.108.0/22', '140.82.112.0/20')}\n${PEOPLE}`, BOTH_RULES),
    );
    const second = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(second.code).toBe(0);
    expect(second.out).toContain(
      `~ update IP list "GitHub hooks" (id ${hooks.id})\n      + 140.82.112.0/20\n      - 185.199.108.0/22`,
    );
    expect(second.out).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    const changed = lists(account).find((l) => l.name === 'GitHub hooks');
    expect([changed?.id, items(changed)]).toEqual([hooks.id, ['140.82.112.0/20', '192.30.252.0/22']]);
    await noChanges();

    // Without --prune the list stays; with it, it goes in the same apply as the policy that named it.
    project.write('main.acl', app(PEOPLE, '  allow "People" if email_list("People")'));
    const kept = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(kept.code).toBe(0);
    expect(
      lists(account)
        .map((l) => l.name)
        .sort(),
    ).toEqual(['GitHub hooks', 'People']);
    const pruned = await aclc(['apply', '.', '--auto-approve', '--prune'], env, project.dir);
    expect(pruned.code).toBe(0);
    expect(pruned.out).toContain(`- delete IP list "GitHub hooks" (id ${hooks.id})`);
    expect(pruned.err).toContain(`list: deleted IP list "GitHub hooks" (id ${hooks.id})`);
    expect(lists(account).map((l) => l.name)).toEqual(['People']);
    expect(ledgerLists(project, account)).toEqual([['People', people.id]]);
    await noChanges(['--prune']);

    // Changed outside aclc: the plan says so, and the apply puts the code's items back.
    expect((await patchList(account, people.id, { append: [{ value: 'eve@example.com' }] })).status).toBe(
      200,
    );
    const drifted = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(drifted.code).toBe(0);
    expect(drifted.out).toContain(
      `~ update email list "People" (id ${people.id})\n      # its items changed outside aclc since aclc last applied it\n      - eve@example.com`,
    );
    await noChanges();
  });

  it('takes over a list made outside aclc only with --adopt, then owns it', async () => {
    const account = await Account.start();
    // The harness seeds an email list "Contractors" made outside aclc (no items).
    const project = new Project().write(
      'main.acl',
      app('list "Contractors" = email("a@example.com")', '  allow "C" if email_list("Contractors")'),
    );
    open.push({ account, project });
    const env = account.env();
    const contractors = SEED.lists[0] as { id: string };
    const plan = await aclc(['plan', '.'], env, project.dir);
    expect(plan.code).toBe(0);
    expect(plan.err).toContain(
      `warning[ACL0832]: list \`Contractors\` (${contractors.id}) exists in the account but was not created by aclc`,
    );
    expect(plan.err).toContain('main.acl:1:6');
    expect(plan.out).toContain(
      `~ update email list "Contractors" (id ${contractors.id})\n      # made outside aclc: taken over only with --adopt\n      + a@example.com`,
    );
    const mark = account.mark();
    const refused = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('error[ACL0832]: list `Contractors`');
    expect(account.writesSince(mark)).toEqual([]);

    const adopted = await aclc(['apply', '.', '--auto-approve', '--adopt'], env, project.dir);
    expect(adopted.code).toBe(0);
    expect(ledgerLists(project, account)).toEqual([['Contractors', contractors.id]]);
    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);
    // From now on it is aclc's: a change needs no --adopt.
    project.write(
      'main.acl',
      app('list "Contractors" = email("b@example.com")', '  allow "C" if email_list("Contractors")'),
    );
    const changed = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(changed.code).toBe(0);
    const stored = (account.emu.state().lists as unknown as StoredList[]).find(
      (l) => l.id === contractors.id,
    );
    expect(items(stored)).toEqual(['b@example.com']);
  });

  it('reports the lists an earlier aclc marked `managed by aclc` instead of taking them over or pruning them', async () => {
    const legacy = (id: string, name: string, value: string) => ({
      id,
      name,
      type: 'IP',
      description: 'managed by aclc',
      items: [{ value }],
    });
    const account = await Account.start({
      seed: {
        ...SEED,
        lists: [
          ...SEED.lists,
          legacy('c0ffee00-0000-4000-8000-0000000000a1', 'Office', '192.0.2.0/24'),
          legacy('c0ffee00-0000-4000-8000-0000000000a2', 'Old office', '198.51.100.0/24'),
        ],
      },
    });
    const project = new Project().write(
      'main.acl',
      app('list "Office" = ip("192.0.2.0/24")', '  allow "Office" if ip_list("Office")'),
    );
    open.push({ account, project });
    const env = account.env();
    const first = await aclc(['apply', '.', '--auto-approve', '--prune'], env, project.dir);
    expect(first.code).toBe(0);
    expect(first.err).toContain(
      'warning[ACL0680]: list `Office` carries the description `managed by aclc` of an earlier aclc, but the state ledger does not prove aclc created it',
    );
    expect(first.err).toContain(
      'warning[ACL0681]: list `Old office` (c0ffee00-0000-4000-8000-0000000000a2) carries the description `managed by aclc` of an earlier aclc; `--prune` does not delete it',
    );
    // Neither taken over nor deleted.
    expect(
      account.emu
        .state()
        .lists.map((l) => l.name)
        .sort(),
    ).toEqual(['Contractors', 'Office', 'Old office']);
    expect(ledgerLists(project, account)).toEqual([]);
    // `--adopt` records the matching list in the ledger, without writing it.
    const mark = account.mark();
    const adopted = await aclc(['apply', '.', '--auto-approve', '--adopt'], env, project.dir);
    expect(adopted.code).toBe(0);
    expect(adopted.out).toContain('# marked `managed by aclc` by an earlier aclc, not in the state ledger');
    expect(account.writesSince(mark)).toEqual([]);
    expect(ledgerLists(project, account)).toEqual([['Office', 'c0ffee00-0000-4000-8000-0000000000a1']]);
    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect([again.code, again.err, again.out]).toEqual([
      0,
      '',
      'No changes. The account matches the code.\n',
    ]);
  });

  it('refuses a saved plan once the items of a list it read changed', async () => {
    const account = await Account.start();
    const project = new Project().write(
      'main.acl',
      app(HOOKS, '  bypass "Hooks" if ip_list("GitHub hooks")'),
    );
    open.push({ account, project });
    const env = account.env();
    expect((await aclc(['apply', '.', '--auto-approve'], env, project.dir)).code).toBe(0);
    const hooks = lists(account).find((l) => l.name === 'GitHub hooks') as StoredList;
    project.write(
      'main.acl',
      app(
        HOOKS.replace('185.199.108.0/22', '140.82.112.0/20'),
        '  bypass "Hooks" if ip_list("GitHub hooks")',
      ),
    );
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, project.dir)).code).toBe(0);
    // Someone adds an item between plan and apply: the plan no longer describes the account.
    expect((await patchList(account, hooks.id, { append: [{ value: '203.0.113.0/24' }] })).status).toBe(200);
    const mark = account.mark();
    const stale = await aclc(['apply', 'plan.json', '--auto-approve'], env, project.dir);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('error[ACL0853]: the account changed since the plan was made');
    expect(account.writesSince(mark)).toEqual([]);
    // A fresh plan applies (and removes the stranger's item).
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, project.dir)).code).toBe(0);
    const fresh = await aclc(['apply', 'plan.json', '--auto-approve'], env, project.dir);
    expect(fresh.code).toBe(0);
    expect(items(lists(account).find((l) => l.name === 'GitHub hooks'))).toEqual([
      '140.82.112.0/20',
      '192.30.252.0/22',
    ]);
  });
});
