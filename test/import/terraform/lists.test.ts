import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountFromExport } from '../../../src/import/account.js';
import { proveImport } from '../../../src/import/proof.js';
import { readTfFiles } from '../../../src/import/terraform/hcl.js';
import { importTerraform } from '../../../src/import/terraform/import-terraform.js';
import { terraformListItems } from '../../../src/import/terraform/lists.js';
import type { TfDocument, TfResource } from '../../../src/import/terraform/show-json.js';

/**
 * Zero Trust lists in a Terraform configuration (`src/import/terraform/lists.ts`): managed IP and email lists become
 * `list` declarations and are handed over, in the three dialects; other types stay with Terraform; the proof checks
 * the lists' members.
 */

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const resource = (
  type: string,
  name: string,
  values: Record<string, unknown>,
  mode: 'managed' | 'data' = 'managed',
): TfResource => ({
  address: `${mode === 'data' ? 'data.' : ''}${type}.${name}`,
  configAddress: `${mode === 'data' ? 'data.' : ''}${type}.${name}`,
  mode,
  type,
  name,
  values: { account_id: ACCOUNT, ...values },
  unknown: [],
});
const HOOKS_ID = '0a1b2c3d-0000-4000-8000-0000000000f1';
const PEOPLE_ID = '0a1b2c3d-0000-4000-8000-0000000000f2';
/** One reusable policy naming both lists (v5 objects), linked by one app. */
const accessResources = (ruleIp: unknown, ruleEmail: unknown): TfResource[] => [
  resource('cloudflare_zero_trust_access_policy', 'hooks', {
    id: '0a1b2c3d-0000-4000-8000-0000000000f3',
    name: 'Hooks',
    decision: 'bypass',
    include: [ruleIp],
    exclude: [],
    require: [],
  }),
  resource('cloudflare_zero_trust_access_policy', 'people', {
    id: '0a1b2c3d-0000-4000-8000-0000000000f4',
    name: 'People',
    decision: 'allow',
    include: [ruleEmail],
    exclude: [],
    require: [],
  }),
  resource('cloudflare_zero_trust_access_application', 'ci', {
    id: '0a1b2c3d-0000-4000-8000-0000000000f5',
    name: 'CI',
    type: 'self_hosted',
    domain: 'ci.example.com',
    policies: [
      { id: '0a1b2c3d-0000-4000-8000-0000000000f3', precedence: 1 },
      { id: '0a1b2c3d-0000-4000-8000-0000000000f4', precedence: 2 },
    ],
  }),
];
const doc = (resources: TfResource[]): TfDocument => ({ source: 'state', resources });
/** The v5 email list "People" (one member) and the policies and app that name it and the IP list `HOOKS_ID`. */
const withPeople = (): TfResource[] => [
  resource('cloudflare_zero_trust_list', 'people', {
    id: PEOPLE_ID,
    name: 'People',
    type: 'EMAIL',
    items: [{ value: 'ana@contractor.example' }],
  }),
  ...accessResources({ ip_list: { id: HOOKS_ID } }, { email_list: { id: PEOPLE_ID } }),
];
const text = (r: ReturnType<typeof importTerraform>, name: string) =>
  r.value.files.find((f) => f.name === name)?.text ?? '';
const errors = (r: ReturnType<typeof importTerraform>) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);

