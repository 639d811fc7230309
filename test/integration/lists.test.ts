import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, Project } from './harness.js';

/**
 * Zero Trust lists declared in code (`list "…" = ip(…)`), applied to the emulator through the real CLI: created
 * before the rules that name them, their items changed in place (same id), deleted with `--prune` once nothing
 * names them; a plan after each apply shows no changes.
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
  (account.emu.state().lists as unknown as StoredList[]).filter((l) => l.description === 'managed by aclc');
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
    const made = lists(account);
    expect(made.map((l) => [l.name, l.type]).sort()).toEqual([
      ['GitHub hooks', 'IP'],
      ['People', 'EMAIL'],
    ]);
    const hooks = made.find((l) => l.name === 'GitHub hooks') as StoredList;
    expect(items(hooks)).toEqual(['185.199.108.0/22', '192.30.252.0/22']);
    // The policy names the list by the id the create returned.
    const policy = account.emu.state().policies.find((p) => p.name === 'CI webhooks / Hooks');
    expect(JSON.stringify(policy?.include)).toBe(JSON.stringify([{ ip_list: { id: hooks.id } }]));
    await noChanges();

    // Imported back: the lists aclc manages become `list` declarations, and the import plans to no changes.
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
    expect(lists(account).map((l) => l.name)).toEqual(['People']);
    await noChanges(['--prune']);
  });

  it('never takes over a list of the declared name that aclc did not create (ACL0763)', async () => {
    const account = await Account.start();
    // The harness seeds an email list "Contractors" made outside aclc.
    const project = new Project().write(
      'main.acl',
      app('list "Contractors" = email("a@example.com")', '  allow "C" if email_list("Contractors")'),
    );
    open.push({ account, project });
    const run = await aclc(['plan', '.'], account.env(), project.dir);
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      'error[ACL0763]: the account already has 1 list(s) named `Contractors` that aclc did not create',
    );
    expect(run.err).toContain('main.acl:1:6');
  });
});
