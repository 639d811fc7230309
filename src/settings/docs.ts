import { APP_SETTINGS, MAX_APP_DOMAINS } from './app-settings.js';
import { POLICY_SETTINGS } from './policy-settings.js';
import { describeType, type SettingsTable } from './schema.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function tableMarkdown(table: SettingsTable, heading: string, level: number, out: string[]): void {
  out.push(`${'#'.repeat(level)} ${heading}`, '');
  out.push('| setting | value | API field | description | example |', '|---|---|---|---|---|');
  const nested: { table: SettingsTable; key: string }[] = [];
  for (const e of table.entries) {
    const extra: string[] = [];
    if (e.repeatable) extra.push('repeatable');
    if (e.default !== undefined) extra.push(`default \`${String(e.default)}\``);
    const doc = extra.length > 0 ? `${e.doc} (${extra.join('; ')})` : e.doc;
    out.push(
      `| \`${e.key}\` | ${cell(describeType(e.type))} | \`${e.wire}\` | ${cell(doc)} | \`${cell(e.example)}\` |`,
    );
    if (e.type.kind === 'block' || e.type.kind === 'blocks') nested.push({ table: e.type.table, key: e.key });
  }
  out.push('');
  for (const n of nested) tableMarkdown(n.table, `\`${n.key}\` block`, level + 1, out);
}

/**
 * The settings reference, generated from the tables: one table per owner (policy, app) and per nested block.
 * `level` is the heading level of the two top sections.
 */
export function settingsReference(level = 3): string {
  const out: string[] = [];
  out.push(
    'Settings are written `key value`, one per line, in a policy’s `{ … }` block or directly in an app. ' +
      'Durations are Go durations (`30m`, `24h`, `2h45m`; units ns, us, ms, s, m, h), bare or in quotes. ' +
      'Lists are written `[a, b]`; nested blocks `{ key value … }`.',
    '',
  );
  tableMarkdown(POLICY_SETTINGS, 'Policy settings', level, out);
  tableMarkdown(APP_SETTINGS, 'App settings', level, out);
  out.push(
    'Checked across settings:',
    '',
    '- Each app type takes only its own settings (ACL0620), from Cloudflare’s API schema: `self_hosted`, `ssh` and ' +
      '`vnc` take the self-hosted ones (everything but `saas_app`, `target_criteria` and `url`); `rdp` takes them ' +
      'and needs `target_criteria` with `protocol RDP`; `saas` needs `saas_app` and takes `allowed_idps`, ' +
      '`app_launcher_visible`, `auto_redirect_to_identity`, `logo_url` and `tags`; `bookmark` needs `url` and takes ' +
      '`app_launcher_visible`, `logo_url` and `tags`, and no policies (ACL0623); `infrastructure` needs ' +
      '`target_criteria` with `protocol SSH` (ACL0507, ACL0622), and its policies say who may connect as which user ' +
      'with `connection_rules { ssh { … } }`.',
    '- In `saas_app`, SAML settings (`consumer_service_url`, `sp_entity_id`, `name_id_format`, …) and OIDC ones ' +
      '(`redirect_uris`, `grant_types`, `scopes`, …) follow `auth_type` (default `saml`; ACL0621); SAML needs ' +
      '`sp_entity_id` and `consumer_service_url`, OIDC needs `redirect_uris` (ACL0507). The fields the API computes ' +
      '(`client_id`, `client_secret`, `public_key`, `idp_entity_id`, `sso_endpoint`) are never written, compared or ' +
      'printed.',
    `- An app of a self-hosted type needs at least one \`domain\` and at most ${MAX_APP_DOMAINS} (ACL0504, ACL0505). The first is the primary ` +
      'domain (`domain`, shown in the App Launcher). With more than one, or with a `destination`, the app is sent ' +
      'with `destinations`: the domains as public destinations in the order written, then the private ones ' +
      '(never the deprecated `self_hosted_domains`).',
    '- A `destination` names a `cidr` or a `hostname`, not both (ACL0507, ACL0508); `port_range` is one port or ' +
      '`low-high` from 1 to 65535 (ACL0416).',
    '- `auto_redirect_to_identity true` needs exactly one IdP in `allowed_idps` (ACL0510).',
    '- `options_preflight_bypass true` cannot be combined with `cors`; in `cors`, `allow_all_origins`, ' +
      '`allow_all_methods` and `allow_all_headers` cannot be combined with the matching `allowed_…` list; in `mfa`, ' +
      '`mfa_disabled true` cannot be combined with `allowed_authenticators` (ACL0508).',
    '- An approval group needs `approvals_needed` and either `emails` or `email_list` (ACL0507, ACL0508), and cannot ' +
      'need more approvals than it lists addresses (ACL0506).',
    '',
  );
  return out.join('\n');
}

/** `docs/settings.md`: the reference under a title, with a note on where it comes from. */
export function settingsDocument(): string {
  return [
    '# Settings',
    '',
    '<!-- Generated from the tables in `src/settings/` by `settingsDocument()` (`src/settings/docs.ts`);',
    '     `test/settings/docs.test.ts` fails when this file is out of date. Do not edit by hand. -->',
    '',
    settingsReference(2),
  ].join('\n');
}
