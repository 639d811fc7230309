import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../../src/deploy/live.js';
import { SourceFile } from '../../../src/diagnostics/source.js';
import { evaluateCompiledApp } from '../../../src/eval/compiled.js';
import { executionOrder } from '../../../src/eval/order.js';
import { cidrBoundaries } from '../../../src/import/identities.js';
import { compileImport, proveImport } from '../../../src/import/proof.js';
import { handoverText } from '../../../src/import/terraform/handover.js';
import { readTfFiles } from '../../../src/import/terraform/hcl.js';
import { importTerraform } from '../../../src/import/terraform/import-terraform.js';
import {
  readShowJson,
  type TfDocument,
  withoutInstanceKeys,
} from '../../../src/import/terraform/show-json.js';
import { lintProject } from '../../../src/lint/run.js';
import type { Decision } from '../../../src/model/decision.js';
import type { Identity } from '../../../src/model/identity.js';
import { analyzeSources } from '../../../src/pipeline.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function fixture(name: string): TfDocument {
  const read = readShowJson(JSON.parse(readFileSync(join(FIXTURES, name, 'terraform.json'), 'utf8')));
  if (!read.value) throw new Error(read.error);
  return read.value;
}

const errors = (r: { diagnostics: { severity: string; code: string; message: string }[] }) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);

describe.each([
  ['v4', 2, ['application', 'group', 'policy', 'teams_list']],
  ['zero-trust-v4', 2, ['application', 'group', 'policy']],
  ['v5', 3, ['application', 'group', 'policy', 'zero_trust_list']],
  // Zone-level groups and apps (with their app-scoped policies) next to account-level ones, in each dialect.
  ['zones-v4', 2, ['application', 'group', 'policy']],
  ['zones-zero-trust-v4', 2, ['application', 'group', 'policy']],
  ['zones-v5', 2, ['application', 'group', 'policy']],
])('import --from-terraform, %s dialect', (name, apps, handedOver) => {
  const result = importTerraform(fixture(name), `${name}/terraform.json`);

  it('writes the expected .acl files, proved to decide as the configuration', async () => {
    expect(errors(result)).toEqual([]);
    const proof = result.value.proof;
    expect(proof?.differences).toEqual([]);
    expect(proof?.apps).toBe(apps);
    expect(proof?.identities).toBeGreaterThan(100);
    for (const f of result.value.files)
      await expect(f.text).toMatchFileSnapshot(join(FIXTURES, name, 'expected', f.name));
    // The account the configuration describes, as the API holds it (the integration tests seed the emulator with it).
    await expect(`${JSON.stringify(result.value.account, null, 2)}\n`).toMatchFileSnapshot(
      join(FIXTURES, name, 'expected', 'account.json'),
    );
    const notes = result.diagnostics.map((d) => `${d.severity}[${d.code}] ${d.message}\n`).join('');
    await expect(notes).toMatchFileSnapshot(join(FIXTURES, name, 'expected', 'diagnostics.txt'));
  });

  it('prints the hand-over for exactly the adopted groups, policies, apps and lists', async () => {
    const text = handoverText(result.value.adopted, 'policies');
    await expect(text).toMatchFileSnapshot(join(FIXTURES, name, 'expected', 'handover.txt'));
    const kinds = new Set(
      result.value.adopted.map((r) => r.type.replace(/^cloudflare_(zero_trust_access_|access_)?/, '')),
    );
    expect([...kinds].sort()).toEqual(handedOver);
  });

  it('never carries a secret of the configuration into its output', () => {
    const out = JSON.stringify([result.value.files, result.value.account, result.diagnostics]);
    expect(out).not.toContain('never-printed');
  });
});

