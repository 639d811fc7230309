import { NON_EMPTY, type SettingsTable, type StringCheck } from './schema.js';

/**
 * The structured `saas_app` fields real SaaS configurations use, with the shapes of Cloudflare's schema
 * (cloudflare/api-schemas `openapi.json`: `access_saml_saas_app.custom_attributes`,
 * `access_oidc_saas_app.custom_claims`, `hybrid_and_implicit_options`, `refresh_token_options`; the emulator's copy
 * in `schemas/emulator-api.schema.json`). `source.name_by_idp` is a list of `{ idp_id, source_name }`: the current
 * API's form (terraform-provider-cloudflare v5 `zero_trust_access_application` schema, cloudflare-typescript
 * `CustomClaim.Source.NameByIdP[]`); some versions of the spec gave SAML apps a map from IdP id to name, which
 * `fromWire` and `canonicalNameByIdp` read as the same list.
 */

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `name_by_idp` in either form (a map from IdP id to name, or the list), as the list, in IdP id order. */
export function nameByIdp(value: unknown): { idp_id: string; source_name: unknown }[] | unknown {
  const entries: [string, unknown][] = isRecord(value)
    ? Object.entries(value)
    : Array.isArray(value) && value.every((e) => isRecord(e) && typeof e.idp_id === 'string')
      ? (value as Rec[]).map((e) => [e.idp_id as string, e.source_name])
      : [];
  if (entries.length === 0 && !isRecord(value)) return value;
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([idp_id, source_name]) => ({ idp_id, source_name }));
}

/**
 * A `saas_app`'s `custom_attributes` / `custom_claims` with every `source.name_by_idp` as `nameByIdp` gives it, so
 * that plans compare the list the code sends with either form an account answers.
 */
export function canonicalNameByIdp(saas: Rec): Rec {
  const fix = (items: unknown): unknown =>
    Array.isArray(items)
      ? items.map((item) =>
          isRecord(item) && isRecord(item.source) && item.source.name_by_idp !== undefined
            ? { ...item, source: { ...item.source, name_by_idp: nameByIdp(item.source.name_by_idp) } }
            : item,
        )
      : items;
  const out = { ...saas };
  for (const key of ['custom_attributes', 'custom_claims'])
    if (out[key] !== undefined) out[key] = fix(out[key]);
  return out;
}

/** One entry of `name_by_idp`. */
const NAME_BY_IDP: SettingsTable = {
  name: 'name_by_idp',
  where: 'a `name_by_idp` entry',
  entries: [
    {
      key: 'identity_provider',
      wire: 'idp_id',
      type: { kind: 'idp' },
      doc: 'the identity provider: a name declared with `idp NAME = …`, or `id("…")`',
      example: 'identity_provider okta',
    },
    {
      key: 'source_name',
      wire: 'source_name',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the name of the attribute in that identity provider',
      example: 'source_name "mail"',
    },
  ],
};

/** `source { name … name_by_idp [{ … }] }`: where an attribute or claim takes its value. */
const SOURCE: SettingsTable = {
  name: 'source',
  where: 'the `source` block',
  entries: [
    {
      key: 'name',
      wire: 'name',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the name of the identity provider attribute the value comes from',
      example: 'name "email"',
    },
    {
      key: 'name_by_idp',
      wire: 'name_by_idp',
      type: { kind: 'blocks', table: NAME_BY_IDP },
      doc: 'the attribute name in a given identity provider, where it differs (`identity_provider`, `source_name`)',
      example: 'name_by_idp [{ identity_provider okta source_name "mail" }]',
    },
  ],
  fromWire(wire) {
    return wire.name_by_idp === undefined ? wire : { ...wire, name_by_idp: nameByIdp(wire.name_by_idp) };
  },
};

/** `required` and `source` of an attribute (SAML) or a claim (OIDC). */
const sourced = (what: string, example: string): SettingsTable['entries'] => [
  {
    key: 'required',
    wire: 'required',
    type: { kind: 'bool' },
    doc: `whether the login fails when the ${what} has no value`,
    example: 'required true',
  },
  {
    key: 'source',
    wire: 'source',
    type: { kind: 'block', table: SOURCE },
    doc: 'where the value comes from',
    example: `source { name "${example}" }`,
  },
];

/** `custom_attributes [{ … }]` of a SAML app: the attributes of its assertions. */
const CUSTOM_ATTRIBUTE: SettingsTable = {
  name: 'custom_attributes',
  where: 'a `custom_attributes` entry',
  entries: [
    {
      key: 'name',
      wire: 'name',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the attribute name in the SAML assertion',
      example: 'name "email"',
    },
    {
      key: 'name_format',
      wire: 'name_format',
      type: {
        kind: 'enum',
        values: [
          'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
          'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
          'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
        ],
      },
      doc: 'the SAML name format of the attribute',
      example: 'name_format "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"',
    },
    {
      key: 'friendly_name',
      wire: 'friendly_name',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'a display name for the attribute',
      example: 'friendly_name "Email"',
    },
    ...sourced('attribute', 'email'),
  ],
};

