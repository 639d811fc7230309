import type { AccessApp, AppPolicyRef, AppScopedPolicy, GatewayListItem } from '../api/types.js';
import { isLegacyLink, LIVE_COLLECTIONS, type LiveState, type ZoneLive } from '../deploy/live.js';
import { type LiveApi, readLive } from '../deploy/read-live.js';
import { EXPORT_COLLECTIONS, EXPORT_FORMAT, EXPORT_META_KEYS, EXPORT_VERSION } from '../export/export.js';
import { listsToDeclare } from './lists.js';

/**
 * The account `aclc import` reads: every collection, and each app's legacy app-scoped policies with their rules
 * (inside the app's `policies[]` entries, marked `reusable: false`).
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(raw: unknown, where: string): Record<string, unknown>[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return `\`${where}\` is not an array`;
  for (const [i, item] of raw.entries()) {
    if (!isRecord(item)) return `\`${where}[${i}]\` is not an object`;
    if (typeof item.id !== 'string' || item.id === '') return `\`${where}[${i}]\` has no \`id\``;
  }
  return raw as Record<string, unknown>[];
}

/**
 * An account from a JSON export: `{ groups, policies, apps, app_policies?, identity_providers, service_tokens,
 * lists, posture_rules }` (the emulator's seed and state format). `app_policies` is a list of legacy policies with
 * `app_id`, or an object keyed by app id. Apps may list their links as `{ id, precedence }` or as the API's full
 * entries.
 */
export function accountFromExport(json: unknown): { live?: LiveState; error?: string } {
  const expected =
    'expected an account export `{ "groups": […], "policies": […], "apps": […], … }` as `aclc export` writes it';
  if (!isRecord(json)) return { error: `the file is not a JSON object; ${expected}` };
  if ('result' in json || 'success' in json || 'errors' in json)
    return {
      error: `this is a raw Cloudflare API response (it has \`${'result' in json ? 'result' : 'success' in json ? 'success' : 'errors'}\`), not an account export; ${expected}`,
    };
  const allowed = new Set<string>([
    ...EXPORT_COLLECTIONS,
    ...EXPORT_META_KEYS,
    'zones',
    'zone_names',
    'emulator',
  ]);
  const unknown = Object.keys(json).filter((k) => !allowed.has(k));
  if (unknown.length > 0) return { error: `unknown top-level key \`${unknown[0]}\`; ${expected}` };
  if (!['groups', 'policies', 'apps'].some((k) => k in json))
    return { error: `it has none of \`groups\`, \`policies\` and \`apps\`; ${expected}` };
  if (json.format !== undefined && json.format !== EXPORT_FORMAT)
    return { error: `\`format\` is ${JSON.stringify(json.format)}, not \`${EXPORT_FORMAT}\`` };
  if (json.version !== undefined && json.version !== EXPORT_VERSION)
    return {
      error: `export version ${JSON.stringify(json.version)} is not one this aclc reads (${EXPORT_VERSION}); update aclc`,
    };
  const get = (key: string) => list(json[key], key);
  const groups = get('groups');
  const policies = get('policies');
  const apps = get('apps');
  const idps = get('identity_providers');
  const tokens = get('service_tokens');
  const lists = get('lists');
  const posture = get('posture_rules');
  for (const r of [groups, policies, apps, idps, tokens, lists, posture])
    if (typeof r === 'string') return { error: r };

  const policyById = new Map((policies as Record<string, unknown>[]).map((p) => [p.id as string, p]));
  const liveApps = appsWithPolicies(apps as Record<string, unknown>[], json.app_policies, '', policyById);
  if (typeof liveApps === 'string') return { error: liveApps };
  const zones = zonesFromExport(json.zones, json.zone_names, policyById);
  if (typeof zones === 'string') return { error: zones };
  return {
    live: {
      groups: groups as never,
      policies: policies as never,
      apps: liveApps,
      idps: idps as never,
      serviceTokens: tokens as never,
      lists: lists as never,
      postureRules: posture as never,
      ...(zones.length > 0 ? { zones } : {}),
    },
  };
}

/**
 * The apps of one scope with their policies as the API lists them: links to reusable policies (expanded) and the
 * app-scoped (legacy) policies of `app_policies` (a list with `app_id`, or an object keyed by app id).
 */
