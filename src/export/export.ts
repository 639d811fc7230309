import type { GatewayList } from '../api/types.js';
import { isLegacyLink, type LiveState } from '../deploy/live.js';

/**
 * The account export: what `aclc export` writes and `aclc import --from` reads (schemas/export.schema.json,
 * docs/export.md). It is the account as the API returns it, minus secrets: every managed object in full (so that
 * nothing the language cannot express is lost on the way), the account objects references resolve to by id, name
 * and type, and legacy app-scoped policies under `app_policies`, keyed by app id. Pure.
 */

/** `format` and `version` of the export this aclc writes. */
export const EXPORT_FORMAT = 'aclc-export';
export const EXPORT_VERSION = 1;

/** Top-level keys an export may hold (the emulator's seed and state files share the collections). */
export const EXPORT_COLLECTIONS = [
  'identity_providers',
  'service_tokens',
  'lists',
  'posture_rules',
  'groups',
  'policies',
  'apps',
  'app_policies',
] as const;
export const EXPORT_META_KEYS = ['$schema', 'format', 'version', 'account_id', 'exported_at'] as const;

type Rec = Record<string, unknown>;

export interface AccountExport {
  $schema: string;
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  account_id?: string;
  identity_providers: Rec[];
  service_tokens: Rec[];
  lists: Rec[];
  posture_rules: Rec[];
  groups: Rec[];
  policies: Rec[];
  apps: Rec[];
  app_policies: Record<string, Rec[]>;
  /** Zone-level groups and apps by zone id (`aclc export --zone`); absent without zones. */
  zones?: Record<string, { groups: Rec[]; apps: Rec[]; app_policies: Record<string, Rec[]> }>;
  /** The zones' domains by zone id, for the zones named by domain. */
  zone_names?: Record<string, string>;
}

/** Keys that may hold a credential anywhere in an object (IdP `config`, SaaS apps, SCIM authentication). */
const SECRET_KEYS = new Set(['client_secret', 'secret', 'password', 'token', 'private_key', 'api_key']);

/** A deep copy without secret-bearing keys. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Rec = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.has(k)) out[k] = withoutSecrets(v);
  return out;
}

const pick = (o: object, keys: readonly string[]): Rec => {
  const out: Rec = {};
  for (const k of keys) {
    const v = (o as Rec)[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
};

const byId = (a: Rec, b: Rec): number =>
  String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0;

/** The export of an account read with every collection (`readAccount`). */
export function exportAccount(live: LiveState, accountId?: string): AccountExport {
  const { apps, appPolicies } = exportedApps(live.apps);
  const out: AccountExport = {
    $schema: 'https://aclc.dev/schemas/export.schema.json',
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    identity_providers: (live.idps ?? []).map((i) => pick(i, ['id', 'name', 'type'])).sort(byId),
    service_tokens: (live.serviceTokens ?? []).map((t) => pick(t, ['id', 'name', 'client_id'])).sort(byId),
    lists: (live.lists ?? []).map(exportedList).sort(byId),
    posture_rules: (live.postureRules ?? []).map((p) => pick(p, ['id', 'name', 'type'])).sort(byId),
    groups: live.groups.map((g) => withoutSecrets(g) as Rec).sort(byId),
    policies: live.policies.map((p) => withoutSecrets(p) as Rec).sort(byId),
    apps: apps.sort(byId),
    app_policies: appPolicies,
  };
  if (accountId !== undefined) out.account_id = accountId;
  if (live.zones && live.zones.length > 0) {
    // Zone-level groups and apps (`aclc export --zone`), by zone id, as the emulator's seed holds them.
    out.zones = {};
    for (const z of live.zones) {
      const zone = exportedApps(z.apps);
      out.zones[z.id] = {
        groups: z.groups.map((g) => withoutSecrets(g) as Rec).sort(byId),
        apps: zone.apps.sort(byId),
        app_policies: zone.appPolicies,
      };
      if (z.key !== z.id) out.zone_names = { ...(out.zone_names ?? {}), [z.id]: z.key };
    }
  }
  return out;
}

/** Apps with their links to reusable policies, and their app-scoped (legacy) policies apart, by app id. */
function exportedApps(list: LiveState['apps']): { apps: Rec[]; appPolicies: Record<string, Rec[]> } {
  const appPolicies: Record<string, Rec[]> = {};
  const apps = list.map((app) => {
    const links: Rec[] = [];
    for (const entry of app.policies) {
      if (isLegacyLink(entry)) {
        const { reusable: _r, ...rest } = entry as Rec;
        const policies = appPolicies[app.id] ?? [];
        policies.push(withoutSecrets(rest) as Rec);
        appPolicies[app.id] = policies;
      } else links.push({ id: entry.id, precedence: Number(entry.precedence) });
    }
    return { ...(withoutSecrets(app) as Rec), policies: links };
  });
  return { apps, appPolicies };
}

/**
 * A list as exported: id, name, type; a list whose items were read (one an Access rule names, which the import
 * declares in code) also with its description and items.
 */
function exportedList(l: GatewayList): Rec {
  const out = pick(l, ['id', 'name', 'type']);
  if (Array.isArray(l.items))
    return {
      ...out,
      ...(l.description !== undefined ? { description: l.description } : {}),
      items: l.items.map((i) => ({ value: i.value })),
    };
  return out;
}
