import { selectorByWireKey } from '../selectors/table.js';
import { checkValue } from '../selectors/values.js';
import type { WireRule } from '../selectors/wire.js';
import { ownSaasApp } from '../settings/app-types.js';
import { durationNanos } from '../settings/duration.js';

/**
 * Canonical forms for comparing what the code wants with what the account holds, so that plans never drift:
 * IPs as CIDR, lower-case emails and domains, upper-case countries, rule lists as sets, durations by length,
 * empty values and absent ones alike, API defaults and absent ones alike, computed fields ignored.
 * Pure; every function takes JSON values and returns JSON values.
 */

/** A JSON value in canonical form (object keys sorted when stringified with `stableStringify`). */
export type Canon = unknown;

/** Fields the API computes or that aclc does not manage on any object. */
export const COMPUTED_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'uid',
  'aud',
  'created_at',
  'updated_at',
  'account_id',
  'app_count',
  'reusable',
  'is_default',
  'precedence',
  'scim_config',
  'policies',
]);

/** App fields whose value, when equal to the API's default, means the same as absent. */
export const APP_DEFAULTS: Readonly<Record<string, unknown>> = {
  type: 'self_hosted',
  session_duration: '24h',
  app_launcher_visible: true,
  auto_redirect_to_identity: false,
  enable_binding_cookie: false,
  http_only_cookie_attribute: true,
  path_cookie_attribute: false,
  eager_redirect_cookie_setting: true,
  use_clientless_isolation_app_launcher_url: false,
  tags: [],
};

/**
 * Policy fields whose value, when equal to the API's default, means the same as absent: the API stores
 * `session_duration: "24h"` on a policy written without one (recorded: cf-terraforming
 * testdata/cloudflare/v5/cloudflare_zero_trust_access_policy.yaml).
 */
export const POLICY_DEFAULTS: Readonly<Record<string, unknown>> = {
  session_duration: '24h',
};

/** Booleans where `false` says something (overrides an account setting) and is not the same as absent. */
const MEANINGFUL_FALSE: ReadonlySet<string> = new Set([
  'allow_authenticate_via_warp',
  'app_launcher_visible',
  'http_only_cookie_attribute',
  'eager_redirect_cookie_setting',
]);

/** Array fields whose order carries no meaning. */
const SET_FIELDS: ReadonlySet<string> = new Set([
  'tags',
  'allowed_idps',
  'allowed_authenticators',
  'email_addresses',
  'allowed_origins',
  'allowed_methods',
  'allowed_headers',
  'approval_groups',
  'self_hosted_domains',
  'private_destinations',
  'include',
  'exclude',
  'require',
]);

const DURATION_FIELDS: ReadonlySet<string> = new Set(['session_duration']);

/** JSON text with object keys sorted at every level: equal canonical values ⇔ equal text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function canonEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/** Older spellings of rule fields the API still returns. */
const RULE_FIELD_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  azureAD: { connection_id: 'identity_provider_id' },
  'github-organization': { connection_id: 'identity_provider_id' },
  gsuite: { connection_id: 'identity_provider_id' },
  okta: { connection_id: 'identity_provider_id', email: 'name' },
  saml: { connection_id: 'identity_provider_id' },
  oidc: { connection_id: 'identity_provider_id' },
  auth_context: { connection_id: 'identity_provider_id' },
};

/** A rule body with its older field spellings renamed to the current ones. */
export function modernRuleBody(wireKey: string, body: Record<string, unknown>): Record<string, unknown> {
  const aliases = RULE_FIELD_ALIASES[wireKey];
  if (!aliases) return body;
  const out: Record<string, unknown> = { ...body };
  for (const [old, now] of Object.entries(aliases)) {
    if (out[old] !== undefined && out[now] === undefined) out[now] = out[old];
    delete out[old];
  }
  return out;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/**
 * One rule in canonical form: the selector's parameters canonical (values checked and normalised, lists as sets),
 * and every other field the rule carries kept as it is (`device_posture.account_id`,
 * `cloudflare_account_member.account_id`, fields a future API adds), so a change to them is never masked.
 */
export function canonicalRule(rule: unknown): Canon {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return rule;
  const keys = Object.keys(rule);
  if (keys.length !== 1) return canonicalJson(rule);
  const key = keys[0] as string;
  const spec = selectorByWireKey(key);
  const raw = (rule as WireRule)[key];
  if (!spec || typeof raw !== 'object' || raw === null) return canonicalJson(rule);
  const body = modernRuleBody(key, raw as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  const params = new Set(spec.params.map((p) => p.field));
  for (const [field, v] of Object.entries(body)) {
    if (params.has(field)) continue;
    const c = canonicalJson(v, field);
    if (c !== undefined) out[field] = c;
  }
  for (const param of spec.params) {
    const v = body[param.field];
    if (isEmpty(v)) continue;
    if (param.type.kind === 'value') {
      const kind = param.type.value;
      const one = (x: unknown): unknown => {
        if (typeof x !== 'string') return x;
        const checked = checkValue(kind, x);
        return checked.ok ? checked.value : x.trim();
      };
      out[param.field] = Array.isArray(v) ? [...new Set(v.map(one).map(String))].sort() : one(v);
    } else {
      out[param.field] = typeof v === 'string' ? v.trim() : v;
    }
  }
  return { [key]: out };
}

/** A rule list as a set: canonical rules, duplicates dropped, in a stable order. */
export function canonicalRules(rules: unknown): Canon[] {
  if (!Array.isArray(rules)) return [];
  const byText = new Map<string, Canon>();
  for (const rule of rules) {
    const c = canonicalRule(rule);
    byText.set(stableStringify(c), c);
  }
  return [...byText.keys()].sort().map((k) => byText.get(k));
}

/** Any JSON value with empty parts removed and sets sorted; `undefined` when nothing is left. */
export function canonicalJson(value: unknown, field?: string): Canon | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (value === '') return undefined;
    if (field !== undefined && DURATION_FIELDS.has(field)) return `${durationNanos(value)}ns`;
    return value;
  }
  if (typeof value === 'boolean')
    return value === false && !(field && MEANINGFUL_FALSE.has(field)) ? undefined : value;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (field === 'include' || field === 'exclude' || field === 'require') return canonicalRules(value);
    const items = value.map((v) => canonicalJson(v)).filter((v) => v !== undefined);
    if (items.length === 0) return undefined;
    if (field !== undefined && SET_FIELDS.has(field)) {
      const byText = new Map(items.map((v) => [stableStringify(v), v]));
      return [...byText.keys()].sort().map((k) => byText.get(k));
    }
    return items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const c = canonicalJson(v, k);
    if (c !== undefined) out[k] = c;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The fields of an object that take part in comparison, each canonical; computed fields and defaults dropped. */
export function canonicalFields(
  obj: Record<string, unknown>,
  defaults: Readonly<Record<string, unknown>> = {},
): Record<string, Canon> {
  const out: Record<string, Canon> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (COMPUTED_FIELDS.has(k)) continue;
    const c = canonicalJson(v, k);
    if (c === undefined) continue;
    if (k in defaults && canEqualDefault(c, canonicalJson(defaults[k], k))) continue;
    out[k] = c;
  }
  for (const k of ['include', 'exclude', 'require']) if (k in obj && !(k in out)) out[k] = [];
  return out;
}

