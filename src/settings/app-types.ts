import { diagnostic } from '../diagnostics/catalog.js';
import type { WireSettings } from '../model/project.js';
import { orList } from '../resolve/values.js';
import { canonicalNameByIdp, KEPT_UNLESS_WRITTEN, SAAS_STRUCTURED } from './saas-fields.js';
import { type FinishContext, NON_EMPTY, type SettingsTable, valueCheck } from './schema.js';

/**
 * App types beyond the self-hosted family, and which settings each type takes. The fields and which type takes
 * which come from Cloudflare's API schema (cloudflare/api-schemas `openapi.json`, `access_app_request`, an anyOf
 * of one props object per type): `access_self_hosted_props` (self_hosted, ssh, vnc), `access_rdp_props`
 * (self-hosted props plus a required `target_criteria`), `access_saas_props` (`saas_app` is a SAML or an OIDC
 * app: `access_saml_saas_app`, `access_oidc_saas_app`), `access_bookmark_props` (`domain` is "the URL or domain
 * of the bookmark"; no embedded policies) and `access_infra_props` (`name`, `type` and a required
 * `target_criteria`; `access_target_criteria_base`: `port`, `protocol`, `target_attributes`).
 */

export const APP_TYPES = ['self_hosted', 'ssh', 'vnc', 'rdp', 'saas', 'bookmark', 'infrastructure'] as const;
export type AppType = (typeof APP_TYPES)[number];

/** Types whose apps protect hostnames (`domain`, `destinations`). */
export const DOMAIN_TYPES: ReadonlySet<string> = new Set(['self_hosted', 'ssh', 'vnc', 'rdp']);

const URL_CHECK = valueCheck('url', 'an http(s) URL', 'http(s) URLs');

/** A live `saas_app` without what the API computes (`SAAS_COMPUTED`). */
export function saasWithoutComputed(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SAAS_COMPUTED.has(k)) out[k] = v;
  return out;
}

/**
 * The part of a `saas_app` aclc owns, for comparing code and account: the fields of `saas_app { … }` only
 * (computed ones and ones the language has no setting for are the account's and kept on update), with `auth_type saml` written as absent (the API's default; its answers for SAML apps may leave
 * it out, recorded in `appFixtures`).
 */
export function ownSaasApp(value: unknown): Record<string, unknown> | undefined {
  const all = saasWithoutComputed(value);
  if (all === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) if (SAAS_OWNED().has(k)) out[k] = v;
  if (out.auth_type === 'saml') delete out.auth_type;
  return canonicalNameByIdp(out);
}

/** The `saas_app` fields the language writes. */
const SAAS_OWNED = (): ReadonlySet<string> => new Set(SAAS_APP_SETTINGS.entries.map((e) => e.wire));

/**
 * The fields of a live `saas_app` that an update sends back as they are: those aclc does not own (not computed, not
 * written by the language: fields the API adds later), and the `KEPT_UNLESS_WRITTEN` ones the code's `saas_app`
 * (`desired`) does not write.
 */
export function unownedSaasFields(
  value: unknown,
  desired: Record<string, unknown> = {},
): Record<string, unknown> {
  const all = saasWithoutComputed(value) ?? {};
  const owned = SAAS_OWNED();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    if (v === undefined || v === null) continue;
    if (!owned.has(k) || (KEPT_UNLESS_WRITTEN.has(k) && !(k in desired))) out[k] = v;
  }
  return out;
}

/** SAML-only fields of `saas_app` (`access_saml_saas_app`). */
const SAML_ONLY = [
  'consumer_service_url',
  'sp_entity_id',
  'name_id_format',
  'default_relay_state',
  'name_id_transform_jsonata',
  'saml_attribute_transform_jsonata',
  'custom_attributes',
];
/** OIDC-only fields of `saas_app` (`access_oidc_saas_app`). */
const OIDC_ONLY = [
  'redirect_uris',
  'grant_types',
  'scopes',
  'app_launcher_url',
  'group_filter_regex',
  'access_token_lifetime',
  'allow_pkce_without_client_secret',
  'custom_claims',
  'hybrid_and_implicit_options',
  'refresh_token_options',
];