function appsWithPolicies(
  apps: Record<string, unknown>[],
  rawLegacy: unknown,
  where: string,
  policyById: ReadonlyMap<string, Record<string, unknown>>,
): AccessApp[] | string {
  let legacy: Record<string, unknown>[] = [];
  if (isRecord(rawLegacy)) {
    for (const [appId, items] of Object.entries(rawLegacy)) {
      const l = list(items, `${where}app_policies.${appId}`);
      if (typeof l === 'string') return l;
      legacy.push(...l.map((p) => ({ ...p, app_id: appId })));
    }
  } else {
    const l = list(rawLegacy, `${where}app_policies`);
    if (typeof l === 'string') return l;
    legacy = l;
  }
  return apps.map((a) => {
    const links = Array.isArray(a.policies) ? (a.policies as Record<string, unknown>[]) : [];
    const entries: AppPolicyRef[] = links
      .filter((l) => isRecord(l) && typeof l.id === 'string')
      .map((l) => {
        if (l.reusable === false) return l as unknown as AppPolicyRef;
        const p = policyById.get(l.id as string);
        return { ...(p ?? {}), ...l, reusable: true } as unknown as AppPolicyRef;
      });
    for (const p of legacy.filter((x) => x.app_id === a.id)) {
      const { app_id: _app, ...rest } = p;
      entries.push({ ...rest, reusable: false } as unknown as AppPolicyRef);
    }
    entries.sort((x, y) => Number(x.precedence) - Number(y.precedence));
    return { ...a, policies: entries } as unknown as AccessApp;
  });
}

/**
 * The zones of an export (`zones`: zone id → `{ groups, apps, app_policies }`, the emulator's seed shape), each
 * named as the code will name it: by its domain when `zone_names` gives it, else by id.
 */
function zonesFromExport(
  raw: unknown,
  rawNames: unknown,
  policyById: ReadonlyMap<string, Record<string, unknown>>,
): ZoneLive[] | string {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) return '`zones` is not an object';
  const names = isRecord(rawNames) ? rawNames : {};
  const out: ZoneLive[] = [];
  for (const [id, bucket] of Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!isRecord(bucket)) return `\`zones.${id}\` is not an object`;
    const groups = list(bucket.groups, `zones.${id}.groups`);
    if (typeof groups === 'string') return groups;
    const apps = list(bucket.apps, `zones.${id}.apps`);
    if (typeof apps === 'string') return apps;
    const withPolicies = appsWithPolicies(apps, bucket.app_policies, `zones.${id}.`, policyById);
    if (typeof withPolicies === 'string') return withPolicies;
    if (groups.length === 0 && withPolicies.length === 0) continue;
    const name = names[id];
    out.push({
      key: typeof name === 'string' && name !== '' ? name.toLowerCase() : id,
      id,
      groups: groups as never,
      apps: withPolicies,
    });
  }
  return out;
}

/** What reading an account for import needs beyond `LiveApi`. */
export interface ImportApi extends LiveApi {
  appPolicies: { list(appId: string): Promise<AppScopedPolicy[]> };
  lists: LiveApi['lists'] & { items(listId: string): Promise<GatewayListItem[]> };
}

/** Read the whole account; fetch the rules of legacy policies the app listing does not carry. */
export async function readAccount(api: ImportApi): Promise<LiveState> {
  const live = await readLive(api, LIVE_COLLECTIONS);
  const reusableIds = new Set(live.policies.map((p) => p.id));
  for (const app of live.apps) {
    const bare = app.policies.filter((p) => isLegacyLink(p, reusableIds) && !Array.isArray(p.include));
    if (bare.length === 0) continue;
    const full = await api.appPolicies.list(app.id);
    app.policies = app.policies.map((p) => {
      if (!isLegacyLink(p, reusableIds)) return p;
      const found = full.find((f) => f.id === p.id);
      return found ? ({ ...found, precedence: p.precedence, reusable: false } as unknown as AppPolicyRef) : p;
    });
  }
  // The items of the lists the rules name: they are imported as `list` declarations.
  const declared = listsToDeclare(live);
  const items = await Promise.all(declared.map((l) => api.lists.items(l.id)));
  declared.forEach((l, i) => {
    l.items = items[i];
  });
  return live;
}