describe('v4 semantics', () => {
  const result = importTerraform(fixture('v4'), 'v4/terraform.json');
  const text = (name: string) => result.value.files.find((f) => f.name === name)?.text ?? '';

  it('ORs values of a block and include blocks, ANDs require values', () => {
    expect(text('groups.acl')).toContain(
      'group "Staff" = (email_domain("example.com") or email("ceo@example.net", "cfo@example.net"))',
    );
    expect(text('policies.acl')).toContain(
      'policy "Travelling staff" allow if group("Staff")\n  and country("JO")\n  and country("AE")\n  and country("DE")\n  and country("US")',
    );
  });

  it('keeps the unsatisfiable require as it is, and the linter says so', () => {
    const analyzed = analyzeSources(result.value.files.map((f) => new SourceFile(f.name, f.text)));
    const lint = lintProject({ ...analyzed });
    const unsat = lint.diagnostics.filter((d) => d.code === 'unsatisfiable-policy').map((d) => d.message);
    expect(unsat).toEqual([
      'policy `Travelling staff` matches nobody: no identity can satisfy its condition',
    ]);
  });

  it('writes app-scoped policies inline in order of precedence', () => {
    const wiki = text('apps.acl').slice(text('apps.acl').indexOf('app "Wiki"'));
    const order = ['Staff on managed devices', 'Partners', 'Automation', 'Azure step-up'].map((n) =>
      wiki.indexOf(`"${n}"`),
    );
    expect(order.every((i, k) => i > 0 && (k === 0 || i > (order[k - 1] as number)))).toBe(true);
  });

  it('reports a difference when the written files do not decide as the configuration', () => {
    const live = result.value.live;
    if (!live) throw new Error('no account');
    const files = result.value.files.map((f) =>
      f.name === 'policies.acl' ? { ...f, text: f.text.replace('country("KP", "IR")', 'country("KP")') } : f,
    );
    const proof = proveImport(live, files);
    expect(proof.differences.map((d) => [d.app, d.identity.country, d.want, d.got, d.evaluator])).toEqual([
      ['Intranet', 'IR', 'deny', 'none', 'compiled'],
    ]);
    expect([proof.apps, proof.proved]).toEqual([2, 1]);
    // Without sampled identities (only the empty one), the analysis engine still finds it, over every request.
    const engine = proveImport(live, files, 1);
    expect(engine.differences.map((d) => [d.app, d.identity.country, d.want, d.got, d.evaluator])).toEqual([
      ['Intranet', 'IR', 'denied', 'allow', 'engine'],
    ]);
  });
});