describe('Terraform lists', () => {
  it('reads v4 `items` and `items_with_description`, and v5 `items` objects, each value once', () => {
    expect(
      terraformListItems({
        items: ['192.0.2.0/24', '198.51.100.0/24'],
        items_with_description: [
          { value: '203.0.113.0/24', description: 'office' },
          { value: '192.0.2.0/24', description: 'dup' },
        ],
      }),
    ).toEqual([
      { value: '192.0.2.0/24' },
      { value: '198.51.100.0/24' },
      { value: '203.0.113.0/24', description: 'office' },
    ]);
    expect(
      terraformListItems({
        items: [
          { value: 'a@example.com', description: null },
          { value: 'b@example.com', description: 'b' },
        ],
      }),
    ).toEqual([{ value: 'a@example.com' }, { value: 'b@example.com', description: 'b' }]);
  });

  it.each([
    ['v4 cloudflare_teams_list', 'cloudflare_teams_list', 'v4'],
    ['v4 cloudflare_zero_trust_list', 'cloudflare_zero_trust_list', 'v4'],
    ['v5 cloudflare_zero_trust_list', 'cloudflare_zero_trust_list', 'v5'],
  ])('%s: declares IP and email lists, names them in the rules, hands them over', (_, type, dialect) => {
    const items = (values: string[]) =>
      dialect === 'v4'
        ? {
            items: values.slice(0, -1),
            items_with_description: [{ value: values.at(-1), description: 'last' }],
          }
        : { items: values.map((value) => ({ value, description: null })) };
    const rules: [unknown, unknown] =
      dialect === 'v4'
        ? [{ ip_list: [HOOKS_ID] }, { email_list: [PEOPLE_ID] }]
        : [{ ip_list: { id: HOOKS_ID } }, { email_list: { id: PEOPLE_ID } }];
    const result = importTerraform(
      doc([
        resource(type, 'hooks', {
          id: HOOKS_ID,
          name: 'GitHub hooks',
          type: 'IP',
          ...items(['192.30.252.0/22', '185.199.108.0/22']),
        }),
        resource(type, 'people', {
          id: PEOPLE_ID,
          name: 'People',
          type: 'EMAIL',
          ...items(['ana@contractor.example', 'bo@contractor.example']),
        }),
        ...accessResources(...rules),
      ]),
      'terraform.json',
    );
    expect(errors(result)).toEqual([]);
    expect(text(result, 'lists.acl')).toContain(
      'list "GitHub hooks" = ip("192.30.252.0/22", "185.199.108.0/22")\n\nlist "People" = email("ana@contractor.example", "bo@contractor.example")',
    );
    expect(text(result, 'policies.acl')).toContain('ip_list("GitHub hooks")');
    expect(text(result, 'policies.acl')).toContain('email_list("People")');
    expect(result.value.adopted.map((r) => r.address).filter((a) => a.includes('list'))).toEqual([
      `${type}.hooks`,
      `${type}.people`,
    ]);
    expect(result.value.proof?.differences).toEqual([]);
    expect(result.value.proof?.apps).toBe(1);
  });

  it('leaves DOMAIN, URL and SERIAL lists and list data sources with Terraform, with a warning for the managed ones', () => {
    const result = importTerraform(
      doc([
        resource('cloudflare_zero_trust_list', 'domains', {
          id: '0a1b2c3d-0000-4000-8000-0000000000e1',
          name: 'Blocked',
          type: 'DOMAIN',
          items: [{ value: 'bad.example', description: null }],
        }),
        resource(
          'cloudflare_zero_trust_list',
          'hooks',
          { id: HOOKS_ID, name: 'GitHub hooks', type: 'IP' },
          'data',
        ),
        ...withPeople(),
      ]),
      'terraform.json',
    );
    expect(errors(result)).toEqual([]);
    expect(result.diagnostics.map((d) => `${d.severity}[${d.code}] ${d.message}`)).toContain(
      'warning[ACL0741] `cloudflare_zero_trust_list.domains`: a DOMAIN list is not imported: Access rules name IP and email lists only, so aclc declares only those; keep managing it with Terraform',
    );
    // The data source stays an account reference (opaque: its members are not in the configuration).
    expect(text(result, 'lists.acl')).toBe(
      '# Imported from the Terraform configuration `terraform.json` by `aclc import --from-terraform`.\n\nlist "People" = email("ana@contractor.example")\n',
    );
    expect(text(result, 'policies.acl')).toContain('ip_list("GitHub hooks")');
    expect(result.value.adopted.map((r) => r.address).filter((a) => a.includes('list'))).toEqual([
      'cloudflare_zero_trust_list.people',
    ]);
  });

  it('leaves two lists of one name with Terraform: rules name them by id, the hand-over keeps them', () => {
    const twin = (id: string, value: string) =>
      resource('cloudflare_zero_trust_list', `hooks_${id.slice(-2)}`, {
        id,
        name: 'GitHub hooks',
        type: 'IP',
        items: [{ value }],
      });
    const result = importTerraform(
      doc([
        twin(HOOKS_ID, '192.30.252.0/22'),
        twin('0a1b2c3d-0000-4000-8000-0000000000e9', '185.199.108.0/22'),
        ...withPeople(),
      ]),
      'terraform.json',
    );
    expect(errors(result)).toEqual([]);
    expect(text(result, 'lists.acl')).not.toContain('GitHub hooks');
    expect(text(result, 'policies.acl')).toContain(`ip_list(id("${HOOKS_ID}"))`);
    expect(result.value.adopted.map((r) => r.address).filter((a) => a.includes('list'))).toEqual([
      'cloudflare_zero_trust_list.people',
    ]);
    expect(result.diagnostics.filter((d) => d.message.includes('hooks_')).map((d) => d.code)).toEqual([
      'ACL0741',
      'ACL0741',
    ]);
  });

  it('checks the members: files whose list lost a member are reported, on an address of that member', () => {
    const result = importTerraform(
      doc([
        resource('cloudflare_zero_trust_list', 'hooks', {
          id: HOOKS_ID,
          name: 'GitHub hooks',
          type: 'IP',
          items: [{ value: '192.30.252.0/22' }, { value: '185.199.108.0/22' }],
        }),
        ...withPeople(),
      ]),
      'terraform.json',
    );
    expect(result.value.proof?.differences).toEqual([]);
    const live = accountFromExport(result.value.account).live;
    if (!live) throw new Error('no account');
    const tampered = result.value.files.map((f) =>
      f.name === 'lists.acl' ? { ...f, text: f.text.replace(', "185.199.108.0/22"', '') } : f,
    );
    const proof = proveImport(live, tampered);
    // Found by the identities the members name (both evaluators), not only by the engine.
    expect(proof.differences).toMatchObject([{ app: 'CI', evaluator: 'compiled', want: 'bypass' }]);
    expect(String(proof.differences[0]?.identity.ip)).toMatch(/^185\.199\.(108|111)\./);
  });

  it('reads lists from .tf files with literal items; references to them resolve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aclc-tf-lists-'));
    writeFileSync(
      join(dir, 'main.tf'),
      `resource "cloudflare_teams_list" "hooks" {
  account_id = "${ACCOUNT}"
  name       = "GitHub hooks"
  type       = "IP"
  items      = ["192.30.252.0/22"]
}

resource "cloudflare_access_policy" "hooks" {
  account_id = "${ACCOUNT}"
  name       = "Hooks"
  decision   = "bypass"
  include {
    ip_list = [cloudflare_teams_list.hooks.id]
  }
}

resource "cloudflare_access_application" "ci" {
  account_id = "${ACCOUNT}"
  name       = "CI"
  domain     = "ci.example.com"
  policies   = [cloudflare_access_policy.hooks.id]
}
`,
    );
    const read = await readTfFiles(dir, dir, true);
    expect(read.diagnostics).toEqual([]);
    const result = importTerraform(read.doc as TfDocument, dir);
    expect(errors(result)).toEqual([]);
    expect(text(result, 'lists.acl')).toContain('list "GitHub hooks" = ip("192.30.252.0/22")');
    expect(text(result, 'policies.acl')).toContain('ip_list("GitHub hooks")');
    expect(result.value.adopted.map((r) => r.address).sort()).toEqual([
      'cloudflare_access_application.ci',
      'cloudflare_access_policy.hooks',
      'cloudflare_teams_list.hooks',
    ]);
    expect(result.value.proof?.differences).toEqual([]);
  });
});
