import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { canonEqual, canonicalApp } from '../../src/deploy/canonical.js';
import { emptyLiveState } from '../../src/deploy/live.js';
import { mergeUnmanaged } from '../../src/deploy/plan-fields.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { cloudflareValidators } from '../../src/emulator/validators.js';
import { importAccount } from '../../src/import/import.js';
import { compileImport } from '../../src/import/proof.js';
import type { WireApp } from '../../src/model/compiled.js';
import { analyzeSources } from '../../src/pipeline.js';
import { validateApp } from '../../src/schemas/validate.js';

/**
 * The structured `saas_app` fields (`custom_attributes`, `custom_claims`, `hybrid_and_implicit_options`,
 * `refresh_token_options`): their wire keys and shapes, checked against aclc's app schema and Cloudflare's (the
 * emulator's validators), kept on update when the code does not write them, and imported back losslessly.
 */

const IDP = 'c0ffee00-0000-4000-8000-000000000001';
const SAML = `type saas
saas_app {
  sp_entity_id "https://x.example.com"
  consumer_service_url "https://x.example.com/acs"
  custom_attributes [{
    name "email"
    name_format "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
    friendly_name "Email"
    required true
    source { name "email" name_by_idp [{ identity_provider okta source_name "mail" }] }
  }, { name "groups" source { name "groups" } }]
}`;
const OIDC = `type saas
saas_app {
  auth_type oidc
  redirect_uris ["https://x.example.com/cb"]
  grant_types [authorization_code, hybrid]
  custom_claims [{ name "department" required false scope profile source { name "dept" name_by_idp [{ identity_provider id("${IDP}") source_name "department" }] } }]
  hybrid_and_implicit_options { return_id_token_from_authorization_endpoint true return_access_token_from_authorization_endpoint false }
  refresh_token_options { lifetime "30d" }
}`;

function compile(body: string) {
  const text = `idp okta: okta = "Okta"\napp "A" {\n${body}\n}\n`;
  const analyzed = analyzeSources([new SourceFile('a.acl', text)]);
  const compiled = analyzed.diagnostics.some((d) => d.severity === 'error')
    ? undefined
    : compileProject(analyzed.project);
  return {
    codes: [...analyzed.diagnostics, ...(compiled?.diagnostics ?? [])].map((d) => d.code),
    app: compiled?.value.document.apps[0] as WireApp,
  };
}

/** The compiled app as an account holds it: the IdP `okta` is `IDP`. */
const asAccount = (app: WireApp) => JSON.parse(JSON.stringify(app).replaceAll('$ref:idp:Okta', IDP));
const account = (app: Record<string, unknown>) => ({
  ...emptyLiveState(),
  idps: [{ id: IDP, name: 'Okta', type: 'okta' } as never],
  apps: [{ ...app, id: 'a1', policies: [] } as never],
});

