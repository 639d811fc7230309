import { beforeAll, describe, expect, it } from 'vitest';
import { WIKI_AFTER, WIKI_BEFORE } from '../access-diff/helpers.js';
import { Account, aclc, closeAfterEach, ensureBuilt, Project, SEED } from './harness.js';

/** The account has the two identity providers the Wiki example names. */
const IDPS = [
  { id: 'c0ffee00-0000-4000-8000-0000000000a1', name: 'Okta (corporate)', type: 'okta', config: {} },
  { id: 'c0ffee00-0000-4000-8000-0000000000a2', name: 'One-time PIN', type: 'onetimepin', config: {} },
];

const open = closeAfterEach();
async function deployed(config?: string) {
  const account = await Account.start({ seed: { ...SEED, identity_providers: IDPS } });
  const project = new Project().write('wiki.acl', WIKI_BEFORE);
  if (config !== undefined) project.write('aclc.config.json', config);
  open.push({ account, project });
  const env = account.env();
  const first = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
  expect(first.code).toBe(0);
  project.write('wiki.acl', WIKI_AFTER);
  return { account, project, env, dir: project.dir };
}
beforeAll(() => ensureBuilt());

describe('access changes in plan and apply, against the emulator', () => {
  it('plan says who gains access when Wiki becomes `not country(…) or login_method(otp)`, with a witness', async () => {
    const { env, dir } = await deployed();
    const r = await aclc(['plan', '.'], env, dir);
    expect(r.code).toBe(0);
    // The plan wraps to its width: compare with runs of white space as one space.
    const section = r.out.slice(r.out.indexOf('Access changes (live → after apply):')).replace(/\s+/g, ' ');
    expect(section).toContain('app "Wiki" + who would gain access (denied → allow):');
    expect(section).toContain(
      '• logs in with `One-time PIN` e.g. a request from BY signed in with `One-time PIN`',
    );
    expect(section).toContain('comes from a country other than `BY`, `CU`, `IR`, `KP`, `RU`, `SY` and `VE`');
    expect(section).toContain('e.g. `user@example.org` from FR');
    // Account objects by name, never by id.
    expect(section).not.toContain('c0ffee00');
    expect(section).not.toContain('app "Admin"');
  });

  it('--fail-on-widen exits 1 after showing the plan', async () => {
    const { env, dir } = await deployed();
    const r = await aclc(['plan', '.', '--fail-on-widen', '--detailed-exitcode'], env, dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Plan: 1 to create, 1 to update, 0 to delete.');
    expect(r.err).toContain('error[ACL0893]: the change widens access to app `Wiki`');
  });

  it('apply refuses to widen a sensitive app unless --allow-widen, and writes nothing', async () => {
    const { account, env, dir } = await deployed('{ "sensitiveApps": ["Wiki"] }\n');
    const plan = await aclc(['plan', '.'], env, dir);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('error[ACL0894]: the change widens access to sensitive app `Wiki`');
    const mark = account.log.length;
    const refused = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('error[ACL0895]: refusing to widen access to sensitive app `Wiki`');
    expect(account.writesSince(mark)).toEqual([]);
    const allowed = await aclc(['apply', '.', '--auto-approve', '--allow-widen'], env, dir);
    expect(allowed.code).toBe(0);
    const after = await aclc(['plan', '.', '--fail-on-widen'], env, dir);
    expect(after.code).toBe(0);
    expect(after.out).toBe('No changes. The account matches the code.\n');
  });

  it('a saved plan keeps the sensitive apps: apply plan.json refuses the widening unless --allow-widen', async () => {
    const { account, env, dir } = await deployed('{ "sensitiveApps": ["Wiki"] }\n');
    const plan = await aclc(['plan', '.', '-o', 'plan.json'], env, dir);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('saved the plan to plan.json');
    const mark = account.log.length;
    const refused = await aclc(['apply', 'plan.json'], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('error[ACL0895]: refusing to widen access to sensitive app `Wiki`');
    expect(account.writesSince(mark)).toEqual([]);
    const allowed = await aclc(['apply', 'plan.json', '--allow-widen'], env, dir);
    expect(allowed.code).toBe(0);
  });
});