describe('what the import refuses or leaves out', () => {
  const doc = (resources: unknown[], extra: Record<string, unknown> = {}) => {
    const read = readShowJson({ format_version: '1.0', values: { root_module: { resources } }, ...extra });
    if (!read.value) throw new Error(read.error);
    return read.value;
  };
  const group = (address: string, values: Record<string, unknown>) => ({
    address,
    mode: 'managed',
    type: address.split('.')[0],
    name: address.split('.')[1],
    values,
  });

  it('says what a file is when it is not `terraform show -json` output', () => {
    expect(readShowJson({ version: 4, resources: [] }).error).toContain('raw state file');
    expect(readShowJson([]).error).toContain('not a JSON object');
    expect(readShowJson({ a: 1 }).error).toContain('no `format_version`');
  });

  it('says so when there is nothing to import', () => {
    expect(errors(importTerraform(doc([]), 'empty.json'))).toEqual([
      'ACL0740 cannot read the Terraform configuration `empty.json`: it has no Access groups, policies or applications (0 resource(s) read; types read: `cloudflare_access_*`, `cloudflare_zero_trust_access_*`)',
    ]);
  });

  it('refuses a plan whose references are only known after apply', () => {
    const plan = readShowJson({
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            group('cloudflare_zero_trust_access_group.a', {
              name: 'A',
              include: [{ email: ['a@example.com'] }],
            }),
            group('cloudflare_zero_trust_access_group.b', { name: 'B', include: [{ email: [] }] }),
          ],
        },
      },
      resource_changes: [
        { address: 'cloudflare_zero_trust_access_group.a', change: { after_unknown: { id: true } } },
        {
          address: 'cloudflare_zero_trust_access_group.b',
          change: { after_unknown: { id: true, include: [{ group: [true] }] } },
        },
      ],
    }).value as TfDocument;
    const r = importTerraform(plan, 'plan.json');
    expect(errors(r)).toEqual([
      'ACL0742 `cloudflare_zero_trust_access_group.b`: `include.0.group.0` is only known after `terraform apply`',
    ]);
  });

  it('reads a saved plan whose values are known (planned_values, modules included)', () => {
    const plan = readShowJson({
      format_version: '1.2',
      planned_values: {
        root_module: {
          child_modules: [
            {
              address: 'module.a',
              resources: [
                group('cloudflare_zero_trust_access_group.g', {
                  id: 'g1',
                  name: 'G',
                  include: [{ email: { email: 'a@example.com' } }],
                }),
              ],
            },
          ],
        },
      },
      resource_changes: [
        { address: 'module.a.cloudflare_zero_trust_access_group.g', change: { after_unknown: {} } },
      ],
    }).value as TfDocument;
    expect(plan.source).toBe('plan');
    const r = importTerraform(plan, 'plan.json');
    expect(errors(r)).toEqual([]);
    expect(r.value.files.find((f) => f.name === 'groups.acl')?.text).toContain(
      'group "G" = email("a@example.com")',
    );
  });

  it('reads a v4 `false` the provider never sends as unset, and a v5 `false` as the override it is', () => {
    const app = (type: string, extra: Record<string, unknown>) =>
      group(`${type}.a`, {
        id: 'a',
        name: 'A',
        domain: 'a.example.com',
        allow_authenticate_via_warp: false,
        ...extra,
      });
    const warp = (r: ReturnType<typeof app>) =>
      (importTerraform(doc([r]), 't.json').value.account.apps as Record<string, unknown>[])[0]
        ?.allow_authenticate_via_warp;
    expect(warp(app('cloudflare_access_application', {}))).toBeUndefined();
    expect(warp(app('cloudflare_zero_trust_access_application', { cors_headers: [] }))).toBeUndefined();
    expect(warp(app('cloudflare_zero_trust_access_application', { cors_headers: null }))).toBe(false);
  });

  it('imports v5 saas, bookmark and infrastructure apps with their type fields, never computed ones', () => {
    const r = importTerraform(
      doc([
        group('cloudflare_zero_trust_access_application.saas', {
          id: 's',
          name: 'Expenses',
          type: 'saas',
          domain: 'team.cloudflareaccess.com/cdn-cgi/access/sso/saml/abc',
          saas_app: {
            sp_entity_id: 'https://expenses.example.com',
            consumer_service_url: 'https://expenses.example.com/acs',
            name_id_format: 'email',
            idp_entity_id: 'https://team.cloudflareaccess.com',
            sso_endpoint: 'https://team.cloudflareaccess.com/cdn-cgi/access/sso/saml/abc',
            public_key: 'PEM',
          },
        }),
        group('cloudflare_zero_trust_access_application.bookmark', {
          id: 'b',
          name: 'Status',
          type: 'bookmark',
          domain: 'https://status.example.com',
        }),
        group('cloudflare_zero_trust_access_application.infra', {
          id: 'i',
          name: 'Servers',
          type: 'infrastructure',
          target_criteria: [{ port: 22, protocol: 'SSH', target_attributes: { hostname: ['web-1'] } }],
        }),
      ]),
      't.json',
    );
    expect(errors(r)).toEqual([]);
    const apps = r.value.files.find((f) => f.name === 'apps.acl')?.text ?? '';
    expect(apps).toContain('app "Expenses" {\n  type "saas"\n  saas_app {\n');
    expect(apps).toContain('sp_entity_id "https://expenses.example.com"');
    expect(apps).not.toContain('sso_endpoint');
    expect(apps).toContain('app "Status" {\n  type "bookmark"\n  url "https://status.example.com"\n');
    expect(apps).toContain('protocol "SSH"');
    expect(r.value.adopted.map((a) => a.address).sort()).toEqual([
      'cloudflare_zero_trust_access_application.bookmark',
      'cloudflare_zero_trust_access_application.infra',
      'cloudflare_zero_trust_access_application.saas',
    ]);
  });

  it('links a reusable policy the configuration does not declare by id instead of dropping the link', () => {
    const r = importTerraform(
      doc([
        group('cloudflare_zero_trust_access_policy.mine', {
          id: 'p-mine',
          name: 'Mine',
          decision: 'allow',
          include: [{ email: { email: 'a@example.com' } }],
        }),
        group('cloudflare_zero_trust_access_application.a', {
          id: 'a',
          name: 'A',
          domain: 'a.example.com',
          policies: [
            { id: 'p-dashboard', precedence: 1 },
            { id: 'p-mine', precedence: 2 },
          ],
        }),
      ]),
      't.json',
    );
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      '`cloudflare_zero_trust_access_application.a`: links the reusable policy `p-dashboard` that the configuration does not declare: written as `use extern id("p-dashboard")`, which leaves it as it is; what it decides is not part of the check',
    ]);
    expect(r.value.files.find((f) => f.name === 'apps.acl')?.text).toContain(
      'app "A" {\n  domain "a.example.com"\n  use extern id("p-dashboard")\n  use "Mine"\n}',
    );
    expect(r.value.proof?.apps).toBe(1);
  });

  it('leaves an app-scoped policy of an undeclared app to Terraform (not in the hand-over)', () => {
    const r = importTerraform(
      doc([
        group('cloudflare_access_policy.p', {
          id: 'p1',
          name: 'P',
          decision: 'allow',
          application_id: 'elsewhere',
          precedence: 1,
          include: [{ everyone: true }],
        }),
      ]),
      't.json',
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      '`cloudflare_access_policy.p`: its `application_id` (`elsewhere`) is an app the configuration does not declare, so it is not imported; keep managing it with Terraform',
    ]);
    expect(r.value.adopted).toEqual([]);
  });

  it('hands over only what the written files manage (not a saas app, not groups sharing a name)', () => {
    const r = importTerraform(
      doc([
        group('cloudflare_zero_trust_access_application.saas', { id: 's', name: 'S', type: 'saas' }),
        group('cloudflare_zero_trust_access_group.a', {
          id: 'g1',
          name: 'Same',
          include: [{ everyone: {} }],
        }),
        group('cloudflare_zero_trust_access_group.b', {
          id: 'g2',
          name: 'Same',
          include: [{ everyone: {} }],
        }),
        group('cloudflare_zero_trust_access_group.c', {
          id: 'g3',
          name: 'Other',
          include: [{ everyone: {} }],
        }),
      ]),
      't.json',
    );
    expect(r.value.adopted.map((a) => a.address)).toEqual(['cloudflare_zero_trust_access_group.c']);
    const left = r.diagnostics
      .filter((d) => d.message.includes('leaves it with Terraform'))
      .map((d) => d.message);
    expect(left).toHaveLength(3);
    expect(errors(r)).toEqual([]);
  });

  it('imports zone-level objects with their zone; leaves zone reusable policies and unknown Access resources out', () => {
    const zone = '0123456789abcdef0123456789abcdef';
    const r = importTerraform(
      doc([
        group('cloudflare_access_group.z', { zone_id: zone, name: 'Z', include: [{ everyone: true }] }),
        group('cloudflare_access_group.bad', {
          zone_id: 'zone1',
          name: 'Bad',
          include: [{ everyone: true }],
        }),
        group('cloudflare_access_policy.p', {
          zone_id: zone,
          name: 'P',
          decision: 'allow',
          include: [{ everyone: true }],
        }),
        group('cloudflare_access_organization.org', { name: 'org' }),
      ]),
      't.json',
    );
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      '`cloudflare_access_group.bad`: its `zone_id` (`zone1`) is not a zone id (32 hex digits); with a value only Terraform knows, import the output of `terraform show -json`',
      '`cloudflare_access_policy.p`: a zone-level policy without `application_id` would be reusable, and reusable policies exist only at account level; keep managing it with Terraform',
      '`cloudflare_access_organization.org`: `cloudflare_access_organization` is not imported: aclc does not manage it',
    ]);
    expect(r.value.files.find((f) => f.name === 'groups.acl')?.text).toContain(
      `group "Z" in zone id("${zone}") = everyone`,
    );
  });

  it('refuses a policy without a decision instead of guessing one', () => {
    const r = importTerraform(
      doc([group('cloudflare_access_policy.p', { name: 'P', include: [{ everyone: true }] })]),
      't.json',
    );
    expect(errors(r)).toEqual(['ACL0746 `cloudflare_access_policy.p`: the policy has no `decision`']);
  });

  it('refuses a rule it cannot read instead of dropping it', () => {
    const r = importTerraform(
      doc([
        group('cloudflare_access_group.g', {
          name: 'G',
          include: [{ email: ['a@example.com'], telepathy: ['x'] }],
        }),
      ]),
      't.json',
    );
    expect(errors(r)).toEqual([
      'ACL0746 `cloudflare_access_group.g`: `include` sets `telepathy`, a rule this importer does not read; the import would change who gets in',
    ]);
  });
});