describe('structured saas_app fields', () => {
  it('SAML `custom_attributes`: `name_by_idp` as the list the API takes; both schemas accept the body', () => {
    const { codes, app } = compile(SAML);
    expect(codes).toEqual([]);
    expect(app.saas_app).toEqual({
      auth_type: 'saml',
      consumer_service_url: 'https://x.example.com/acs',
      sp_entity_id: 'https://x.example.com',
      custom_attributes: [
        {
          name: 'email',
          name_format: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
          friendly_name: 'Email',
          required: true,
          source: { name: 'email', name_by_idp: [{ idp_id: '$ref:idp:Okta', source_name: 'mail' }] },
        },
        { name: 'groups', source: { name: 'groups' } },
      ],
    });
    expect(validateApp(app)).toEqual({ valid: true });
    expect(cloudflareValidators().app({ ...app, policies: [] })).toEqual({ valid: true });
  });

  it('OIDC `custom_claims`, `hybrid_and_implicit_options`, `refresh_token_options`', () => {
    const { codes, app } = compile(OIDC);
    expect(codes).toEqual([]);
    expect(app.saas_app).toMatchObject({
      auth_type: 'oidc',
      custom_claims: [
        {
          name: 'department',
          required: false,
          scope: 'profile',
          source: { name: 'dept', name_by_idp: [{ idp_id: IDP, source_name: 'department' }] },
        },
      ],
      hybrid_and_implicit_options: {
        return_id_token_from_authorization_endpoint: true,
        return_access_token_from_authorization_endpoint: false,
      },
      refresh_token_options: { lifetime: '30d' },
    });
    expect(validateApp(app)).toEqual({ valid: true });
    expect(cloudflareValidators().app({ ...app, policies: [] })).toEqual({ valid: true });
  });

  it('refuses a field of the other protocol and a lifetime the API does not take', () => {
    expect(
      compile(SAML.replace('saas_app {', 'saas_app {\n  refresh_token_options { lifetime "1h" }')).codes,
    ).toEqual(['ACL0621']);
    expect(compile(OIDC.replace('"30d"', '"1m"')).codes).toEqual(['ACL0683']);
    expect(compile(OIDC.replace('"30d"', '"2 weeks"')).codes).toEqual(['ACL0683']);
    expect(compile(SAML.replace('friendly_name "Email"', 'friendly_name ""')).codes).toEqual(['ACL0406']);
  });

  it('an update keeps the fields the code does not write, and writes those it does (`[]` clears)', () => {
    const live = {
      id: 'a1',
      name: 'A',
      type: 'saas',
      saas_app: {
        auth_type: 'saml',
        sp_entity_id: 'https://x.example.com',
        consumer_service_url: 'https://x.example.com/acs',
        custom_attributes: [{ name: 'legacy', source: { name: 'legacy' } }],
        sso_endpoint: 'https://example.cloudflareaccess.com/sso',
      },
      policies: [],
    };
    const without = compile(SAML.replace(/ {2}custom_attributes[\s\S]*\}\]\n/, '')).app;
    const merged = mergeUnmanaged('app', live, without);
    expect(merged.kept).toContain('saas_app.custom_attributes');
    expect(
      canonEqual(canonicalApp(live), canonicalApp(merged.body as unknown as Record<string, unknown>)),
    ).toBe(true);
    const written = mergeUnmanaged('app', live, compile(SAML).app);
    expect((written.body.saas_app as Record<string, unknown>).custom_attributes).toEqual(
      (compile(SAML).app.saas_app as Record<string, unknown>).custom_attributes,
    );
    const cleared = compile(SAML.replace(/custom_attributes \[[\s\S]*\}\]\n/, 'custom_attributes []\n')).app;
    const body = mergeUnmanaged('app', live, cleared).body;
    expect(canonEqual(canonicalApp(live), canonicalApp(body as unknown as Record<string, unknown>))).toBe(
      false,
    );
  });

  it('reads an account that answers `name_by_idp` as a map (older API versions) as the same list', () => {
    const app = asAccount(compile(SAML).app);
    const saas = app.saas_app as Record<string, unknown>;
    const attributes = saas.custom_attributes as { source: Record<string, unknown> }[];
    const asMap = {
      ...app,
      saas_app: {
        ...saas,
        custom_attributes: attributes.map((a, i) =>
          i === 0 ? { ...a, source: { ...a.source, name_by_idp: { [IDP]: 'mail' } } } : a,
        ),
      },
    };
    expect(canonEqual(canonicalApp(asMap), canonicalApp(app))).toBe(true);
    // The IdP by its name in the account (`okta`); an IdP the account no longer has, by id.
    const text = (live: ReturnType<typeof account>) =>
      importAccount(live).value.files.find((f) => f.name === 'apps.acl')?.text;
    expect(text(account(asMap))).toMatch(
      /name_by_idp \[\s*\{\s*identity_provider okta\s+source_name "mail"\s*\},?\s*\]/,
    );
    expect(text({ ...account(asMap), idps: [] })).toContain(`identity_provider id("${IDP}")`);
  });

  it.each([
    ['SAML', SAML],
    ['OIDC', OIDC],
  ])('%s: imported back as written, and the import compiles to the account again', (_, body) => {
    const app = asAccount(compile(body).app);
    const live = account(app);
    const imported = importAccount(live);
    expect(imported.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const again = compileImport(imported.value.files, live);
    expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const back = again.resolved.apps[0] as unknown as Record<string, unknown>;
    // As plans compare them (a `false` the import leaves out is the API's default).
    expect(canonEqual(canonicalApp(back), canonicalApp(app))).toBe(true);
    expect(Object.keys(back.saas_app as object).sort()).toEqual(Object.keys(app.saas_app as object).sort());
  });
});
