import { diagnostic } from '../diagnostics/catalog.js';
import type { WireSettings } from '../model/project.js';
import type { Checked } from '../selectors/values.js';
import { CORS_SETTINGS, PRIVATE_DESTINATION, URL_CHECK } from './app-blocks.js';
import { APP_TYPES, checkAppType, DOMAIN_TYPES, SAAS_APP_SETTINGS, TARGET_CRITERIA } from './app-types.js';
import { conflict } from './combinations.js';
import { MFA_SETTINGS } from './policy-settings.js';
import { NON_EMPTY, type SettingsTable, type StringCheck } from './schema.js';

/** The API accepts at most this many domains per app. */
export const MAX_APP_DOMAINS = 5;

/**
 * An app hostname. Cloudflare's "Application paths" page (developers.cloudflare.com/cloudflare-one/
 * access-controls/policies/app-paths/, 2025-10-22) documents `*` as a wildcard in the subdomain and in the path,
 * one wildcard per subdomain level (`*.example.com` does not cover `foo.bar.example.com`; "use multiple wildcards"
 * such as `*.*.example.com`); the API schema says of public destinations "Wildcard '*' can be used in the
 * definition", and live accounts hold wildcards inside a label (`lab-*.example.io`). The apex domain (the last two
 * labels here) is a zone name and never holds one. So: subdomain labels may hold `*` anywhere (never `**`), the
 * last two labels may not.
 */