/**
 * Fields of `saas_app` the API computes (recorded answers: cf-terraforming testdata
 * `cloudflare_access_application` saas apps; schema `access_saml_saas_app`/`access_oidc_saas_app`): never written
 * in code, never compared, never sent back. `client_secret` is a secret: "only returned on POST request".
 */
export const SAAS_COMPUTED: ReadonlySet<string> = new Set([
  'client_id',
  'client_secret',
  'public_key',
  'idp_entity_id',
  'sso_endpoint',
  'created_at',
  'updated_at',
]);

/** `saas_app { … }`: a SAML or an OIDC SaaS application. */
export const SAAS_APP_SETTINGS: SettingsTable = {
  name: 'saas_app',
  where: 'the `saas_app` block',
  entries: [
    {
      key: 'auth_type',
      wire: 'auth_type',
      type: { kind: 'enum', values: ['saml', 'oidc'] },
      default: 'saml',
      doc: 'the protocol the SaaS application speaks',
      example: 'auth_type oidc',
    },
    {
      key: 'consumer_service_url',
      wire: 'consumer_service_url',
      type: { kind: 'string', check: URL_CHECK },
      doc: 'SAML: the service provider’s Assertion Consumer Service URL (required for SAML)',
      example: 'consumer_service_url "https://app.example.com/saml/acs"',
    },
    {
      key: 'sp_entity_id',
      wire: 'sp_entity_id',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'SAML: the service provider’s entity ID (required for SAML)',
      example: 'sp_entity_id "https://app.example.com"',
    },
    {
      key: 'name_id_format',
      wire: 'name_id_format',
      type: { kind: 'enum', values: ['id', 'email'] },
      doc: 'SAML: what the NameID holds',
      example: 'name_id_format email',
    },
    {
      key: 'default_relay_state',
      wire: 'default_relay_state',
      type: { kind: 'string', check: URL_CHECK },
      doc: 'SAML: where users land after an IdP-initiated login',
      example: 'default_relay_state "https://app.example.com/home"',
    },
    {
      key: 'name_id_transform_jsonata',
      wire: 'name_id_transform_jsonata',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'SAML: a JSONata expression computing the NameID',
      example: 'name_id_transform_jsonata "email"',
    },
    {
      key: 'saml_attribute_transform_jsonata',
      wire: 'saml_attribute_transform_jsonata',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'SAML: a JSONata expression computing the attribute assertions',
      example: 'saml_attribute_transform_jsonata "{\'team\': groups.name}"',
    },
    {
      key: 'redirect_uris',
      wire: 'redirect_uris',
      type: { kind: 'list', item: { kind: 'string', check: URL_CHECK } },
      doc: 'OIDC: the URLs Access may return codes and tokens to (required for OIDC)',
      example: 'redirect_uris ["https://app.example.com/oauth/callback"]',
    },
    {
      key: 'grant_types',
      wire: 'grant_types',
      type: {
        kind: 'list',
        item: {
          kind: 'enum',
          values: [
            'authorization_code',
            'authorization_code_with_pkce',
            'refresh_tokens',
            'hybrid',
            'implicit',
          ],
        },
      },
      doc: 'OIDC: the flows the application may use',
      example: 'grant_types [authorization_code_with_pkce]',
    },
    {
      key: 'scopes',
      wire: 'scopes',
      type: { kind: 'list', item: { kind: 'enum', values: ['openid', 'groups', 'email', 'profile'] } },
      doc: 'OIDC: the user information shared with the application',
      example: 'scopes [openid, email, profile]',
    },
    {
      key: 'app_launcher_url',
      wire: 'app_launcher_url',
      type: { kind: 'string', check: URL_CHECK },
      doc: 'OIDC: where the App Launcher tile sends users',
      example: 'app_launcher_url "https://app.example.com/login"',
    },
    {
      key: 'group_filter_regex',
      wire: 'group_filter_regex',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'OIDC: a regular expression choosing the groups sent in tokens',
      example: 'group_filter_regex "^eng-"',
    },
    {
      key: 'access_token_lifetime',
      wire: 'access_token_lifetime',
      type: { kind: 'duration', units: ['m', 'h'], max: '24h' },
      doc: 'OIDC: how long access tokens are valid (minutes or hours, at most 24h)',
      example: 'access_token_lifetime 5m',
    },
    {
      key: 'allow_pkce_without_client_secret',
      wire: 'allow_pkce_without_client_secret',
      type: { kind: 'bool' },
      doc: 'OIDC: let PKCE clients use the token endpoint without the client secret',
      example: 'allow_pkce_without_client_secret true',
    },
    ...SAAS_STRUCTURED,
  ],
  finish(out, ctx) {
    const auth = out.auth_type === 'oidc' ? 'oidc' : 'saml';
    const foreign = auth === 'oidc' ? SAML_ONLY : OIDC_ONLY;
    for (const key of foreign) {
      const s = ctx.written.get(key)?.[0];
      if (!s) continue;
      ctx.diagnostics.push(
        diagnostic('ACL0621', s.key.span, {
          name: key,
          protocol: auth === 'oidc' ? 'SAML' : 'OIDC',
          auth,
        }),
      );
    }
    const required = auth === 'oidc' ? ['redirect_uris'] : ['sp_entity_id', 'consumer_service_url'];
    const missing = required.filter((k) => !ctx.written.has(k));
    if (missing.length > 0) {
      ctx.diagnostics.push(
        diagnostic('ACL0507', ctx.owner.span, {
          where: `the \`saas_app\` block (\`auth_type ${auth}\`)`,
          missing: orList(missing).replace(' or ', ' and '),
          usage:
            auth === 'oidc'
              ? 'write it as `saas_app { auth_type oidc redirect_uris ["https://app.example.com/callback"] }`'
              : 'write it as `saas_app { sp_entity_id "https://app.example.com" consumer_service_url "https://app.example.com/acs" }`',
        }),
      );
    }
    // `auth_type` first, always sent: the API's answer carries it.
    return { auth_type: auth, ...out };
  },
};

