import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, Project, SEED, TOKEN } from './harness.js';

/** An account that predates aclc: hand-made groups, a reusable policy, and an app with legacy app policies. */
const LEGACY_SEED = {
  ...SEED,
  groups: [
    {
      id: 'c0ffee00-0000-4000-8000-0000000000a1',
      name: 'Staff',
      include: [{ email_domain: { domain: 'example.com' } }],
    },
  ],
  policies: [
    {
      id: 'c0ffee00-0000-4000-8000-0000000000b1',
      name: 'Block sanctioned',
      decision: 'deny',
      include: [{ geo: { country_code: 'KP' } }, { geo: { country_code: 'IR' } }],
    },
  ],
  apps: [
    {
      id: 'c0ffee00-0000-4000-8000-0000000000c1',
      name: 'Intranet',
      type: 'self_hosted',
      domain: 'intranet.example.com',
      session_duration: '8h',
      policies: [{ id: 'c0ffee00-0000-4000-8000-0000000000b1', precedence: 1 }],
    },
  ],
  app_policies: {
    'c0ffee00-0000-4000-8000-0000000000c1': [
      {
        id: 'c0ffee00-0000-4000-8000-0000000000d1',
        name: 'Staff with MFA',
        decision: 'allow',
        include: [{ group: { id: 'c0ffee00-0000-4000-8000-0000000000a1' } }],
        require: [{ auth_method: { auth_method: 'mfa' } }],
        precedence: 2,
      },
      {
        id: 'c0ffee00-0000-4000-8000-0000000000d2',
        name: 'Health checks',
        decision: 'bypass',
        include: [{ ip: { ip: '198.51.100.0/24' } }],
        precedence: 3,
      },
    ],
  },
};

const open = closeAfterEach();

describe('aclc import', () => {
  it('adopts a live account: import, plan converts the legacy policies, apply, then no changes', async () => {
    const account = await Account.start({ seed: LEGACY_SEED });
    const project = new Project();
    open.push({ account, project });
    const env = account.env();
    const dir = project.dir;

    const imported = await aclc(['import', '--out', 'policies'], env, dir);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(
      'imported 0 identity provider(s), 1 group(s), 1 reusable policy, 2 legacy app policies and 1 app(s) into policies/',
    );
    const apps = readFileSync(join(dir, 'policies', 'apps.acl'), 'utf8');
    expect(apps).toContain(
      'app "Intranet" {\n  domain "intranet.example.com"\n  session_duration 8h\n  use "Block sanctioned"\n',
    );
    expect(apps).toContain('  allow "Staff with MFA" if group("Staff") and auth_method("mfa")\n');
    expect(apps).toContain('  bypass "Health checks" if ip("198.51.100.0/24")\n');

    const plan = await aclc(['plan', 'policies', '--detailed-exitcode', '--width', '120'], env, dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain(
      'converted from a legacy policy of app c0ffee00-0000-4000-8000-0000000000c1 to a reusable one',
    );
    expect(plan.out).toContain('~ name: "Staff with MFA" → "Intranet / Staff with MFA"');
    expect(plan.out).toContain('Plan: 0 to create, 2 to update, 0 to delete.');
    const mark = account.mark();
    // The account was made outside aclc: the first apply takes it over, with --adopt.
    expect(plan.out).toContain('Made outside aclc with a name the code declares');
    const applied = await aclc(['apply', 'policies', '--auto-approve', '--adopt'], env, dir);
    expect(applied.code).toBe(0);
    expect(account.writesSince(mark).map((l) => l.split(' ')[0])).toEqual(['PUT', 'PUT', 'PUT', 'PUT']);
    const state = account.emu.state();
    expect(state.app_policies).toEqual([]);
    expect(state.policies.map((p) => p.id).sort()).toEqual([
      'c0ffee00-0000-4000-8000-0000000000b1',
      'c0ffee00-0000-4000-8000-0000000000d1',
      'c0ffee00-0000-4000-8000-0000000000d2',
    ]);
    const again = await aclc(['plan', 'policies', '--detailed-exitcode'], env, dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);

    // A second import refuses to overwrite, unless forced.
    const twice = await aclc(['import', '--out', 'policies'], env, dir);
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('the file exists');
    expect((await aclc(['import', '--out', 'policies', '--force'], env, dir)).code).toBe(0);
    expect(JSON.stringify(imported)).not.toContain(TOKEN);
  });

  it('imports from a JSON export without any credentials', async () => {
    const project = new Project();
    const account = await Account.start();
    open.push({ account, project });
    writeFileSync(join(project.dir, 'export.json'), JSON.stringify(LEGACY_SEED));
    const r = await aclc(['import', '--from', 'export.json', '--out', 'out'], {}, project.dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(project.dir, 'out', 'groups.acl'), 'utf8')).toContain(
      'group "Staff" = email_domain("example.com")',
    );
    expect(r.out).toContain(
      'checked: 1 of 1 app(s) decide as the account: 1 proved for every request by the analysis engine',
    );

    // A rule the language cannot write is dropped with a warning; the proof then says which decisions moved.
    const odd = {
      ...LEGACY_SEED,
      app_policies: {
        'c0ffee00-0000-4000-8000-0000000000c1': [
          {
            id: 'c0ffee00-0000-4000-8000-0000000000d1',
            name: 'Staff with a new check',
            decision: 'allow',
            include: [{ email: { email: 'a@example.com' } }],
            require: [{ quantum_entanglement: {} }],
            precedence: 2,
          },
        ],
      },
    };
    writeFileSync(join(project.dir, 'odd.json'), JSON.stringify(odd));
    const moved = await aclc(['import', '--from', 'odd.json', '--out', 'odd'], {}, project.dir);
    expect(moved.code).toBe(0);
    expect(moved.err).toContain('rule type `quantum_entanglement` has no selector in aclc');
    expect(moved.err).toContain(
      'warning[ACL0745]: the import of app `Intranet` decides `allow` where the account decides `none` (compiled evaluator), for an identity with email "a@example.com"',
    );
    expect(moved.out).toContain('checked: 0 of 1 app(s) decide as the account');

    const bad = await aclc(['import', '--from', 'missing.json'], {}, project.dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('error[ACL0865]: cannot read the export `missing.json`: no such file');
  });
});