const SUB_LABEL = '(?!\\*\\*)[a-z0-9*](?:[a-z0-9*-]{0,61}[a-z0-9*])?';
const HOST = new RegExp(
  `^(?:(?:${SUB_LABEL})\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.[a-z][a-z0-9-]{0,62}$`,
);
const PATH = /^(\/[^\s?#]*)?$/;

/** `host.example.com` or `host.example.com/path` (wildcards as above): the host lower-cased, no scheme. */
export function checkAppDomain(raw: string): Checked {
  const slash = raw.indexOf('/');
  const host = (slash < 0 ? raw : raw.slice(0, slash)).toLowerCase();
  const path = slash < 0 ? '' : raw.slice(slash);
  if (HOST.test(host) && !host.includes('**') && PATH.test(path)) return { ok: true, value: host + path };
  return { ok: false, code: 'ACL0414', args: { value: raw } };
}

const APP_DOMAIN: StringCheck = { describe: 'a hostname with an optional path', check: checkAppDomain };

/** Settings of an app (`app "…" { … }`): fields of a self-hosted application. */
export const APP_SETTINGS: SettingsTable = {
  name: 'app',
  where: 'an app',
  entries: [
    {
      key: 'domain',
      wire: 'domain',
      type: { kind: 'string', check: APP_DOMAIN },
      repeatable: true,
      doc: `a hostname (and optional path) the app protects, a public destination; \`*\` is a wildcard in subdomains (one level each, also inside a label: \`*.*.example.com\`, \`lab-*.example.com\`) and paths, never in the apex domain; repeat for more, at most ${MAX_APP_DOMAINS}; the first is the primary domain`,
      example: 'domain "app.example.com"',
    },
    {
      key: 'destination',
      wire: 'destinations',
      type: { kind: 'block', table: PRIVATE_DESTINATION },
      repeatable: true,
      doc: 'a private destination (IP range or hostname, with optional ports, protocol and virtual network); repeat for more; sent with the domains as `destinations`',
      example: 'destination { cidr "10.0.0.0/24" port_range "22" l4_protocol tcp }',
    },
    {
      key: 'type',
      wire: 'type',
      type: { kind: 'enum', values: APP_TYPES },
      default: 'self_hosted',
      doc: 'the application type: `self_hosted`; `ssh`, `vnc` and `rdp` render the protocol in the browser; `saas` (a SAML or OIDC application, `saas_app`); `bookmark` (an App Launcher tile, `url`); `infrastructure` (targets reached over SSH, `target_criteria`); each type takes only its own settings',
      example: 'type self_hosted',
    },
    {
      key: 'saas_app',
      wire: 'saas_app',
      type: { kind: 'block', table: SAAS_APP_SETTINGS },
      doc: '`saas` apps: the SAML or OIDC application (computed fields such as `client_id`, `client_secret`, `sso_endpoint` are the API’s)',
      example:
        'saas_app { sp_entity_id "https://app.example.com" consumer_service_url "https://app.example.com/acs" }',
    },
    {
      key: 'target_criteria',
      wire: 'target_criteria',
      type: { kind: 'block', table: TARGET_CRITERIA },
      repeatable: true,
      doc: '`infrastructure` and `rdp` apps: the targets reached (port, protocol, target attributes); repeat for more',
      example: 'target_criteria { port 22 protocol SSH target_attributes { hostname ["web-1"] } }',
    },
    {
      key: 'url',
      wire: 'domain',
      type: { kind: 'string', check: NON_EMPTY },
      doc: '`bookmark` apps: the URL or domain the App Launcher tile opens (sent as `domain`)',
      example: 'url "https://wiki.example.com"',
    },
    {
      key: 'session_duration',
      wire: 'session_duration',
      type: { kind: 'duration' },
      doc: 'how long tokens issued for the app are valid (the API default is `24h`)',
      example: 'session_duration 24h',
    },
    {
      key: 'app_launcher_visible',
      wire: 'app_launcher_visible',
      type: { kind: 'bool' },
      doc: 'show the app in the App Launcher',
      example: 'app_launcher_visible true',
    },
    {
      key: 'allowed_idps',
      wire: 'allowed_idps',
      type: { kind: 'idps' },
      doc: 'the identity providers users can choose from (default: all of the account’s)',
      example: 'allowed_idps [okta]',
    },
    {
      key: 'auto_redirect_to_identity',
      wire: 'auto_redirect_to_identity',
      type: { kind: 'bool' },
      doc: 'skip the IdP selection page; needs exactly one IdP in `allowed_idps`',
      example: 'auto_redirect_to_identity true',
    },
    {
      key: 'enable_binding_cookie',
      wire: 'enable_binding_cookie',
      type: { kind: 'bool' },
      doc: 'bind the session cookie to the client (protects against stolen tokens and CSRF)',
      example: 'enable_binding_cookie true',
    },
    {
      key: 'http_only_cookie_attribute',
      wire: 'http_only_cookie_attribute',
      type: { kind: 'bool' },
      doc: 'set the HttpOnly attribute on the session cookie',
      example: 'http_only_cookie_attribute true',
    },
    {
      key: 'same_site_cookie_attribute',
      wire: 'same_site_cookie_attribute',
      type: { kind: 'enum', values: ['none', 'lax', 'strict'] },
      doc: 'the SameSite attribute of the session cookie',
      example: 'same_site_cookie_attribute lax',
    },
    {
      key: 'skip_interstitial',
      wire: 'skip_interstitial',
      type: { kind: 'bool' },
      doc: 'authenticate automatically through cloudflared',
      example: 'skip_interstitial true',
    },
    {
      key: 'logo_url',
      wire: 'logo_url',
      type: { kind: 'string', check: URL_CHECK },
      doc: 'the logo shown in the App Launcher',
      example: 'logo_url "https://example.com/logo.svg"',
    },
    {
      key: 'custom_deny_message',
      wire: 'custom_deny_message',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the message shown to users who are denied',
      example: 'custom_deny_message "Ask #it-help for access."',
    },
    {
      key: 'custom_deny_url',
      wire: 'custom_deny_url',
      type: { kind: 'string', check: URL_CHECK },
      doc: 'where users who fail identity rules are sent',
      example: 'custom_deny_url "https://example.com/denied"',
    },
    {
      key: 'custom_non_identity_deny_url',
      wire: 'custom_non_identity_deny_url',
      type: { kind: 'string', check: URL_CHECK },
      doc: 'where requests that fail non-identity rules are sent',
      example: 'custom_non_identity_deny_url "https://example.com/blocked"',
    },
    {
      key: 'service_auth_401_redirect',
      wire: 'service_auth_401_redirect',
      type: { kind: 'bool' },
      doc: 'answer 401 instead of redirecting when a service auth policy blocks a request',
      example: 'service_auth_401_redirect true',
    },
    {
      key: 'options_preflight_bypass',
      wire: 'options_preflight_bypass',
      type: { kind: 'bool' },
      doc: 'let CORS preflight (OPTIONS) requests through to the origin; not with `cors`',
      example: 'options_preflight_bypass true',
    },
    {
      key: 'path_cookie_attribute',
      wire: 'path_cookie_attribute',
      type: { kind: 'bool' },
      doc: 'scope the session cookie to the app’s path instead of the whole hostname',
      example: 'path_cookie_attribute true',
    },
    {
      key: 'allow_authenticate_via_warp',
      wire: 'allow_authenticate_via_warp',
      type: { kind: 'bool' },
      doc: 'let users authenticate with their WARP session (overrides the account setting)',
      example: 'allow_authenticate_via_warp false',
    },
    {
      key: 'tags',
      wire: 'tags',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'tags for filtering apps in the App Launcher',
      example: 'tags ["engineering"]',
    },
    {
      key: 'cors',
      wire: 'cors_headers',
      type: { kind: 'block', table: CORS_SETTINGS },
      doc: 'the CORS response headers Access adds',
      example: 'cors { allowed_origins ["https://app.example.com"] allowed_methods [GET] }',
    },
    {
      key: 'mfa',
      wire: 'mfa_config',
      type: { kind: 'block', table: MFA_SETTINGS },
      doc: 'multi-factor authentication settings for the whole app',
      example: 'mfa { allowed_authenticators ["security_key"] }',
    },
  ],
  finish(out, ctx) {
    const type = typeof out.type === 'string' ? out.type : 'self_hosted';
    checkAppType(
      type,
      out,
      ctx,
      APP_SETTINGS.entries.map((e) => e.key),
    );
    if (!DOMAIN_TYPES.has(type)) return out;
    // `url` (bookmarks) fills `domain` too; on these types it is an error already reported (ACL0620).
    const domains = Array.isArray(out.domain) ? (out.domain as string[]) : [];
    const written = ctx.written.get('domain') ?? [];
    if (written.length === 0) {
      ctx.diagnostics.push(diagnostic('ACL0504', ctx.owner.span, { app: ctx.owner.name }));
    } else if (domains.length > MAX_APP_DOMAINS) {
      const extra = written[MAX_APP_DOMAINS];
      ctx.diagnostics.push(
        diagnostic('ACL0505', (extra ?? written[0])!.span, {
          app: ctx.owner.name,
          count: domains.length,
          limit: MAX_APP_DOMAINS,
        }),
      );
    }
    // Rebuild in a stable order: `domain`, `destinations`, then the rest in table order (a new object: deleting
    // every key of `out` would leave it a slow dictionary object). `domain` is the primary hostname, shown in the
    // App Launcher. Several domains, or any private destination, are sent as `destinations` (public ones first, in
    // the order written): `self_hosted_domains` was supported only until 21 November 2025 (API schema,
    // `access_self_hosted_domains`), and `destinations` supersedes it.
    const privates = (out.destinations as WireSettings[] | undefined) ?? [];
    const shaped: WireSettings = {};
    if (domains.length > 0) shaped.domain = domains[0];
    if (domains.length > 1 || privates.length > 0)
      shaped.destinations = [...domains.map((uri) => ({ type: 'public', uri })), ...privates];
    for (const key of Object.keys(out))
      if (key !== 'domain' && key !== 'destinations') shaped[key] = out[key];

    if (shaped.auto_redirect_to_identity === true) {
      const idps = ctx.written.get('allowed_idps')?.[0];
      const count = idps?.value.kind === 'List' ? idps.value.items.length : idps ? undefined : 0;
      if (count !== undefined && count !== 1) {
        const flag = ctx.written.get('auto_redirect_to_identity')?.[0];
        ctx.diagnostics.push(
          diagnostic('ACL0510', (idps ?? flag)!.span, { count: count === 0 ? 'none' : count }),
        );
      }
    }
    conflict(
      shaped,
      ctx,
      'options_preflight_bypass',
      'options_preflight_bypass',
      'cors',
      'with `cors` Access answers preflight requests itself; remove one of them',
    );
    return shaped;
  },
};
