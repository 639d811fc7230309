import type { TfFinding } from './account.js';
import type { TfResource } from './show-json.js';

/**
 * Zone-level Access objects of a Terraform configuration (`zone_id` instead of `account_id`): groups, apps and the
 * apps' app-scoped policies, kept by zone id in the account export's `zones` (the emulator's seed shape), so the
 * importer writes them with `zone id("…")` / `in zone id("…")`. Reusable policies do not exist at zone level.
 */

type Rec = Record<string, unknown>;

/** One zone's objects, as an account export holds them. */
export interface ZoneBucket {
  groups: Rec[];
  /** Always empty (ZONE_REUSABLE): present so that the account's and a zone's objects are filled alike. */
  policies: Rec[];
  apps: Rec[];
  app_policies: Record<string, Rec[]>;
}

/** A zone id as Cloudflare writes it. */
const ZONE_ID = /^[0-9a-f]{32}$/i;

export const ZONE_REUSABLE =
  'a zone-level policy without `application_id` would be reusable, and reusable policies exist only at account level; keep managing it with Terraform';

export const isZoneId = (z: string): boolean => ZONE_ID.test(z);

export const notAZone = (z: string): string =>
  `its \`zone_id\` (\`${z}\`) is not a zone id (32 hex digits); with a value only Terraform knows, import the output of \`terraform show -json\``;

/** The zone id of a zone-level resource (lower-case), or the value as Terraform holds it. */
export function zoneOf(r: TfResource): string {
  const z = String(r.values.zone_id);
  return ZONE_ID.test(z) ? z.toLowerCase() : z;
}

export function zoneBucket(zones: Record<string, ZoneBucket>, zone: string): ZoneBucket {
  zones[zone] ??= { groups: [], policies: [], apps: [], app_policies: {} };
  return zones[zone];
}

/** App-scoped policies of an app the scope does not declare have nowhere to go: left to Terraform. */
export function leaveOrphanPolicies(
  scope: { apps: Rec[]; app_policies: Record<string, Rec[]> },
  adopted: TfResource[],
  found: TfFinding[],
): void {
  const appIds = new Set(scope.apps.map((a) => String(a.id)));
  for (const [appId, policies] of Object.entries(scope.app_policies)) {
    if (appIds.has(appId)) continue;
    delete scope.app_policies[appId];
    for (const p of policies) {
      const i = adopted.findIndex((r) => r.values.id === p.id);
      const r = i >= 0 ? adopted.splice(i, 1)[0] : undefined;
      found.push({
        address: r?.address ?? String(p.name),
        kind: 'left',
        reason: `its \`application_id\` (\`${appId}\`) is an app the configuration does not declare, so it is not imported; keep managing it with Terraform`,
      });
    }
  }
}

/** The account's and the zones' groups, policies, apps and lists together (what the hand-over checks by name). */
export function withZones<T extends { groups: Rec[]; policies: Rec[]; apps: Rec[]; lists: Rec[] }>(
  out: T,
  zones: Record<string, ZoneBucket>,
): T {
  const all = Object.values(zones);
  return {
    ...out,
    groups: [...out.groups, ...all.flatMap((z) => z.groups)],
    apps: [...out.apps, ...all.flatMap((z) => z.apps)],
  };
}
