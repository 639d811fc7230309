/**
 * How Cloudflare's Access API stores and answers objects, in one place: defaults filled in on create and update,
 * computed fields, normalisations, and what a `PUT` keeps. Every rule names the public source it comes from
 * (a recorded API response, or Cloudflare's API description); docs/emulator.md lists them with what is knowingly
 * not modelled. Pure: JSON in, JSON out.
 */
import ipaddr from 'ipaddr.js';
import { type Body, isRecord } from './types.js';

/** The public sources of the rules below (pinned where the repository allows). */
export const SOURCES = {
  /** A self-hosted app created with only name, domain and type, as `GET /access/apps` answers it (2025-03). */
  recordedApp:
    'https://github.com/cloudflare/cf-terraforming/blob/96600579454d27dd7c955b5bac506ecdbaaaa2b7/testdata/cloudflare/v5/cloudflare_zero_trust_access_application.yaml',
  /** Reusable policies as `GET /access/policies` answers them (2025-01). */
  recordedPolicies:
    'https://github.com/cloudflare/cf-terraforming/blob/96600579454d27dd7c955b5bac506ecdbaaaa2b7/testdata/cloudflare/v5/cloudflare_zero_trust_access_policy.yaml',
  /** A group as `GET /access/groups` answers it (2025-03). */
  recordedGroup:
    'https://github.com/cloudflare/cf-terraforming/blob/96600579454d27dd7c955b5bac506ecdbaaaa2b7/testdata/cloudflare/v5/cloudflare_zero_trust_access_group.yaml',
  /** App GET / POST / PUT answers with expanded policies and destinations (cloudflare-go v0 fixtures). */
  appFixtures:
    'https://github.com/cloudflare/cloudflare-go/blob/1eda786b473df9b16e8c229b44fbdca3a6c8d3e7/access_application_test.go',
  /** The Terraform provider's read normalisations (null `policies`, oauth defaults). */
  providerNormalizations:
    'https://github.com/cloudflare/terraform-provider-cloudflare/blob/a2efdc5786ae9726d56928dbfe91933bd92404ca/internal/services/zero_trust_access_application/normalizations.go',
  /** Legacy (app-scoped) policies written inline in an app's `policies`, mixed with reusable links. */
  providerLegacyPolicies:
    'https://github.com/cloudflare/terraform-provider-cloudflare/blob/a2efdc5786ae9726d56928dbfe91933bd92404ca/internal/services/zero_trust_access_application/testdata/accessapplicationconfigwithlegacypolicies.tf',
  /** Access tags as `GET /access/tags` answers them (recorded). */
  recordedTags:
    'https://github.com/cloudflare/cf-terraforming/blob/e76aa743a8e5e27084edbb72dd6c56d25d76e22a/testdata/cloudflare/v5/cloudflare_zero_trust_access_tag.yaml',
  /** The Terraform provider's tag resource: `id` = `name`, a new name replaces the tag (`RequiresReplace`). */
  providerTag:
    'https://github.com/cloudflare/terraform-provider-cloudflare/blob/3266202a93dc03029ccdaa76b1bed0827e5962fb/internal/services/zero_trust_access_tag/schema.go',
  /** A tool that writes apps had to create their tags first ("Avoid Access tag errors by ensuring tags exist"). */
  tagsMustExist:
    'https://github.com/Darkdragon14/docker-cloudflare-tunnel-sync/commit/a330a2bfb3fd3900acb9131ef7cd89bb46e7e7a2',
  /** Zero Trust account limits (applications 500, groups 300, reusable policies 500, IdPs 50, service tokens 50). */
  accountLimits: 'https://developers.cloudflare.com/cloudflare-one/account-limits/',
  /** Cloudflare API rate limit: 1,200 requests per five minutes. */
  apiRateLimit: 'https://developers.cloudflare.com/fundamentals/api/reference/limits/',
  /** SAML and OIDC SaaS apps as a create answers them (cloudflare-go v0 fixtures `TestCreate…SaasAccessApplications`). */
  saasFixtures:
    'https://github.com/cloudflare/cloudflare-go/blob/9be5900fa58663c559abde5720345e6d8c31666a/access_application_test.go',
  /**
   * Zone-level Access: `/zones/{zone_id}/access/groups`, `…/apps` and `…/apps/{app_id}/policies` (app-scoped policies);
   * no reusable policies at zone level (Cloudflare API reference, "Zone-Level Access groups / applications /
   * policies").
   */
  zoneLevelAccess: 'https://developers.cloudflare.com/api/resources/zero_trust/subresources/access/',
  /**
   * A zone-level app with app-scoped policies whose rules name account-level objects (an account service token), in
   * the Terraform provider's acceptance tests (`testAccessPolicyServiceTokenConfig`).
   */
  providerZonePolicies:
    'https://github.com/cloudflare/terraform-provider-cloudflare/blob/4690ae3f8987d7052645b29b2448592b93ed3e3b/cloudflare/resource_cloudflare_access_service_tokens_test.go',
  /** An app create or update whose `policies` holds policy objects makes them app-scoped policies of that app. */
  embeddedPolicies: 'https://github.com/cloudflare/skills/pull/106',
  /** `GET /zones?name=…`: `name` filters by domain, `per_page` 5–50 (default 20); `id`, `name`, `status`, `account`. */
  zonesList: 'https://developers.cloudflare.com/api/resources/zones/methods/list/',
  /** Cloudflare's OpenAPI description, components `access_*` (copied into schemas/emulator-api.schema.json). */
  apiSchema: 'https://github.com/cloudflare/api-schemas (openapi.json, components `access_*`)',
} as const;

