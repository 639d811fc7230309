import { describe, expect, it } from 'vitest';
import { canonEqual, canonicalApp } from '../../src/deploy/canonical.js';
import { mergeUnmanaged } from '../../src/deploy/plan-fields.js';

/** A SAML SaaS app as a create answers it (cloudflare-go v0 fixture `TestCreateSAMLSaasAccessApplications`). */
const LIVE = {
  id: 'a1',
  name: 'Expenses',
  type: 'saas',
  domain: 'example.cloudflareaccess.com/cdn-cgi/access/sso/saml/737646a5',
  aud: '737646a5',
  session_duration: '24h',
  allowed_idps: [],
  auto_redirect_to_identity: false,
  enable_binding_cookie: false,
  app_launcher_visible: true,
  saas_app: {
    consumer_service_url: 'https://saas.example.com',
    sp_entity_id: 'dash.example.com',
    name_id_format: 'id',
    custom_attributes: [{ name: 'test1', source: { name: 'test1' } }],
    idp_entity_id: 'https://example.cloudflareaccess.com',
    public_key: 'PEM',
    sso_endpoint: 'https://example.cloudflareaccess.com/cdn-cgi/access/sso/saml/737646a5',
  },
  policies: [],
};

/** What `saas_app { … }` compiles to for that app. */
const CODE = {
  name: 'Expenses',
  type: 'saas',
  saas_app: {
    auth_type: 'saml',
    consumer_service_url: 'https://saas.example.com',
    name_id_format: 'id',
    sp_entity_id: 'dash.example.com',
  },
  policies: [],
};

describe('SaaS apps: computed fields never drift, fields the language cannot write are kept', () => {
  it('compares equal to the account: computed `domain`, `sso_endpoint`, keys and `auth_type saml` ignored', () => {
    // The update body: `custom_attributes`, which this code does not write, kept as the account has it.
    const { body } = mergeUnmanaged('app', LIVE, CODE);
    expect(canonEqual(canonicalApp(LIVE), canonicalApp(body))).toBe(true);
    const written = {
      ...CODE,
      saas_app: { ...CODE.saas_app, custom_attributes: LIVE.saas_app.custom_attributes },
    };
    expect(canonEqual(canonicalApp(LIVE), canonicalApp(written))).toBe(true);
  });

  it('sees a change of a field the code owns', () => {
    const other = { ...CODE, saas_app: { ...CODE.saas_app, name_id_format: 'email' } };
    expect(canonEqual(canonicalApp(LIVE), canonicalApp(other))).toBe(false);
    const oidc = { ...CODE, saas_app: { auth_type: 'oidc', redirect_uris: ['https://x.example.com'] } };
    expect(canonEqual(canonicalApp(LIVE), canonicalApp(oidc))).toBe(false);
  });

  it('an update sends back `custom_attributes` and never the computed fields', () => {
    const { body, kept } = mergeUnmanaged('app', LIVE, CODE);
    expect(body.saas_app).toEqual({ ...CODE.saas_app, custom_attributes: LIVE.saas_app.custom_attributes });
    expect(kept).toContain('saas_app.custom_attributes');
    expect(body).not.toHaveProperty('domain');
  });
});
