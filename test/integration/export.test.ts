import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, Project, ROOT, SEED, TOKEN } from './harness.js';

// ajv is CommonJS; loaded with require, its class is the `default` export.
const Ajv2020: typeof Ajv2020Module.default = createRequire(import.meta.url)('ajv/dist/2020.js').default;

/** An account with every kind of field the language now covers, and two reusable policies sharing a name. */
const RICH_SEED = {
  ...SEED,
  identity_providers: [
    {
      id: 'c0ffee00-0000-4000-8000-000000000001',
      name: 'Okta',
      type: 'okta',
      config: { client_id: 'okta-client', client_secret: 'idp-secret-do-not-export' },
    },
  ],
  service_tokens: [
    {
      id: 'c0ffee00-0000-4000-8000-000000000003',
      name: 'ci',
      client_id: 'x.access',
      client_secret: 'token-secret-do-not-export',
    },
  ],
  groups: [
    {
      id: 'c0ffee00-0000-4000-8000-0000000000a1',
      name: 'Ops',
      include: [{ email: { email: 'a@example.com' } }],
    },
  ],
  policies: [
    {
      id: 'c0ffee00-0000-4000-8000-0000000000b1',
      name: 'SSH operators',
      decision: 'allow',
      include: [{ group: { id: 'c0ffee00-0000-4000-8000-0000000000a1' } }],
      connection_rules: {
        ssh: { usernames: ['root', 'ubuntu'], allow_email_alias: true },
        rdp: { allowed_clipboard_local_to_remote_formats: ['text'] },
      },
      session_duration: '8h',
    },
    {
      id: 'c0ffee00-0000-4000-8000-0000000000b2',
      name: 'Shared name',
      decision: 'allow',
      include: [{ email: { email: 'b@example.com' } }],
    },
    {
      id: 'c0ffee00-0000-4000-8000-0000000000b3',
      name: 'Shared name',
      decision: 'deny',
      include: [{ geo: { country_code: 'KP' } }],
    },
  ],
  apps: [
    {
      id: 'c0ffee00-0000-4000-8000-0000000000c1',
      name: 'Lab',
      type: 'self_hosted',
      domain: 'lab-*.example.io',
      cors_headers: { allowed_origins: ['https://x.example.io'], max_age: -1 },
      policies: [
        { id: 'c0ffee00-0000-4000-8000-0000000000b3', precedence: 1 },
        { id: 'c0ffee00-0000-4000-8000-0000000000b1', precedence: 2 },
        { id: 'c0ffee00-0000-4000-8000-0000000000b2', precedence: 3 },
      ],
    },
    {
      id: 'c0ffee00-0000-4000-8000-0000000000c2',
      name: 'Deep',
      type: 'self_hosted',
      domain: '*.*.example.com',
      policies: [{ id: 'c0ffee00-0000-4000-8000-0000000000b1', precedence: 1 }],
    },
  ],
};

const open = closeAfterEach();

describe('aclc export → aclc import --from', () => {
  it('writes a schema-valid export without secrets that imports to formatted files and plans no changes', async () => {
    const account = await Account.start({ seed: RICH_SEED });
    const project = new Project();
    open.push({ account, project });
    const env = account.env();
    const dir = project.dir;

    const exported = await aclc(['export', '--out', 'export.json'], env, dir);
    expect(exported.code, exported.err).toBe(0);
    const text = readFileSync(join(dir, 'export.json'), 'utf8');
    for (const secret of ['do-not-export', TOKEN]) expect(text).not.toContain(secret);
    const doc = JSON.parse(text);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'export.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.policies.find((p: { name: string }) => p.name === 'SSH operators').connection_rules).toEqual(
      RICH_SEED.policies[0]?.connection_rules,
    );

    const imported = await aclc(['import', '--from', 'export.json', '--out', 'code'], {}, dir);
    expect(imported.code, imported.err).toBe(0);
    expect(imported.err).toContain('2 reusable policies are named `Shared name`');
    const apps = readFileSync(join(dir, 'code', 'apps.acl'), 'utf8');
    expect(apps).toContain('  domain "lab-*.example.io"\n');
    expect(apps).toContain('    max_age -1\n');
    expect(apps).toContain('  use extern id("c0ffee00-0000-4000-8000-0000000000b3")\n');
    const policies = readFileSync(join(dir, 'code', 'policies.acl'), 'utf8');
    expect(policies).toContain('connection_rules {');
    expect(policies).toContain('usernames ["root", "ubuntu"]');
    for (const f of ['apps.acl', 'policies.acl', 'groups.acl'])
      expect(statSync(join(dir, 'code', f)).mode & 0o777).toBe(0o644 & ~process.umask());
    const fmt = await aclc(['fmt', '--check', 'code'], {}, dir);
    expect([fmt.code, fmt.out]).toEqual([0, '']);

    const plan = await aclc(['plan', 'code', '--detailed-exitcode'], env, dir);
    expect([plan.code, plan.out, plan.err]).toEqual([0, 'No changes. The account matches the code.\n', '']);
  });

  it('refuses a raw API response with a clear error', async () => {
    const project = new Project();
    const account = await Account.start();
    open.push({ account, project });
    writeFileSync(join(project.dir, 'raw.json'), JSON.stringify({ success: true, errors: [], result: [] }));
    const r = await aclc(['import', '--from', 'raw.json', '--out', 'out'], {}, project.dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error[ACL0865]: cannot read the export `raw.json`: this is a raw Cloudflare API response (it has `result`), not an account export',
    );
    expect(r.err).toContain('aclc export --out export.json');
  });
});
