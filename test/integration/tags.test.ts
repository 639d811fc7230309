import { afterEach, describe, expect, it } from 'vitest';
import { Account, aclc, Project, SEED } from './harness.js';

/**
 * Issue 13 item 6: the tags an app carries must exist as Access tags of the account. aclc checks them when it
 * plans (ACL0879, at the tag in the source), writes nothing while one is missing, and a saved plan whose tag was
 * deleted since is refused (the tags it read are part of its fingerprint; the account lock's own tags are not).
 */

const open: { close(): Promise<void>; remove?(): void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.close();
    o.remove?.();
  }
});

const CODE = `
app "Wiki" {
  domain "wiki.example.com"
  tags ["engineering", "docs"]
  allow "Staff" if email_domain("example.com")
}
`;

async function setup(tags: string[]) {
  const account = await Account.start({ seed: { ...SEED, tags: tags.map((name) => ({ name })) } });
  const project = new Project().write('main.acl', CODE);
  open.push(account, { close: async () => undefined, remove: () => project.remove() });
  return { account, project, env: account.env() };
}

describe('app tags must exist in the account', () => {
  it('is a plan error at the tag, with a fix, and apply writes nothing', async () => {
    const { account, project, env } = await setup(['Engineering']);
    const plan = await aclc(['plan', '.'], env, project.dir);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain(
      'error[ACL0879]: tag `engineering` of app `Wiki` does not exist in the account',
    );
    expect(plan.err).toContain('main.acl:4:9');
    expect(plan.err).toContain('did you mean `Engineering`?');
    expect(plan.err).toContain('error[ACL0879]: tag `docs` of app `Wiki` does not exist in the account');
    expect(plan.err).toContain('`POST /accounts/{account_id}/access/tags` with `{"name": "docs"}`');
    const mark = account.mark();
    const apply = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(apply.code).toBe(1);
    expect(apply.err).toContain('error[ACL0879]');
    expect(account.writesSince(mark)).toEqual([]);
    expect(account.names('apps')).toEqual([]);
  });

  it('applies once the tags exist, then plans no changes', async () => {
    const { account, project, env } = await setup(['docs', 'engineering']);
    const apply = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(apply.code).toBe(0);
    expect(account.emu.state().apps[0]?.tags).toEqual(['engineering', 'docs']);
    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(again.code).toBe(0);
    // The lock's tags came and went; only the two tags the app uses are left.
    expect(account.tags()).toEqual(['docs', 'engineering']);
  });

  it('refuses a saved plan whose tag was deleted since it was made, and applies one whose tags are there', async () => {
    const { account, project, env } = await setup(['docs', 'engineering']);
    expect((await aclc(['plan', '.', '--out', 'ok.json'], env, project.dir)).code).toBe(0);
    expect((await aclc(['plan', '.', '--out', 'stale.json'], env, project.dir)).code).toBe(0);
    // Applying takes the account lock (tags of its own): that does not make the plan stale.
    const applied = await aclc(['apply', 'ok.json', '--auto-approve'], env, project.dir);
    expect(applied.code).toBe(0);
    await fetch(`${account.emu.url}/accounts/${account.emu.accountId}/access/tags/docs`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${account.emu.token}` },
    });
    const stale = await aclc(['apply', 'stale.json', '--auto-approve'], env, project.dir);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('error[ACL0853]');
  });
});
