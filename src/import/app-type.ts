import type { AccessApp } from '../api/types.js';
import { APP_DEFAULTS, appDomains, COMPUTED_FIELDS } from '../deploy/canonical.js';
import { PRIVATE_DESTINATION } from '../settings/app-blocks.js';
import { APP_SETTINGS } from '../settings/app-settings.js';
import { DOMAIN_TYPES, saasWithoutComputed, TARGET_CRITERIA, typeTakes } from '../settings/app-types.js';
import type { SettingsTable } from '../settings/schema.js';
import { type SettingsContext, settingsText } from './settings.js';
import { quote } from './text.js';

const tables = new Map<string, SettingsTable>();

/** The app settings table with only the settings apps of `type` take (`url` and `domain` are written apart). */
function tableFor(type: string): SettingsTable {
  let table = tables.get(type);
  if (!table) {
    table = {
      ...APP_SETTINGS,
      entries: APP_SETTINGS.entries.filter((e) => e.key !== 'url' && typeTakes(type, e.key)),
    };
    tables.set(type, table);
  }
  return table;
}

/**
 * The lines of an imported app that depend on its type: its hostnames (`domain` for the self-hosted family,
 * `url` for a bookmark, none for `saas` and `infrastructure`, whose `domain` the API computes), its
 * `target_criteria`, and the settings its type takes. Fields the API computes for SaaS apps (`client_id`,
 * `client_secret`, `sso_endpoint`, …) are never written; other fields the type does not take are reported.
 */
export function appTypeLines(app: AccessApp, type: string, ctx: SettingsContext): string[] {
  const lines: string[] = [];
  const rec = app as unknown as Record<string, unknown>;
  if (DOMAIN_TYPES.has(type)) {
    for (const d of appDomains(rec)) lines.push(`domain ${quote(d)}`);
    lines.push(...destinationLines(app, ctx.warn));
  } else if (type === 'bookmark' && typeof app.domain === 'string' && app.domain !== '') {
    lines.push(`url ${quote(app.domain)}`);
  }
  const criteria = Array.isArray(rec.target_criteria)
    ? (rec.target_criteria as Record<string, unknown>[])
    : [];
  if (typeTakes(type, 'target_criteria')) {
    for (const c of criteria)
      lines.push(`target_criteria { ${settingsText(TARGET_CRITERIA, c, ctx, {}).join(' ')} }`);
  }
  const view: Record<string, unknown> = { ...rec };
  if (view.saas_app !== undefined) view.saas_app = saasWithoutComputed(view.saas_app);
  const known = new Set(
    [...COMPUTED_FIELDS, 'name', 'self_hosted_domains', 'destinations', 'domain'].filter(
      (f) => f !== 'scim_config',
    ),
  );
  const settings = settingsText(tableFor(type), view, ctx, APP_DEFAULTS, known);
  // `type` first: it says which of the lines below apply.
  const typeLine = settings.filter((l) => l.startsWith('type '));
  return [...typeLine, ...lines, ...settings.filter((l) => !l.startsWith('type '))];
}

/** What an app of `type` needs and the live app lacks (its file would not compile), if anything. */
export function missingForType(app: AccessApp, type: string): string | undefined {
  const rec = app as unknown as Record<string, unknown>;
  const has = (k: string) =>
    Array.isArray(rec[k]) ? (rec[k] as unknown[]).length > 0 : typeof rec[k] === 'object' && rec[k] !== null;
  if (type === 'saas' && !has('saas_app')) return 'saas_app';
  if ((type === 'infrastructure' || type === 'rdp') && !has('target_criteria')) return 'target_criteria';
  if (type === 'bookmark' && (typeof app.domain !== 'string' || app.domain === '')) return 'domain';
  return undefined;
}

/** An app's private destinations as `destination { … }` lines; what the language cannot write is reported. */
function destinationLines(app: AccessApp, warn: (what: string, reason: string) => void): string[] {
  const out: string[] = [];
  const list = Array.isArray(app.destinations) ? (app.destinations as Record<string, unknown>[]) : [];
  for (const d of list) {
    if (d.type === 'public') {
      if (Array.isArray(d.overrides) && d.overrides.length > 0)
        warn(
          `the \`overrides\` of destination \`${String(d.uri)}\``,
          'the language has no setting for them; an apply that rewrites the destinations drops them',
        );
      continue;
    }
    if (d.type !== 'private') {
      warn(
        `a destination of type \`${String(d.type)}\``,
        'the language writes public and private destinations only',
      );
      continue;
    }
    const parts: string[] = [];
    for (const spec of PRIVATE_DESTINATION.entries) {
      const v = d[spec.wire];
      if (typeof v !== 'string' || v === '') continue;
      parts.push(`${spec.key} ${spec.type.kind === 'enum' ? v : quote(v)}`);
    }
    const extra = Object.keys(d).filter(
      (k) => k !== 'type' && !PRIVATE_DESTINATION.entries.some((e) => e.wire === k),
    );
    for (const k of extra)
      warn(
        `field \`${k}\` of a private destination`,
        'the language has no setting for it; apply keeps it as the account has it',
      );
    out.push(`destination { ${parts.join(' ')} }`);
  }
  return out;
}
