import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalApp, canonicalJson } from '../../src/deploy/canonical.js';
import type { LiveState } from '../../src/deploy/live.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { formatSource } from '../../src/fmt/print.js';
import { accountFromExport } from '../../src/import/account.js';
import { importAccount } from '../../src/import/import.js';
import { liveDocument } from '../../src/import/live-document.js';
import { compileImport } from '../../src/import/proof.js';
import { identifierFor, quote } from '../../src/import/text.js';
import type { CompiledProject } from '../../src/model/compiled.js';
import { IDS, prng, randomAccount, randomIdentity } from './arbitraries.js';

/** Import an account, compile the files, and resolve account names back to the account's ids. */
function roundTrip(live: LiveState) {
  const imported = importAccount(live);
  const files = imported.value.files.map((f) => new SourceFile(f.name, f.text));
  const compiled = compileImport(imported.value.files, live);
  return {
    imported,
    files,
    diagnostics: [...imported.diagnostics, ...compiled.diagnostics],
    resolved: compiled.resolved,
  };
}

/** Every app of the account decides as the import does, for random identities. */
function expectSameDecisions(live: LiveState, resolved: CompiledProject, seed: number): Set<string> {
  const original = liveDocument(live);
  const r = prng(seed);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const identity = randomIdentity(r);
    for (const app of live.apps) {
      const want = evaluateCompiledApp(original, app.name, identity).decision;
      seen.add(want);
      expect(evaluateCompiledApp(resolved, app.name, identity).decision, app.name).toBe(want);
    }
  }
  return seen;
}