/** `custom_claims [{ … }]` of an OIDC app: the claims of its tokens. */
const CUSTOM_CLAIM: SettingsTable = {
  name: 'custom_claims',
  where: 'a `custom_claims` entry',
  entries: [
    {
      key: 'name',
      wire: 'name',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the claim name in the token',
      example: 'name "department"',
    },
    {
      key: 'scope',
      wire: 'scope',
      type: { kind: 'enum', values: ['groups', 'profile', 'email', 'openid'] },
      doc: 'the scope that carries the claim',
      example: 'scope profile',
    },
    ...sourced('claim', 'department'),
  ],
};

/** `hybrid_and_implicit_options { … }` of an OIDC app. */
const HYBRID_AND_IMPLICIT: SettingsTable = {
  name: 'hybrid_and_implicit_options',
  where: 'the `hybrid_and_implicit_options` block',
  entries: [
    {
      key: 'return_id_token_from_authorization_endpoint',
      wire: 'return_id_token_from_authorization_endpoint',
      type: { kind: 'bool' },
      doc: 'return the ID token from the authorization endpoint (hybrid and implicit flows)',
      example: 'return_id_token_from_authorization_endpoint true',
    },
    {
      key: 'return_access_token_from_authorization_endpoint',
      wire: 'return_access_token_from_authorization_endpoint',
      type: { kind: 'bool' },
      doc: 'return the access token from the authorization endpoint (hybrid and implicit flows)',
      example: 'return_access_token_from_authorization_endpoint true',
    },
  ],
};

/** A refresh token lifetime: a whole number of minutes, hours or days (`30d`), longer than one minute. */
const LIFETIME: StringCheck = {
  describe: 'a lifetime in `m`, `h` or `d` such as `30d`, longer than `1m`',
  check(raw) {
    const m = /^([0-9]+)(m|h|d)$/.exec(raw);
    if (m && !(m[2] === 'm' && Number(m[1]) <= 1) && Number(m[1]) > 0) return { ok: true, value: raw };
    return { ok: false, code: 'ACL0683', args: { value: raw } };
  },
};

/** `refresh_token_options { lifetime … }` of an OIDC app. */
const REFRESH_TOKEN: SettingsTable = {
  name: 'refresh_token_options',
  where: 'the `refresh_token_options` block',
  entries: [
    {
      key: 'lifetime',
      wire: 'lifetime',
      type: { kind: 'string', check: LIFETIME },
      doc: 'how long a refresh token is valid after it is issued (`m`, `h` or `d`; longer than `1m`)',
      example: 'lifetime "30d"',
    },
  ],
};

/**
 * Structured `saas_app` fields the language writes that an update keeps as the account has them when the code does
 * not write them (code written before the language had them must not erase them); written, they are the code's.
 */
export const KEPT_UNLESS_WRITTEN: ReadonlySet<string> = new Set([
  'custom_attributes',
  'custom_claims',
  'hybrid_and_implicit_options',
  'refresh_token_options',
]);

/** The structured fields as entries of the `saas_app` table (`SAAS_APP_SETTINGS`). */
export const SAAS_STRUCTURED: SettingsTable['entries'] = [
  {
    key: 'custom_attributes',
    wire: 'custom_attributes',
    type: { kind: 'blocks', table: CUSTOM_ATTRIBUTE },
    doc: 'SAML: the attributes of the assertion (`name`, `name_format`, `friendly_name`, `required`, `source`)',
    example: 'custom_attributes [{ name "email" source { name "email" } }]',
  },
  {
    key: 'custom_claims',
    wire: 'custom_claims',
    type: { kind: 'blocks', table: CUSTOM_CLAIM },
    doc: 'OIDC: the claims of the tokens (`name`, `required`, `scope`, `source`)',
    example: 'custom_claims [{ name "department" scope profile source { name "department" } }]',
  },
  {
    key: 'hybrid_and_implicit_options',
    wire: 'hybrid_and_implicit_options',
    type: { kind: 'block', table: HYBRID_AND_IMPLICIT },
    doc: 'OIDC: what the authorization endpoint returns in the hybrid and implicit flows',
    example: 'hybrid_and_implicit_options { return_id_token_from_authorization_endpoint true }',
  },
  {
    key: 'refresh_token_options',
    wire: 'refresh_token_options',
    type: { kind: 'block', table: REFRESH_TOKEN },
    doc: 'OIDC: how long refresh tokens are valid',
    example: 'refresh_token_options { lifetime "30d" }',
  },
];