function canEqualDefault(value: Canon, def: Canon | undefined): boolean {
  return def === undefined ? value === undefined : canonEqual(value, def);
}

/** Group: name and rule sets. */
export function canonicalGroup(group: Record<string, unknown>): Record<string, Canon> {
  const c = canonicalFields(group);
  for (const k of ['include', 'exclude', 'require']) c[k] ??= [];
  return c;
}

/** Reusable policy: name, decision, rule sets and settings (`session_duration` `24h` ≡ absent). */
export function canonicalPolicy(policy: Record<string, unknown>): Record<string, Canon> {
  const c = canonicalFields(policy, POLICY_DEFAULTS);
  for (const k of ['include', 'exclude', 'require']) c[k] ??= [];
  return c;
}

/** Hostnames lower-case, path kept. */
function canonicalDomain(d: string): string {
  const slash = d.indexOf('/');
  return slash < 0 ? d.trim().toLowerCase() : d.slice(0, slash).trim().toLowerCase() + d.slice(slash);
}

/**
 * Every public domain an app protects, its primary one first: `destinations` (public ones; they supersede
 * `self_hosted_domains`), else `self_hosted_domains`, else `domain`. The primary domain is `domain` when the list
 * holds it (the API answers `domain` with the first destination), so a reordered list with the same primary
 * domain is the same app.
 */
export function appDomains(app: Record<string, unknown>): string[] {
  let list: string[] = [];
  const destinations = app.destinations;
  if (Array.isArray(destinations) && destinations.length > 0) {
    list = destinations
      .filter((d) => typeof d === 'object' && d !== null && (d as { type?: unknown }).type !== 'private')
      .map((d) => (d as { uri?: unknown }).uri)
      .filter((u): u is string => typeof u === 'string')
      .map(canonicalDomain);
  }
  const hosted = app.self_hosted_domains;
  if (list.length === 0 && Array.isArray(hosted) && hosted.length > 0)
    list = hosted.map((d) => canonicalDomain(String(d)));
  const domain =
    typeof app.domain === 'string' && app.domain !== '' ? canonicalDomain(app.domain) : undefined;
  if (list.length === 0) return domain === undefined ? [] : [domain];
  if (domain !== undefined && list.includes(domain)) return [domain, ...list.filter((d) => d !== domain)];
  return list;
}

/**
 * App settings (everything but its policy links): the domain set replaces `domain`, `self_hosted_domains` and
 * `destinations`, which the API derives from one another.
 */
export function canonicalApp(app: Record<string, unknown>): Record<string, Canon> {
  const rest: Record<string, unknown> = { ...app };
  delete rest.domain;
  delete rest.self_hosted_domains;
  delete rest.destinations;
  // SaaS apps: what the API computes in `saas_app` is not the code's; `domain` is computed too (its SSO URL).
  if (app.saas_app !== undefined) rest.saas_app = ownSaasApp(app.saas_app);
  const c = canonicalFields(rest, APP_DEFAULTS);
  if (app.type === 'saas' || app.type === 'infrastructure') return c;
  const domains = appDomains(app);
  c.domain = domains[0];
  if (domains.length > 1) c.domains = [...new Set(domains)].sort();
  // Private destinations (CIDR, hostname, ports) have no `domain` form: compared as a set of their own.
  const destinations = Array.isArray(app.destinations) ? app.destinations : [];
  const privates = canonicalJson(
    destinations.filter(
      (d) => typeof d === 'object' && d !== null && (d as { type?: unknown }).type === 'private',
    ),
    'private_destinations',
  );
  if (privates !== undefined) c.private_destinations = privates;
  return c;
}

/** An app's policy links as a comparable set of `id@precedence`. */
export function canonicalLinks(links: readonly { id: string; precedence: number }[]): string[] {
  return links.map((l) => `${l.id}@${l.precedence}`).sort();
}