/** `target_attributes { … }`: which targets (`access_target_attributes`, a map of attribute to values). */
export const TARGET_ATTRIBUTES: SettingsTable = {
  name: 'target_attributes',
  where: 'the `target_attributes` block',
  entries: [
    {
      key: 'hostname',
      wire: 'hostname',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'target hostnames (as registered in Infrastructure targets)',
      example: 'hostname ["web-1", "web-2"]',
    },
    {
      key: 'ipv4',
      wire: 'ipv4',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'target IPv4 addresses',
      example: 'ipv4 ["10.0.0.5"]',
    },
    {
      key: 'ipv6',
      wire: 'ipv6',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'target IPv6 addresses',
      example: 'ipv6 ["2001:db8::5"]',
    },
    {
      key: 'virtual_network_id',
      wire: 'virtual_network_id',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'the virtual networks of the targets',
      example: 'virtual_network_id ["c0ffee00-0000-4000-8000-000000000001"]',
    },
  ],
  finish(_out, ctx) {
    if (ctx.written.size === 0) {
      ctx.diagnostics.push(
        diagnostic('ACL0507', ctx.owner.span, {
          where: 'the `target_attributes` block',
          missing: 'an attribute',
          usage: 'write it as `target_attributes { hostname ["web-1"] }`',
        }),
      );
    }
  },
};

/** `target_criteria { … }`: targets an infrastructure or RDP app reaches (`access_target_criteria_base`). */
export const TARGET_CRITERIA: SettingsTable = {
  name: 'target_criteria',
  where: 'a `target_criteria` block',
  entries: [
    {
      key: 'port',
      wire: 'port',
      type: { kind: 'number', integer: true, min: 1, max: 65535 },
      doc: 'the port on the targets (required)',
      example: 'port 22',
    },
    {
      key: 'protocol',
      wire: 'protocol',
      type: { kind: 'enum', values: ['SSH', 'RDP'] },
      doc: 'the protocol: `SSH` for infrastructure apps, `RDP` for RDP apps (required)',
      example: 'protocol SSH',
    },
    {
      key: 'target_attributes',
      wire: 'target_attributes',
      type: { kind: 'block', table: TARGET_ATTRIBUTES },
      doc: 'which targets, by attribute (required)',
      example: 'target_attributes { hostname ["web-1"] }',
    },
  ],
  finish(out, ctx) {
    const missing = ['port', 'protocol', 'target_attributes'].filter((k) => !ctx.written.has(k));
    if (missing.length > 0) {
      ctx.diagnostics.push(
        diagnostic('ACL0507', ctx.owner.span, {
          where: 'a `target_criteria` block',
          missing: missing.map((m) => `\`${m}\``).join(' and '),
          usage:
            'write it as `target_criteria { port 22 protocol SSH target_attributes { hostname ["web-1"] } }`',
        }),
      );
    }
    return { port: out.port, protocol: out.protocol, target_attributes: out.target_attributes };
  },
};