/**
 * Timestamps are answered to the second, `2025-03-19T20:20:42Z`. Source: `recordedApp`, `recordedPolicies`,
 * `recordedGroup`.
 */
export function stamp(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/**
 * A single IP in an `ip` rule is stored as a one-address block: `/32` for IPv4, `/128` for IPv6 (the field is
 * "an IPv4 or IPv6 CIDR block"). Source: `apiSchema` (`access_ip_rule`: a CIDR block; private destinations:
 * "Single IPs will be computed as /32"), `recordedPolicies` (`127.0.0.1/32`).
 */
export function cidrOf(value: string): string {
  if (value.includes('/') || !ipaddr.isValid(value)) return value;
  const addr = ipaddr.parse(value);
  return `${addr.toString()}/${addr.kind() === 'ipv6' ? 128 : 32}`;
}

/** Rules with their values normalised as the API stores them (`cidrOf` for `ip` rules); other fields kept. */
export function storedRules(rules: unknown): unknown {
  if (!Array.isArray(rules)) return rules;
  return rules.map((rule) => {
    if (!isRecord(rule) || !isRecord(rule.ip) || typeof rule.ip.ip !== 'string') return rule;
    return { ...rule, ip: { ...rule.ip, ip: cidrOf(rule.ip.ip) } };
  });
}

/**
 * A group as stored: `exclude` and `require` are answered as `[]` when not given. Source: `recordedGroup`.
 * A `PUT` replaces the whole group.
 */
export function storedGroup(body: Body): Body {
  return {
    ...body,
    include: storedRules(body.include ?? []),
    exclude: storedRules(body.exclude ?? []),
    require: storedRules(body.require ?? []),
  };
}

/**
 * A reusable or app-scoped policy as stored: `session_duration` is `24h` when not given, `exclude` and `require`
 * are `[]`. Source: `recordedPolicies` (policies written without a session duration answer `"24h"`).
 * A `PUT` replaces the whole policy (a field left out goes back to its default).
 */
export function storedPolicy(body: Body): Body {
  return {
    ...storedGroup(body),
    session_duration: body.session_duration ?? '24h',
  };
}

/** A group as answered: `uid` equals `id`. Source: `recordedGroup`. */
export function presentGroup(rec: Body): Body {
  return { ...rec, uid: rec.id };
}

/**
 * A reusable policy as answered: `uid` equals `id`, `reusable: true`, and `app_count`, the number of apps linking
 * it. Source: `recordedPolicies`; `apiSchema` (`access_reusable_policy_resp`).
 */
export function presentPolicy(rec: Body, appCount: number): Body {
  return { ...rec, uid: rec.id, app_count: appCount, reusable: true };
}

/**
 * A legacy (app-scoped) policy as answered, inside its app or at `/apps/{id}/policies`: the policy with its
 * `precedence`, and no `reusable` field (only reusable policies carry it). Source: `apiSchema`
 * (`access_app_policy_response` has no `reusable`; `access_reusable_policy_resp` has `reusable: true`).
 */
export function presentLegacy(rec: Body): Body {
  const { app_id: _app, ...rest } = rec;
  return rest;
}

/** App types whose settings are those of a self-hosted app (a domain, cookies, the App Launcher). */
const DOMAIN_APP_TYPES: ReadonlySet<string> = new Set(['self_hosted', 'ssh', 'vnc', 'rdp']);

/**
 * What a self-hosted app answers for the settings it was created without. Source: `recordedApp` (an app created
 * with name, domain and type only).
 */
export const SELF_HOSTED_DEFAULTS: Readonly<Body> = {
  allowed_idps: [],
  app_launcher_visible: true,
  auto_redirect_to_identity: false,
  enable_binding_cookie: false,
  http_only_cookie_attribute: true,
  options_preflight_bypass: false,
  session_duration: '24h',
  tags: [],
};

/**
 * `destinations` and `domain` of a self-hosted app, as the API derives one from the other: without
 * `destinations`, one public destination per domain (`domain`, then `self_hosted_domains`); with them, `domain`
 * is the first public destination's URI and `self_hosted_domains` is ignored. Private destinations' single IPs
 * become `/32`. Source: `recordedApp` (`destinations: [{ type: public, uri: <domain> }]`), `appFixtures`
 * (`TestAccessApplication`), `apiSchema` (`access_destinations`, `access_self_hosted_domains`).
 */
export function destinationsOf(body: Body): { domain?: unknown; destinations?: unknown } {
  if (Array.isArray(body.destinations) && body.destinations.length > 0) {
    const destinations = body.destinations.map((d) =>
      isRecord(d) && d.type === 'private' && typeof d.cidr === 'string' ? { ...d, cidr: cidrOf(d.cidr) } : d,
    );
    const first = destinations.find((d) => isRecord(d) && (d.type ?? 'public') === 'public' && 'uri' in d);
    return { domain: isRecord(first) ? first.uri : body.domain, destinations };
  }
  const domains = [
    ...(typeof body.domain === 'string' && body.domain !== '' ? [body.domain] : []),
    ...(Array.isArray(body.self_hosted_domains) ? body.self_hosted_domains : []),
  ].filter((d, i, all): d is string => typeof d === 'string' && all.indexOf(d) === i);
  if (domains.length === 0) return { domain: body.domain };
  return { domain: domains[0], destinations: domains.map((uri) => ({ type: 'public', uri })) };
}

/**
 * `oauth_configuration.enabled` is `true` when the object is given without it ("Defaults to `true` if
 * omitted"). Source: `apiSchema` (`access_oauth_configuration`), `providerNormalizations` (true ≡ null).
 */
export function storedOauth(value: unknown): unknown {
  return isRecord(value) ? { enabled: true, ...value } : value;
}

/**
 * An app as stored after a create or a `PUT`, without its policy list (the store resolves that). A `PUT`
 * replaces the app: every setting not sent goes back to its default, so a client that leaves out `scim_config`,
 * `saas_app` or `oauth_configuration` removes them. Source: `apiSchema` (`PUT /access/apps/{app_id}` takes the
 * whole `access_app_request`), `recordedApp` for the defaults.
 */
export function storedApp(body: Body): Body {
  const { policies: _policies, ...rest } = body;
  const out: Body = DOMAIN_APP_TYPES.has(String(body.type ?? 'self_hosted'))
    ? { ...SELF_HOSTED_DEFAULTS, ...rest, ...destinationsOf(body) }
    : { ...rest };
  if ('oauth_configuration' in out) out.oauth_configuration = storedOauth(out.oauth_configuration);
  return out;
}

/** The team domain the emulator answers in computed SaaS fields (an account's is `<team>.cloudflareaccess.com`). */
export const TEAM_DOMAIN = 'emulator.cloudflareaccess.com';

/**
 * What the API computes for a SaaS app, and keeps across a `PUT` that does not send it: `domain` is the app's SSO
 * URL, `<team>.cloudflareaccess.com/cdn-cgi/access/sso/<saml|oidc>/<aud>`; a SAML `saas_app` gets `idp_entity_id`
 * (`https://<team>.cloudflareaccess.com`), `sso_endpoint` (`https://<domain>`) and `public_key` (the Access
 * certificate); an OIDC one gets `client_id` and a `client_secret` that only the create answers (never stored, as
 * for service tokens). `app_launcher_visible` is `true` when not given. Sources: `saasFixtures` (SAML and OIDC
 * create answers: `domain`, `client_id`, `client_secret`, the defaults), `apiSchema` (`access_saml_saas_app`:
 * `idp_entity_id`, `public_key`, `sso_endpoint`; `access_oidc_saas_app`: "client_secret … only returned on POST
 * request").
 */
export function storedSaasApp(app: Body, existing: Body | undefined, hex: (bytes: number) => string): Body {
  const saas = isRecord(app.saas_app) ? app.saas_app : {};
  const { client_secret: _secret, ...given } = saas;
  if (existing !== undefined) {
    // An update keeps what was computed for the app, as it was (a recorded app may lack some of it).
    const before = isRecord(existing.saas_app) ? existing.saas_app : {};
    const kept: Body = {};
    for (const k of SAAS_COMPUTED_KEYS) if (before[k] !== undefined) kept[k] = before[k];
    const domain = typeof existing.domain === 'string' ? { domain: existing.domain } : {};
    return { app_launcher_visible: true, ...app, ...domain, saas_app: { ...given, ...kept } };
  }
  const oidc = saas.auth_type === 'oidc';
  const sso = `${TEAM_DOMAIN}/cdn-cgi/access/sso/${oidc ? 'oidc' : 'saml'}/${String(app.aud)}`;
  const computed: Body = oidc
    ? { client_id: hex(32) }
    : {
        idp_entity_id: `https://${TEAM_DOMAIN}`,
        sso_endpoint: `https://${sso}`,
        public_key: `-----BEGIN CERTIFICATE-----\n${hex(48)}\n-----END CERTIFICATE-----`,
      };
  return { app_launcher_visible: true, ...app, domain: sso, saas_app: { ...given, ...computed } };
}

/** The `saas_app` fields the API computes (a seeded app's `client_secret` included, kept as recorded). */
const SAAS_COMPUTED_KEYS = ['client_id', 'client_secret', 'idp_entity_id', 'sso_endpoint', 'public_key'];

/**
 * Whether a `PUT` leaves an app's policies as they are: a body without `policies` (or `policies: null`) does not
 * update them, "for historical reasons". Source: `providerNormalizations`.
 */
export function keepsPolicies(body: Body): boolean {
  return body.policies === undefined || body.policies === null;
}

/** One entry of an app body's `policies`, as the API reads it. */
export type PolicyEntry =
  | { kind: 'link'; id: string; precedence?: number }
  | { kind: 'inline'; id?: string; precedence?: number; policy: Body };

/**
 * An app body's `policies` items are a policy id, a link `{ id, precedence }` to a reusable (or this app's
 * legacy) policy, or an inline app-scoped policy (created, or updated when it carries the id of one), at account
 * and at zone level alike (a zone-level app's policies are all app-scoped: there are no reusable policies in a
 * zone). Sources: `apiSchema` (`access_app_req_embedded_policies`), `providerLegacyPolicies`, `embeddedPolicies`,
 * `zoneLevelAccess`.
 */
export function policyEntries(policies: unknown): PolicyEntry[] {
  if (!Array.isArray(policies)) return [];
  return policies.map((item): PolicyEntry => {
    if (typeof item === 'string') return { kind: 'link', id: item };
    const entry = isRecord(item) ? item : {};
    const precedence = typeof entry.precedence === 'number' ? entry.precedence : undefined;
    const id = typeof entry.id === 'string' ? entry.id : undefined;
    const inline = 'name' in entry || 'decision' in entry || 'include' in entry;
    if (!inline && id !== undefined)
      return precedence === undefined ? { kind: 'link', id } : { kind: 'link', id, precedence };
    const { id: _id, precedence: _p, ...policy } = entry;
    const out: PolicyEntry = { kind: 'inline', policy };
    if (id !== undefined) out.id = id;
    if (precedence !== undefined) out.precedence = precedence;
    return out;
  });
}

/**
 * Precedences for entries that do not give one: after the highest so far, in list order. Source:
 * `providerLegacyPolicies` (an inline policy without `precedence`).
 */
export function fillPrecedences<T extends { precedence?: number }>(
  entries: T[],
): (T & { precedence: number })[] {
  let top = Math.max(0, ...entries.map((e) => e.precedence ?? 0));
  return entries.map((e) => ({ ...e, precedence: e.precedence ?? ++top }));
}

/**
 * A Zero Trust list as the list endpoints answer it: its fields and `count`, never its items (those come from
 * `GET …/gateway/lists/{id}/items`). Source: cloudflare-go `teams_list_test.go` (`TestTeamsLists`, `TestTeamsList`,
 * `TestCreateTeamsList`: `id`, `name`, `description`, `type`, `count`, `created_at`, `updated_at`;
 * `TestTeamsListItems`: items as `{ value, created_at }`).
 */
export function presentList(rec: Body): Body {
  const { items, ...rest } = rec;
  return { ...rest, count: Array.isArray(items) ? items.length : 0 };
}

/**
 * `PATCH …/gateway/lists/{id}`: `remove` takes values, `append` takes `{ value }` items; the list keeps its id.
 * Source: cloudflare-go `teams_list.go` `PatchTeamsList` (`append: []TeamsListItem`, `remove: []string`) and its
 * test `TestPatchTeamsList`. A value appended twice is kept once (aclc's modelling: the recordings show no
 * duplicate answer).
 */
export function patchedItems(
  items: readonly Body[],
  append: readonly Body[],
  remove: readonly string[],
  now: string,
): Body[] {
  const gone = new Set(remove);
  const out = items.filter((i) => !gone.has(String(i.value)));
  for (const item of append)
    if (!out.some((i) => i.value === item.value)) out.push({ ...item, created_at: now });
  return out;
}