describe('addresses and identities', () => {
  it('drops instance keys for `removed` blocks', () => {
    expect(withoutInstanceKeys('module.a["x"].module.b[0].cloudflare_access_group.g["k\\"]"]')).toBe(
      'module.a.module.b.cloudflare_access_group.g',
    );
  });

  it('checks both ends of a CIDR and the addresses just outside', () => {
    expect(cidrBoundaries('198.51.100.0/24')).toEqual([
      '198.51.100.0',
      '198.51.100.255',
      '198.51.100.255'.replace('100.255', '99.255'),
      '198.51.101.0',
    ]);
    expect(cidrBoundaries('0.0.0.0/0')).toEqual(['0.0.0.0', '255.255.255.255']);
    expect(cidrBoundaries('2001:db8::/48')).toEqual([
      '2001:db8::',
      '2001:db8:0:ffff:ffff:ffff:ffff:ffff',
      '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db8:1::',
    ]);
  });
});

/** Random v4 configurations: whatever the blocks hold, the import decides as they do (the proof finds nothing). */
describe('property: v4 blocks import to the same decisions', () => {
  const IDP = '0a1b2c3d-0000-4000-8000-00000000f001';
  const value = fc.oneof(
    fc.record({ email: fc.subarray(['a@example.com', 'b@example.org', 'c@example.com'], { minLength: 1 }) }),
    fc.record({ email_domain: fc.subarray(['example.com', 'example.org'], { minLength: 1 }) }),
    fc.record({ geo: fc.subarray(['US', 'DE', 'KP', 'FR'], { minLength: 1 }) }),
    fc.record({
      ip: fc.subarray(['10.0.0.0/8', '10.1.0.0/16', '192.0.2.7/32', '2001:db8::/32'], { minLength: 1 }),
    }),
    fc.record({ everyone: fc.constant(true) }),
    fc.record({ certificate: fc.constant(true) }),
    fc.record({ auth_method: fc.constantFrom('mfa', 'hwk') }),
    fc.record({ okta: fc.constant([{ name: ['eng', 'ops'], identity_provider_id: IDP }]) }),
    fc.record({ login_method: fc.constant([IDP]) }),
  );
  const blocks = fc.array(value, { minLength: 0, maxLength: 3 });
  const policy = fc.record({
    decision: fc.constantFrom('allow', 'deny', 'bypass', 'non_identity'),
    include: fc.array(value, { minLength: 1, maxLength: 3 }),
    exclude: blocks,
    require: blocks,
  });

  it('holds', () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 4 }), (policies) => {
        const resources = [
          {
            address: 'data.cloudflare_access_identity_provider.okta',
            mode: 'data',
            type: 'cloudflare_access_identity_provider',
            name: 'okta',
            values: { id: IDP, name: 'Okta', type: 'okta' },
          },
          ...policies.map((p, i) => ({
            address: `cloudflare_access_policy.p${i}`,
            mode: 'managed',
            type: 'cloudflare_access_policy',
            name: `p${i}`,
            values: { id: `pol-${i}`, name: `P${i}`, application_id: 'app-1', precedence: i + 1, ...p },
          })),
          {
            address: 'cloudflare_access_application.a',
            mode: 'managed',
            type: 'cloudflare_access_application',
            name: 'a',
            values: { id: 'app-1', name: 'App', domain: 'app.example.com', type: 'self_hosted' },
          },
        ];
        const read = readShowJson({ format_version: '1.0', values: { root_module: { resources } } });
        const r = importTerraform(read.value as TfDocument, 'p.json');
        expect(errors(r)).toEqual([]);
        expect(r.value.proof?.apps).toBe(1);
        // Independently of the importer's mapping: the v4 meaning, read straight off the blocks, is what the
        // written files decide.
        const compiled = compileImport(r.value.files, r.value.live as LiveState).resolved;
        const entries = policies.map((p, i) => ({ p, decision: p.decision as Decision, precedence: i + 1 }));
        for (const identity of POOL) {
          const hit = executionOrder(entries).find(({ p }) => v4Matches(p, identity));
          const want = hit?.decision ?? 'none';
          expect(evaluateCompiledApp(compiled, 'App', identity).decision, JSON.stringify(identity)).toBe(
            want,
          );
        }
      }),
      { numRuns: 40 },
    );
  });

  /** v4's meaning: any value of any `include` block, every value of every `require` block, no `exclude` value. */
  type Block = Record<string, unknown>;
  function v4Value(key: string, v: unknown, id: Identity): boolean {
    switch (key) {
      case 'email':
        return id.email === v;
      case 'email_domain':
        return id.email?.endsWith(`@${String(v)}`) ?? false;
      case 'geo':
        return id.country === v;
      case 'ip': {
        if (id.ip === undefined) return false;
        const addr = ipaddr.parse(id.ip);
        const [net, bits] = ipaddr.parseCIDR(String(v));
        return addr.kind() === net.kind() && addr.match(net, bits);
      }
      case 'everyone':
        return v === true;
      case 'certificate':
        return v === true && id.certificate === true;
      case 'auth_method':
        return id.authMethods?.includes(String(v)) ?? false;
      case 'login_method':
        return id.loginMethod === v;
      case 'okta': {
        const b = v as { name: string; identity_provider_id: string };
        return id.loginMethod === b.identity_provider_id && (id.idpGroups?.includes(b.name) ?? false);
      }
      default:
        throw new Error(key);
    }
  }
  /** Each value of a block as the one API rule v4 makes of it. */
  const values = (b: Block): [string, unknown][] =>
    Object.entries(b).flatMap(([k, v]): [string, unknown][] => {
      if (k === 'okta')
        return (v as { name: string[]; identity_provider_id: string }[]).flatMap((o) =>
          o.name.map((name): [string, unknown] => [
            k,
            { name, identity_provider_id: o.identity_provider_id },
          ]),
        );
      return Array.isArray(v) ? v.map((x): [string, unknown] => [k, x]) : [[k, v]];
    });
  function v4Matches(p: { include: Block[]; exclude: Block[]; require: Block[] }, id: Identity): boolean {
    const any = (bs: Block[]) => bs.some((b) => values(b).some(([k, v]) => v4Value(k, v, id)));
    return (
      any(p.include) &&
      p.require.every((b) => values(b).every(([k, v]) => v4Value(k, v, id))) &&
      !any(p.exclude)
    );
  }
  /** Identities across the values the blocks use, both sides of the CIDRs, alone and mixed. */
  const POOL: Identity[] = (() => {
    const emails = [undefined, 'a@example.com', 'b@example.org', 'c@example.com', 'z@example.net'];
    const countries = [undefined, 'US', 'DE', 'KP', 'FR', 'JP'];
    const ips = [
      undefined,
      '10.0.0.1',
      '10.1.255.255',
      '10.2.0.0',
      '11.0.0.0',
      '192.0.2.7',
      '192.0.2.8',
      '2001:db8::1',
    ];
    const out: Identity[] = [];
    let n = 7;
    const pick = <T>(xs: T[]): T => {
      n = (n * 1103515245 + 12345) % 2147483648;
      return xs[n % xs.length] as T;
    };
    for (let i = 0; i < 300; i++) {
      const id: Identity = {};
      const email = pick(emails);
      if (email) id.email = email;
      const country = pick(countries);
      if (country) id.country = country;
      const ip = pick(ips);
      if (ip) id.ip = ip;
      if (pick([true, false])) id.certificate = true;
      const methods = pick([[], ['mfa'], ['hwk'], ['mfa', 'hwk']]);
      if (methods.length) id.authMethods = methods;
      if (pick([true, false, false])) {
        id.loginMethod = IDP;
        id.idpGroups = pick([['eng'], ['ops'], ['sales'], ['eng', 'ops']]);
      }
      out.push(id);
    }
    return out;
  })();
});