/** DSL keys that belong to one type family only; every other key is a self-hosted one. */
const NOT_SELF_HOSTED = new Set(['saas_app', 'target_criteria', 'url']);

/** The DSL keys each non-self-hosted type takes (besides `type`). */
const TYPE_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  saas: new Set([
    'saas_app',
    'allowed_idps',
    'app_launcher_visible',
    'auto_redirect_to_identity',
    'logo_url',
    'tags',
  ]),
  bookmark: new Set(['url', 'app_launcher_visible', 'logo_url', 'tags']),
  infrastructure: new Set(['target_criteria']),
};

/** What each type must have. */
const TYPE_REQUIRED: Readonly<Record<string, { key: string; usage: string }>> = {
  saas: { key: 'saas_app', usage: 'add `saas_app { sp_entity_id "…" consumer_service_url "…" }`' },
  bookmark: { key: 'url', usage: 'add `url "https://wiki.example.com"`' },
  infrastructure: {
    key: 'target_criteria',
    usage: 'add `target_criteria { port 22 protocol SSH target_attributes { hostname ["web-1"] } }`',
  },
  rdp: {
    key: 'target_criteria',
    usage: 'add `target_criteria { port 3389 protocol RDP target_attributes { hostname ["win-1"] } }`',
  },
};

/** Whether apps of `type` take the DSL setting `key`. */
export function typeTakes(type: string, key: string): boolean {
  if (key === 'type') return true;
  const only = TYPE_KEYS[type];
  if (only) return only.has(key);
  if (type === 'rdp' && key === 'target_criteria') return true;
  return !NOT_SELF_HOSTED.has(key);
}

/** The keys a type takes, for messages. */
function allowedKeys(type: string, all: readonly string[]): string[] {
  return all.filter((k) => k !== 'type' && typeTakes(type, k));
}

/**
 * The per-type checks of an app's settings: every setting written must apply to the app's type (ACL0620), each
 * type has what it needs (ACL0507), and `target_criteria` speaks the type's protocol (ACL0622).
 */
export function checkAppType(
  type: string,
  out: WireSettings,
  ctx: FinishContext,
  all: readonly string[],
): void {
  for (const [key, settings] of ctx.written) {
    if (typeTakes(type, key)) continue;
    for (const s of settings) {
      ctx.diagnostics.push(
        diagnostic('ACL0620', s.key.span, {
          name: key,
          type,
          allowed: allowedKeys(type, all)
            .map((k) => `\`${k}\``)
            .join(', '),
        }),
      );
    }
  }
  const required = TYPE_REQUIRED[type];
  if (required && !ctx.written.has(required.key)) {
    ctx.diagnostics.push(
      diagnostic('ACL0507', ctx.owner.span, {
        where: `the ${type} app \`${ctx.owner.name}\``,
        missing: `\`${required.key}\``,
        usage: required.usage,
      }),
    );
  }
  const protocol = type === 'rdp' ? 'RDP' : type === 'infrastructure' ? 'SSH' : undefined;
  const criteria = (out.target_criteria as WireSettings[] | undefined) ?? [];
  const written = ctx.written.get('target_criteria') ?? [];
  if (protocol === undefined) return;
  criteria.forEach((c, i) => {
    if (c.protocol === undefined || c.protocol === protocol) return;
    const at = written[i] ?? written[0];
    if (!at) return;
    ctx.diagnostics.push(diagnostic('ACL0622', at.span, { type, protocol, found: String(c.protocol) }));
  });
}