describe('importAccount', () => {
  it('writes identity providers, groups, shared policies and apps, inlining what one app owns', () => {
    const live: LiveState = {
      groups: [
        {
          id: 'g1',
          name: 'Engineers',
          include: [
            { okta: { identity_provider_id: IDS.okta, name: 'eng' } },
            { email_domain: { domain: 'eng.example.com' } },
          ],
          exclude: [],
          require: [],
        },
        {
          id: 'g2',
          name: 'aclc~0123456789ab',
          include: [{ geo: { country_code: 'US' } }],
          exclude: [],
          require: [{ auth_method: { auth_method: 'mfa' } }],
        },
      ],
      policies: [
        {
          id: 'p1',
          name: 'Block',
          decision: 'deny',
          include: [{ geo: { country_code: 'KP' } }, { geo: { country_code: 'IR' } }],
          exclude: [],
          require: [],
          reusable: true,
        },
        {
          id: 'p2',
          name: 'Wiki / Staff',
          decision: 'allow',
          include: [{ group: { id: 'g1' } }, { group: { id: 'g2' } }],
          exclude: [{ email: { email: 'intern@example.com' } }],
          require: [],
          session_duration: '2h',
          reusable: true,
        },
      ],
      apps: [
        {
          id: 'a1',
          name: 'Wiki',
          type: 'self_hosted',
          domain: 'wiki.example.com',
          session_duration: '24h',
          app_launcher_visible: false,
          allowed_idps: [IDS.okta],
          policies: [
            { id: 'p1', precedence: 1, reusable: true },
            { id: 'p2', precedence: 2, reusable: true },
            {
              id: 'l1',
              precedence: 5,
              name: 'Old "bypass"',
              decision: 'bypass',
              include: [{ ip: { ip: '192.0.2.0/24' } }],
              exclude: [],
              require: [],
              reusable: false,
            },
          ],
        },
      ],
      idps: [{ id: IDS.okta, name: 'Okta', type: 'okta', config: {} }],
      lists: [],
      serviceTokens: [],
      postureRules: [],
    };
    const { value, diagnostics } = importAccount(live);
    expect(diagnostics).toEqual([]);
    expect(Object.fromEntries(value.files.map((f) => [f.name, f.text]))).toEqual({
      'idps.acl': '# Imported from the Cloudflare account by `aclc import`.\n\nidp okta: okta = "Okta"\n',
      'groups.acl':
        '# Imported from the Cloudflare account by `aclc import`.\n\ngroup "Engineers" = okta_group(okta, "eng") or email_domain("eng.example.com")\n',
      'policies.acl':
        '# Imported from the Cloudflare account by `aclc import`.\n\npolicy "Block" deny if country("KP", "IR")\n',
      'apps.acl': [
        '# Imported from the Cloudflare account by `aclc import`.',
        '',
        'app "Wiki" {',
        '  domain "wiki.example.com"',
        '  app_launcher_visible false',
        '  allowed_idps [okta]',
        '  use "Block"',
        '  allow "Staff" if (group("Engineers") or (country("US") and auth_method("mfa")))',
        '    and not email("intern@example.com") {',
        '    session_duration 2h',
        '  }',
        '  bypass "Old \\"bypass\\"" if ip("192.0.2.0/24") precedence 5',
        '}',
        '',
      ].join('\n'),
    });
    expect(value.summary).toEqual({ idps: 1, groups: 1, policies: 2, apps: 1, legacy: 1 });
  });

  it('warns about what the language cannot express', () => {
    const live: LiveState = {
      groups: [],
      policies: [
        {
          id: 'p1',
          name: 'Odd',
          decision: 'allow',
          include: [{ future_rule: { x: 1 } }, { everyone: {} }],
          exclude: [],
          require: [],
          reusable: true,
        },
      ],
      apps: [
        { id: 'a1', name: 'SaaS', type: 'saas', domain: '', policies: [] },
        { id: 'a3', name: 'Launcher', type: 'app_launcher', domain: '', policies: [] },
        {
          id: 'a2',
          name: 'Site',
          type: 'self_hosted',
          domain: 'site.example.com',
          allow_iframe: true,
          scim_config: { enabled: true, idp_uid: 'idp-1', remote_uri: 'https://scim.example.com' },
          policies: [{ id: 'p1', precedence: 1 }],
        },
      ],
    };
    const { diagnostics } = importAccount(live);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        'ACL0864',
        'warning',
        'cannot import a rule of policy `Odd`: rule type `future_rule` has no selector in aclc',
      ],
      [
        'ACL0864',
        'warning',
        'cannot import the app of app `Launcher`: apps of type `app_launcher` are not supported by aclc',
      ],
      [
        'ACL0864',
        'warning',
        'cannot import the app of app `SaaS`: apps of type `saas` need `saas_app`, which the account does not give',
      ],
      [
        'ACL0864',
        'warning',
        'cannot import field `allow_iframe` of app `Site`: the language has no setting for it; apply keeps it as the account has it',
      ],
      [
        'ACL0864',
        'warning',
        'cannot import field `scim_config` of app `Site`: the language has no setting for it; apply keeps it as the account has it',
      ],
    ]);
  });

  it('reads a JSON export with links and legacy policies', () => {
    const read = accountFromExport({
      groups: [],
      policies: [{ id: 'p1', name: 'P', decision: 'allow', include: [{ everyone: {} }] }],
      apps: [{ id: 'a1', name: 'A', domain: 'a.example.com', policies: [{ id: 'p1', precedence: 2 }] }],
      app_policies: {
        a1: [{ id: 'l1', name: 'L', decision: 'deny', include: [{ everyone: {} }], precedence: 1 }],
      },
    });
    expect(read.live?.apps[0]?.policies).toEqual([
      { id: 'l1', name: 'L', decision: 'deny', include: [{ everyone: {} }], precedence: 1, reusable: false },
      { id: 'p1', name: 'P', decision: 'allow', include: [{ everyone: {} }], precedence: 2, reusable: true },
    ]);
    expect(accountFromExport({ groups: [{}] }).error).toBe('`groups[0]` has no `id`');
  });

  it('refuses what is not an account export, saying what it expected', () => {
    const expected =
      'expected an account export `{ "groups": […], "policies": […], "apps": […], … }` as `aclc export` writes it';
    expect(accountFromExport([]).error).toBe(`the file is not a JSON object; ${expected}`);
    expect(accountFromExport({}).error).toBe(
      `it has none of \`groups\`, \`policies\` and \`apps\`; ${expected}`,
    );
    expect(accountFromExport({ success: true, errors: [], result: [{ id: 'x' }] }).error).toBe(
      `this is a raw Cloudflare API response (it has \`result\`), not an account export; ${expected}`,
    );
    expect(accountFromExport({ groups: [], polices: [] }).error).toBe(
      `unknown top-level key \`polices\`; ${expected}`,
    );
    expect(accountFromExport({ format: 'aclc-export', version: 2, apps: [] }).error).toBe(
      'export version 2 is not one this aclc reads (1); update aclc',
    );
    expect(accountFromExport({ format: 'aclc-export', version: 1, apps: [] }).live?.apps).toEqual([]);
  });

  it('tells same-name objects apart by id: never one for the other, never `use` twice', () => {
    const rule = (email: string) => [{ email: { email } }];
    const live: LiveState = {
      groups: [
        { id: 'g1', name: 'Team', include: rule('a@example.com'), exclude: [], require: [] },
        { id: 'g2', name: 'Team', include: rule('b@eng.example.com'), exclude: [], require: [] },
      ],
      policies: [
        {
          id: 'p1',
          name: 'Shared',
          decision: 'allow',
          include: [{ group: { id: 'g1' } }],
          exclude: [],
          require: [],
          reusable: true,
        },
        {
          id: 'p2',
          name: 'Shared',
          decision: 'deny',
          include: [{ group: { id: 'g2' } }],
          exclude: [],
          require: [],
          reusable: true,
        },
        {
          id: 'p3',
          name: 'Both / Mine',
          decision: 'allow',
          include: rule('c@contractor.example.net'),
          exclude: [],
          require: [],
          reusable: true,
        },
        {
          id: 'p4',
          name: 'Both / Mine',
          decision: 'allow',
          include: rule('root@example.org'),
          exclude: [],
          require: [],
          reusable: true,
        },
      ],
      apps: [
        {
          id: 'a1',
          name: 'One',
          type: 'self_hosted',
          domain: 'one.example.com',
          policies: [{ id: 'p1', precedence: 1 }],
        },
        {
          id: 'a2',
          name: 'Two',
          type: 'self_hosted',
          domain: 'two.example.com',
          policies: [{ id: 'p2', precedence: 1 }],
        },
        {
          id: 'a3',
          name: 'Both',
          type: 'self_hosted',
          domain: 'both.example.com',
          policies: [
            { id: 'p2', precedence: 1 },
            { id: 'p1', precedence: 2 },
            { id: 'p3', precedence: 3 },
            { id: 'p4', precedence: 4 },
          ],
        },
      ],
    };
    const { files, diagnostics, resolved, imported } = roundTrip(live);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const text = Object.fromEntries(imported.value.files.map((f) => [f.name, f.text]));
    expect(text['apps.acl']).toContain(
      '  use extern id("p2")\n  use extern id("p1")\n  use extern id("p3")\n  use extern id("p4")\n',
    );
    expect(text['policies.acl']).toBeUndefined();
    expect(text['groups.acl']).toBeUndefined();
    expect(diagnostics.map((d) => d.message)).toContain(
      'cannot import the policy of policy `Shared` (p1): 2 reusable policies are named `Shared`, and aclc manages a policy by its name; apps attach this one with `use extern id("p1")` and it stays as it is in the account',
    );
    for (const f of files) expect(formatSource(f).value, f.path).toBe(f.text);
    expect([...expectSameDecisions(live, resolved, 1)].sort()).toEqual(['allow', 'deny', 'none']);
  });

  it('writes names and strings the lexer reads back', () => {
    expect(quote('a "b" \\ c\nd\u0001')).toBe('"a \\"b\\" \\\\ c\\nd\\u{1}"');
    const taken = new Set<string>();
    expect(
      ['Okta (corporate)', 'okta', 'One-time PIN', '123', 'and', 'Okta (corporate)'].map((n) =>
        identifierFor(n, taken),
      ),
    ).toEqual(['okta_corporate', 'okta', 'one_time_pin', 'idp', 'and_', 'okta_corporate_2']);
  });

  it('round-trips: import, compile, and every app decides as the account does (property)', () => {
    const seen = new Set<string>();
    let legacy = 0;
    let inlined = 0;
    const written = new Set<string>();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const live = randomAccount(seed);
        const { diagnostics, resolved, files, imported } = roundTrip(live);
        legacy += imported.value.summary.legacy;
        inlined += files.filter((f) => f.path === 'groups.acl').length === 0 ? 0 : 1;
        const all = files.map((f) => f.text).join('\n');
        for (const form of ['use extern id(', 'destination {', 'max_age -1', 'connection_rules {', '-*.'])
          if (all.includes(form)) written.add(form);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (hasErrors(errors))
          throw new Error(
            `${errors.map((d) => d.message).join('\n')}\n${files.map((f) => f.text).join('\n')}`,
          );
        // The only thing to say: same-name policies are attached by id and left as they are.
        for (const d of diagnostics) expect(d.message).toMatch(/reusable policies are named `Shared \d`/);
        // Fields the language now writes come back as the account has them.
        const doc = resolved;
        for (const p of live.policies) {
          const back = doc.policies.find((q) => q.name === p.name);
          if (back)
            expect(canonicalJson(back.connection_rules, 'connection_rules'), p.name).toEqual(
              canonicalJson(p.connection_rules, 'connection_rules'),
            );
        }
        for (const a of live.apps) {
          const back = doc.apps.find((x) => x.name === a.name) as Record<string, unknown>;
          const want = canonicalApp(a as unknown as Record<string, unknown>);
          const got = canonicalApp(back);
          for (const f of ['domain', 'domains', 'private_destinations', 'cors_headers'])
            expect(got[f], `${a.name} ${f}`).toEqual(want[f]);
        }
        // Already formatted: `aclc fmt --check` has nothing to say about a fresh import.
        for (const f of files) expect(formatSource(f).value, f.path).toBe(f.text);
        const original = liveDocument(live);
        const r = prng(seed ^ 0x5bd1e995);
        for (let i = 0; i < 40; i++) {
          const identity = randomIdentity(r);
          for (const app of live.apps) {
            const want = evaluateCompiledApp(original, app.name, identity).decision;
            const got = evaluateCompiledApp(resolved, app.name, identity).decision;
            seen.add(want);
            if (want !== got) {
              throw new Error(
                `app ${app.name}: account decides ${want}, import decides ${got} for ${JSON.stringify(identity)}\n${files.map((f) => f.text).join('\n')}`,
              );
            }
          }
        }
      }),
      { numRuns: 80 },
    );
    // The property exercised every outcome and the legacy path.
    expect([...seen].sort()).toEqual(['allow', 'bypass', 'deny', 'non_identity', 'none']);
    expect(legacy).toBeGreaterThan(0);
    expect(inlined).toBeGreaterThan(0);
    // …and wrote every new form: same-name policies by id, destinations, `-1`, connection rules, wildcards.
    expect([...written].sort()).toEqual(
      ['-*.', 'connection_rules {', 'destination {', 'max_age -1', 'use extern id('].sort(),
    );
  });
});
