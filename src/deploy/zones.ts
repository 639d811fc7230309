import type { AccessApp, AccessGroup } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CompiledProject } from '../model/compiled.js';
import type { Project } from '../model/project.js';
import type { ZoneLive } from './live.js';
import type { ChangeZone } from './plan-types.js';

/** What reading zones needs from the API client (`AccessClient` satisfies it). */
export interface ZoneApi {
  zonesNamed(name: string): Promise<{ id: string; name: string }[]>;
  forZone(zoneId: string): {
    groups: { list(): Promise<AccessGroup[]> };
    apps: { list(): Promise<AccessApp[]> };
  };
}

/** A zone id as Cloudflare writes it; anything else the code writes after `zone` is a zone name. */
const ZONE_ID = /^[0-9a-f]{32}$/;

/** The zones a compiled project names (`scopes` values), each once, sorted. */
export function zonesNamed(document: CompiledProject): string[] {
  return [...new Set(Object.values(document.scopes ?? {}))].sort();
}

/** Where the source first names each zone, for diagnostics. */
export function zoneSpans(project: Project): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const def of [...project.groups.values(), ...project.apps])
    if (def.zone && !out.has(def.zone.value)) out.set(def.zone.value, def.zone.span);
  return out;
}

/**
 * The zones' ids: a zone id is taken as written; a name is looked up with `GET /zones?name=…` (a name no zone of
 * the credentials has is ACL0655). Only these zones are ever read or written.
 */
export async function resolveZones(
  api: ZoneApi,
  keys: readonly string[],
  spans: ReadonlyMap<string, Span>,
): Promise<{ zones: ChangeZone[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const zones: ChangeZone[] = [];
  const found = await Promise.all(
    keys.map(async (key) => (ZONE_ID.test(key) ? [{ id: key, name: key }] : await api.zonesNamed(key))),
  );
  keys.forEach((key, i) => {
    const match = (found[i] ?? []).find((z) => ZONE_ID.test(key) || z.name.toLowerCase() === key);
    if (match) zones.push({ id: match.id, name: key });
    else
      diagnostics.push(
        diagnostic('ACL0655', spans.get(key) ?? { file: '<plan>', start: 0, end: 0 }, { zone: key }),
      );
  });
  return { zones, diagnostics };
}

/**
 * Each zone's Access groups and apps (every read awaited, the first failure thrown, as `readLive` does). An app's
 * `policies` are answered expanded: its app-scoped policies with their rules.
 */
export async function readZones(api: ZoneApi, zones: readonly ChangeZone[]): Promise<ZoneLive[]> {
  const settled = await Promise.allSettled(
    zones.flatMap((z) => {
      const scoped = api.forZone(z.id);
      return [scoped.groups.list(), scoped.apps.list()] as Promise<unknown>[];
    }),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return zones.map((z, i) => {
    const groups = (settled[2 * i] as PromiseFulfilledResult<AccessGroup[]>).value;
    const apps = (settled[2 * i + 1] as PromiseFulfilledResult<AccessApp[]>).value;
    return {
      key: z.name,
      id: z.id,
      groups,
      apps: apps.map((a) => ({ ...a, policies: Array.isArray(a.policies) ? a.policies : [] })),
    };
  });
}
