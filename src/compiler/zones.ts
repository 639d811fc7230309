import type { AppDef, PolicyDef, Project } from '../model/project.js';
import type { WireBody } from './fit.js';

/**
 * Where each object of a compiled project lives: the account (absent from the map) or a zone. Code groups and apps
 * say so themselves (`in zone "…"`, `zone "…"`); an inline policy lives with its app (a zone-level app's policies are
 * app-scoped: reusable policies exist only at account level); a synthesized group lives in the zone of the zone
 * groups it uses, else in the account. The scoping rules themselves are the resolver's (`checkZoneScopes`). Pure.
 */
export function assignScopes(input: {
  project: Project;
  apps: readonly AppDef[];
  /** Group bodies in dependency order (referenced groups first). */
  groups: readonly { name: string; body: WireBody; synthesized: boolean }[];
  policies: readonly PolicyDef[];
  refs(body: WireBody): string[];
}): Record<string, string> | undefined {
  const { project } = input;
  const scopes: Record<string, string> = {};
  const zoneOfGroup = new Map<string, string>();
  for (const def of project.groups.values()) if (def.zone) zoneOfGroup.set(def.name, def.zone.value);
  const appZone = new Map<string, string>();
  for (const app of project.apps) if (app.zone) appZone.set(app.name, app.zone.value);
  if (zoneOfGroup.size === 0 && appZone.size === 0) return undefined;
  for (const g of input.groups) {
    if (g.synthesized) {
      const zone = input.refs(g.body).flatMap((r) => zoneOfGroup.get(r) ?? [])[0];
      if (zone !== undefined) zoneOfGroup.set(g.name, zone);
    }
    const zone = zoneOfGroup.get(g.name);
    if (zone !== undefined) scopes[`group:${g.name}`] = zone;
  }
  for (const def of input.policies) {
    const zone = def.inlineIn === undefined ? undefined : appZone.get(def.inlineIn);
    if (zone !== undefined) scopes[`policy:${def.name}`] = zone;
  }
  for (const app of input.apps) {
    const zone = appZone.get(app.name);
    if (zone !== undefined) scopes[`app:${app.name}`] = zone;
  }
  return scopes;
}