describe('.tf files read directly', () => {
  it('imports literal values (v4 blocks and v5 objects in one folder), proved like show -json', async () => {
    const read = await readTfFiles(join(FIXTURES, 'tf-files'), 'tf-files', true);
    expect(read.diagnostics).toEqual([]);
    const result = importTerraform(read.doc as TfDocument, 'tf-files');
    expect(errors(result)).toEqual([]);
    expect(result.value.proof?.apps).toBe(1);
    expect(result.value.proof?.differences).toEqual([]);
    for (const f of result.value.files)
      await expect(f.text).toMatchFileSnapshot(join(FIXTURES, 'tf-files', 'expected', f.name));
    expect(result.value.adopted.map((r) => r.address).sort()).toEqual([
      'cloudflare_zero_trust_access_application.wiki',
      'cloudflare_zero_trust_access_group.staff',
      'cloudflare_zero_trust_access_policy.office',
      'cloudflare_zero_trust_access_policy.travel',
    ]);
  });

  it('points at every value that needs Terraform, where it is written', async () => {
    const read = await readTfFiles(join(FIXTURES, 'tf-needs-terraform'), 'tf-needs-terraform', true);
    expect(read.doc).toBeUndefined();
    const file = read.files[0] as SourceFile;
    const at = read.diagnostics.map((d) => {
      const { line, column } = file.position(d.span.start);
      return `${d.code} ${line}:${column} ${d.message}`;
    });
    expect(at).toEqual([
      'ACL0744 8:3 `for_each` needs Terraform to evaluate it (`for_each`: one resource stands for several)',
      'ACL0744 10:16 `each.value` needs Terraform to evaluate it (a `for_each` or `count` value)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL templates in the expected messages
      'ACL0744 19:24 `${upper("x")}` needs Terraform to evaluate it (a function call)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: HCL templates in the expected messages
      'ACL0744 22:13 `[for u in ["a", "b"] : "${u}@example.com"]` needs Terraform to evaluate it (a `for` expression)',
      'ACL0744 26:1 `module.more` needs Terraform to evaluate it (a module: only Terraform knows the resources it makes)',
    ]);
    expect(read.diagnostics[0]?.help).toContain('terraform show -json');
  });

  it('says what is wrong with a file that is not HCL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aclc-tf-'));
    writeFileSync(join(dir, 'bad.tf'), 'resource "x" {\n');
    const read = await readTfFiles(join(dir, 'bad.tf'), 'bad.tf', false);
    expect(read.diagnostics.map((d) => d.code)).toEqual(['ACL0740']);
    expect(read.diagnostics[0]?.message).toMatch(/^cannot read the Terraform configuration `bad.tf`: /);
  });
});

describe('property: malformed input gets diagnostics, never an exception', () => {
  const TYPES = [
    'cloudflare_access_group',
    'cloudflare_zero_trust_access_policy',
    'cloudflare_access_application',
    'cloudflare_zero_trust_access_identity_provider',
    'cloudflare_teams_list',
  ];
  it('holds for arbitrary JSON and for resources with arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.array(
          fc.record({ type: fc.constantFrom(...TYPES), values: fc.dictionary(fc.string(), fc.anything()) }),
          { maxLength: 4 },
        ),
        (junk, resources) => {
          readShowJson(junk);
          const read = readShowJson({
            format_version: '1.0',
            values: {
              root_module: {
                resources: resources.map((r, i) => ({
                  ...r,
                  address: `${r.type}.r${i}`,
                  name: `r${i}`,
                  mode: 'managed',
                })),
              },
            },
          });
          expect(read.error).toBeUndefined();
          importTerraform(read.value as TfDocument, 'junk.json');
        },
      ),
      { numRuns: 150 },
    );
  });
});
