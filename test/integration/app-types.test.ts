import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Account, aclc, ensureBuilt, Project } from './harness.js';

/** One app of each type beyond self-hosted, applied to the emulator over HTTP, planned again, imported back. */
const APPS = readFileSync(
  join(import.meta.dirname, '..', '..', 'examples', 'app-types', 'apps.acl'),
  'utf8',
).replace('idp okta: okta = "Okta (corporate)"', 'idp okta: okta = "Okta"');

const open: { account: Account; projects: Project[] }[] = [];
afterEach(async () => {
  for (const { account, projects } of open.splice(0)) {
    await account.close();
    for (const p of projects) p.remove();
  }
});
beforeAll(() => ensureBuilt());

function app(account: Account, name: string): Record<string, unknown> {
  const found = account.emu.state().apps.find((a) => a.name === name);
  if (!found) throw new Error(`no app ${name}`);
  return found as Record<string, unknown>;
}

describe('app types against the emulator', () => {
  it('applies saas, bookmark, infrastructure and rdp apps, then plans no changes; computed fields never drift or print', async () => {
    const account = await Account.start();
    const project = new Project().write('apps.acl', APPS);
    open.push({ account, projects: [project] });
    const env = account.env();

    const applied = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(applied.err.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(applied.code).toBe(0);
    expect(account.names('apps')).toEqual([
      'Expenses (SAML)',
      'Production servers',
      'Team wiki bookmark',
      'Wiki (OIDC)',
      'Windows desktops',
    ]);
    // What the API computes is there, and the OIDC secret is never stored, printed or written.
    const oidc = app(account, 'Wiki (OIDC)');
    const clientId = (oidc.saas_app as Record<string, unknown>).client_id;
    expect(typeof clientId).toBe('string');
    expect(oidc.saas_app).not.toHaveProperty('client_secret');
    expect(String(oidc.domain)).toMatch(/\/cdn-cgi\/access\/sso\/oidc\//);
    expect(app(account, 'Expenses (SAML)').saas_app).toMatchObject({
      sp_entity_id: 'https://expenses.example.com/saml',
      sso_endpoint: expect.stringMatching(/^https:\/\/.*\/cdn-cgi\/access\/sso\/saml\//),
      idp_entity_id: expect.any(String),
      public_key: expect.any(String),
    });
    expect(app(account, 'Production servers').target_criteria).toEqual([
      { port: 22, protocol: 'SSH', target_attributes: { hostname: ['web-1', 'web-2'] } },
    ]);
    expect(app(account, 'Team wiki bookmark').domain).toBe('https://wiki.example.net');
    for (const text of [applied.out, applied.err, ...project.files().map((f) => f.text)])
      expect(text).not.toContain('client_secret');

    const mark = account.mark();
    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(plan.out).toContain('No changes');
    expect(plan.code).toBe(0);

    // A real change inside `saas_app` is still seen, and the update keeps what the API computed.
    project.write('apps.acl', APPS.replace('scopes [openid, email, profile]', 'scopes [openid, email]'));
    const changed = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(changed.code).toBe(2);
    expect(changed.out).toContain('Wiki (OIDC)');
    expect((await aclc(['apply', '.', '--auto-approve'], env, project.dir)).code).toBe(0);
    expect((app(account, 'Wiki (OIDC)').saas_app as Record<string, unknown>).client_id).toBe(clientId);
    expect((await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir)).code).toBe(0);
    expect(account.writesSince(mark).length).toBeGreaterThan(0);
  });

  it('imports a live app of each type to .acl that compiles and plans no changes', async () => {
    const account = await Account.start();
    const source = new Project().write('apps.acl', APPS);
    const target = new Project();
    open.push({ account, projects: [source, target] });
    const env = account.env();
    expect((await aclc(['apply', '.', '--auto-approve'], env, source.dir)).code).toBe(0);

    const imported = await aclc(['import', '--out', 'policies'], env, target.dir);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const apps = readFileSync(join(target.dir, 'policies', 'apps.acl'), 'utf8');
    expect(apps).toContain('  type "saas"\n');
    expect(apps).toContain('  url "https://wiki.example.net"\n');
    expect(apps).toContain('  type "infrastructure"\n');
    expect(apps).toContain('protocol "SSH"');
    expect(apps).not.toContain('client_id');
    expect(apps).not.toContain('sso_endpoint');

    const compiled = await aclc(['compile', 'policies'], env, target.dir);
    expect(compiled.err).toBe('');
    expect(compiled.code).toBe(0);
    const plan = await aclc(['plan', 'policies', '--detailed-exitcode'], env, target.dir);
    expect(plan.out).toContain('No changes');
    expect(plan.code).toBe(0);
  });
});
