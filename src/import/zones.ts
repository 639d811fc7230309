import type { AppScopedPolicy } from '../api/types.js';
import { isLegacyLink, type LiveState, type ZoneLive } from '../deploy/live.js';
import { readZones, resolveZones, type ZoneApi } from '../deploy/zones.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { type ImportApi, readAccount } from './account.js';
import { quote } from './text.js';

/** A zone id as Cloudflare writes it. */
const ZONE_ID = /^[0-9a-f]{32}$/;

/**
 * How the import writes the zone of each zone-level group and app, by object id: `"example.com"` when the zone is
 * known by its domain (`LiveState.zones[].key`), else `id("<zone id>")`.
 */
export function zoneClauses(live: LiveState): Map<string, string> {
  const out = new Map<string, string>();
  for (const z of live.zones ?? []) {
    const text = ZONE_ID.test(z.key) ? `id(${quote(z.key)})` : quote(z.key);
    for (const o of [...z.groups, ...z.apps]) out.set(o.id, text);
  }
  return out;
}

/** What reading zones for import needs: the zones, and each zone's app-scoped policies (`AccessClient`). */
export interface ZoneImportApi extends ZoneApi {
  forZone(zoneId: string): ReturnType<ZoneApi['forZone']> & {
    appPolicies: { list(appId: string): Promise<AppScopedPolicy[]> };
  };
}

/**
 * `aclc import --zone example.com --zone <id>`: the zones named on the command line (a domain is looked up with
 * `GET /zones?name=…`, ACL0655 when there is none), each with its Access groups and apps, and the rules of the
 * apps' policies when the app listing does not carry them. Only the zones named are read.
 */
export async function readNamedZones(
  api: ZoneImportApi,
  names: readonly string[],
): Promise<{ zones: ZoneLive[]; diagnostics: Diagnostic[] }> {
  const keys = [...new Set(names.map((n) => n.trim().toLowerCase().replace(/\.$/, '')))];
  const resolved = await resolveZones(api, keys, new Map());
  if (resolved.diagnostics.length > 0) return { zones: [], diagnostics: resolved.diagnostics };
  const zones = await readZones(api, resolved.zones);
  for (const zone of zones) {
    const scoped = api.forZone(zone.id);
    for (const app of zone.apps) {
      if (!app.policies.some((p) => isLegacyLink(p) && !Array.isArray(p.include))) continue;
      const full = await scoped.appPolicies.list(app.id);
      app.policies = app.policies.map((p) => {
        const found = full.find((f) => f.id === p.id);
        return found ? ({ ...found, precedence: p.precedence, reusable: false } as never) : p;
      });
    }
  }
  return { zones, diagnostics: [] };
}

/**
 * What `aclc import` and `aclc export` read from the API: the whole account (`readAccount`) and the zones named with
 * `--zone` (`readNamedZones`); or the diagnostics of zones that could not be found.
 */
export async function readAccountAndZones(
  api: ImportApi & ZoneImportApi,
  zoneNames: readonly string[] = [],
): Promise<{ live: LiveState; diagnostics: [] } | { live?: undefined; diagnostics: Diagnostic[] }> {
  const live = await readAccount(api);
  if (zoneNames.length === 0) return { live, diagnostics: [] };
  const zones = await readNamedZones(api, zoneNames);
  if (zones.diagnostics.length > 0) return { diagnostics: zones.diagnostics };
  live.zones = zones.zones;
  return { live, diagnostics: [] };
}
