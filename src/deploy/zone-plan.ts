import type { AccessApp, AccessGroup, AppPolicyRef } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CompiledProject, WireApp, WireGroup, WirePolicy } from '../model/compiled.js';
import { refFromWire } from '../selectors/wire.js';
import { canonEqual, canonicalPolicy } from './canonical.js';
import { diffApp, diffGroup, type FieldChange } from './diff.js';
import { isOwned } from './ledger.js';
import { isLegacyLink, type ManagedKind, type ZoneLive } from './live.js';
import { upsertChange } from './plan-fields.js';
import {
  type Body,
  type Change,
  type ChangeZone,
  changeKey,
  NO_SPAN,
  type Plan,
  type PlanInput,
} from './plan-types.js';
import { groupRefs } from './refs.js';
import { KIND_NOUN, PlaceholderResolver } from './resolve.js';

type Json = Record<string, unknown>;

/** The objects of one zone the code declares: groups (dependency order), apps, and the apps' inline policies. */
export interface ZoneDocument {
  groups: WireGroup[];
  apps: WireApp[];
  policies: Map<string, WirePolicy>;
}

/**
 * A compiled project split by scope (`CompiledProject.scopes`): the account's objects, planned as before, and each
 * zone's, planned by `planZones`. Without zone-level objects the account document is the document itself.
 */
export function splitScopes(document: CompiledProject): {
  account: CompiledProject;
  zones: Map<string, ZoneDocument>;
} {
  const scopes = document.scopes;
  const zones = new Map<string, ZoneDocument>();
  if (!scopes) return { account: document, zones };
  const zoneOf = (kind: ManagedKind, name: string): string | undefined => scopes[changeKey(kind, name)];
  const of = (zone: string): ZoneDocument => {
    let z = zones.get(zone);
    if (!z) {
      z = { groups: [], apps: [], policies: new Map() };
      zones.set(zone, z);
    }
    return z;
  };
  for (const zone of new Set(Object.values(scopes))) of(zone);
  const account: CompiledProject = { groups: [], policies: [], apps: [] };
  for (const g of document.groups) {
    const zone = zoneOf('group', g.name);
    if (zone === undefined) account.groups.push(g);
    else of(zone).groups.push(g);
  }
  for (const p of document.policies) {
    const zone = zoneOf('policy', p.name);
    if (zone === undefined) account.policies.push(p);
    else of(zone).policies.set(p.name, p);
  }
  for (const a of document.apps) {
    const zone = zoneOf('app', a.name);
    if (zone === undefined) account.apps.push(a);
    else of(zone).apps.push(a);
  }
  if (document.lists) account.lists = document.lists;
  return { account, zones };
}

/** The name an inline policy has inside its app: the compiler names it `<app> / <policy>` at account level. */
function appScopedName(app: string, policy: string): string {
  const prefix = `${app} / `;
  return policy.startsWith(prefix) ? policy.slice(prefix.length) : policy;
}

/** An app's app-scoped policies, in precedence order, as comparable values. */
function inlineCanon(policies: readonly Json[]): unknown[] {
  return [...policies]
    .sort((a, b) => Number(a.precedence) - Number(b.precedence))
    .map((p) => [Number(p.precedence), canonicalPolicy(p)]);
}

/** Differences of a zone-level app: its settings, then its app-scoped policies as one `policies` change. */
export function diffZoneApp(live: Json, desired: Json): FieldChange[] {
  const { policies: livePolicies, ...liveRest } = live;
  const { policies: desiredPolicies, ...desiredRest } = desired;
  const out = diffApp(liveRest, desiredRest, (id) => id);
  const before = (Array.isArray(livePolicies) ? livePolicies : []) as Json[];
  const after = (Array.isArray(desiredPolicies) ? desiredPolicies : []) as Json[];
  if (!canEqualInline(before, after)) {
    const show = (ps: Json[]): string[] =>
      [...ps]
        .sort((a, b) => Number(a.precedence) - Number(b.precedence))
        .map((p) => `${Number(p.precedence)}: ${String(p.name)} (${String(p.decision)})`);
    out.push({ field: 'policies', before: show(before), after: show(after) });
  }
  return out;
}

function canEqualInline(before: Json[], after: Json[]): boolean {
  return canonEqual(inlineCanon(before), inlineCanon(after));
}

export interface ZonePlanInput
  extends Pick<
    PlanInput,
    'document' | 'live' | 'ownership' | 'prune' | 'spans' | 'declarations' | 'creatingLists'
  > {
  /** The account plan's changes: a zone object waits for the account groups it uses that change. */
  accountChanges: readonly Change[];
}

/**
 * The changes of the zone-level objects, zone by zone, through the zone endpoints: groups and apps matched by name
 * in their zone, compared in canonical form, an app's inline policies sent inside it (app-scoped: reusable policies
 * exist only at account level), undeclared objects deleted only with `prune` and only when the ledger says aclc
 * created them in that zone. Only the zones the code names are read, so nothing in another zone is touched. Pure.
 */
export function planZones(input: ZonePlanInput): {
  changes: Change[];
  kept: Plan['kept'];
  diagnostics: Diagnostic[];
} {
  const { live } = input;
  const diagnostics: Diagnostic[] = [];
  const changes: Change[] = [];
  const kept: Plan['kept'] = [];
  const { zones } = splitScopes(input.document);
  if (zones.size === 0) return { changes, kept, diagnostics };
  const changing = new Set(input.accountChanges.filter((c) => c.action !== 'delete').map((c) => c.key));

  // Account groups the code declares, as zone objects see them: their id, or a placeholder while being created.
  const accountGroups = new Map<string, string | undefined>();
  const { account } = splitScopes(input.document);
  for (const g of account.groups) {
    const change = input.accountChanges.find((c) => c.key === changeKey('group', g.name));
    if (change?.action === 'create') accountGroups.set(g.name, undefined);
    else if (change?.action === 'update') accountGroups.set(g.name, change.id);
    else {
      const found = live.groups.filter((x) => x.name === g.name);
      const owned = found.filter((x) => isOwned(input.ownership, 'group', x));
      accountGroups.set(g.name, (found.length === 1 ? found[0] : owned[0])?.id);
    }
  }

  for (const zoneLive of live.zones ?? []) {
    const doc = zones.get(zoneLive.key);
    if (!doc) continue;
    const zone: ChangeZone = { id: zoneLive.id, name: zoneLive.key };
    const choose = <T extends { id: string; name: string }>(
      kind: ManagedKind,
      name: string,
      all: T[],
    ): T | undefined => {
      let candidates = all.filter((o) => o.name === name);
      if (candidates.length === 0) candidates = all.filter((o) => input.ownership.aliases.get(o.id) === name);
      if (candidates.length <= 1) return candidates[0];
      const owned = candidates.filter((o) => isOwned(input.ownership, kind, o));
      if (owned.length === 1) return owned[0];
      const [singular, plural] = KIND_NOUN[kind];
      diagnostics.push(
        diagnostic('ACL0852', input.declarations?.get(changeKey(kind, name)) ?? NO_SPAN, {
          count: candidates.length,
          kinds: `${plural} of zone \`${zone.name}\``,
          kind: singular,
          name,
        }),
      );
      return undefined;
    };
    const groupMatch = new Map<string, AccessGroup | undefined>();
    for (const g of doc.groups) groupMatch.set(g.name, choose('group', g.name, zoneLive.groups));
    const appMatch = new Map<string, AccessApp | undefined>();
    for (const a of doc.apps) appMatch.set(a.name, choose('app', a.name, zoneLive.apps));

    const resolver = new PlaceholderResolver({
      // Extern groups by name: the zone's first, then the account's.
      live: { ...live, groups: [...zoneLive.groups, ...live.groups] },
      managed: {
        group: new Map([...accountGroups, ...[...groupMatch].map(([n, m]) => [n, m?.id] as const)]),
        policy: new Map(),
        ...(input.creatingLists ? { lists: input.creatingLists } : {}),
      },
      spans: input.spans,
      fallback: NO_SPAN,
    });

    const upsert = (
      kind: ManagedKind,
      name: string,
      body: Body,
      after: string[],
      current: { id: string } | undefined,
      diffOf: (live: Json, desired: Json) => FieldChange[],
    ): void => {
      const change = upsertChange({ kind, name, body, after, current, diffOf, both: { zone } });
      if (!change) return;
      changes.push(change);
      changing.add(change.key);
    };
    const pending = (body: object): string[] =>
      groupRefs(body as WireGroup)
        .map((n) => changeKey('group', n))
        .filter((k) => changing.has(k));

    for (const desired of doc.groups)
      upsert(
        'group',
        desired.name,
        resolver.resolve(desired),
        pending(desired),
        groupMatch.get(desired.name),
        diffGroup,
      );
    for (const desired of doc.apps) {
      const current = appMatch.get(desired.name);
      const after: string[] = [];
      const policies = desired.policies.map((link) => {
        const name = refFromWire('policy', link.id).name ?? '';
        const policy = doc.policies.get(name) as WirePolicy;
        after.push(...pending(policy));
        const inline = appScopedName(desired.name, name);
        // Updated in place (same id) when the app already has an app-scoped policy of this name.
        const old = current?.policies.find((p) => isLegacyLink(p) && p.name === inline);
        return {
          ...(old ? { id: old.id } : {}),
          ...resolver.resolve(policy),
          name: inline,
          precedence: link.precedence,
        };
      });
      const body = { ...resolver.resolve({ ...desired, policies: [] }), policies } as unknown as WireApp;
      upsert('app', desired.name, body, [...new Set(after)], current, diffZoneApp);
    }
    diagnostics.push(...resolver.diagnostics);
    pruneZone(input, zone, zoneLive, groupMatch, appMatch, changes, kept);
  }
  return { changes, kept, diagnostics };
}

/** Deletes of the zone's objects aclc created and the code no longer declares, unless something staying uses them. */
function pruneZone(
  input: ZonePlanInput,
  zone: ChangeZone,
  zoneLive: ZoneLive,
  groupMatch: ReadonlyMap<string, { id: string } | undefined>,
  appMatch: ReadonlyMap<string, { id: string } | undefined>,
  changes: Change[],
  kept: Plan['kept'],
): void {
  const declared = new Set([...groupMatch.values(), ...appMatch.values()].map((m) => m?.id));
  const ours = (o: { id: string; name: string }, kind: ManagedKind): boolean =>
    !declared.has(o.id) && isOwned(input.ownership, kind, o);
  const apps = zoneLive.apps.filter((a) => ours(a, 'app'));
  const groups = new Map(zoneLive.groups.filter((g) => ours(g, 'group')).map((g) => [g.id, g]));
  // Group ids used by what stays: the zone's groups and apps after this plan, and the objects it creates.
  const updated = new Map<string, Body>();
  for (const c of changes) if (c.zone?.id === zone.id && c.action === 'update') updated.set(c.id, c.body);
  const uses = (body: object): string[] => {
    const policies = (body as { policies?: unknown }).policies;
    const inline = (Array.isArray(policies) ? policies : []) as AppPolicyRef[];
    return [...groupRefs(body as WireGroup, true), ...inline.flatMap((p) => groupRefs(p as never, true))];
  };
  const usedBy = (id: string): Body | object | undefined => {
    const users: object[] = [
      ...zoneLive.groups.filter((g) => !groups.has(g.id)).map((g) => updated.get(g.id) ?? g),
      ...zoneLive.apps.filter((a) => !apps.includes(a)).map((a) => updated.get(a.id) ?? a),
      ...changes.flatMap((c) => (c.action === 'create' ? [c.body] : [])),
    ];
    return users.find((u) => uses(u).includes(id));
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, g] of groups) {
      const user = usedBy(id);
      if (!user) continue;
      groups.delete(id);
      kept.push({
        kind: 'group',
        name: g.name,
        id,
        reason: 'in-use',
        usedBy: `${'policies' in user ? 'app' : 'group'} \`${String((user as { name?: unknown }).name)}\``,
        zone: zone.name,
      });
      changed = true;
    }
  }
  const candidates: { kind: ManagedKind; id: string; name: string; phase: number }[] = [
    ...apps.map((a) => ({ kind: 'app' as const, id: a.id, name: a.name, phase: 1 })),
    ...[...groups.values()].map((g) => ({ kind: 'group' as const, id: g.id, name: g.name, phase: 3 })),
  ];
  // A group is deleted after the groups being deleted that use it.
  const waitsFor = (c: { kind: ManagedKind; id: string }): string[] =>
    c.kind !== 'group'
      ? []
      : [...groups.values()].filter((g) => uses(g).includes(c.id)).map((g) => `delete:group:${g.id}`);
  for (const c of candidates) {
    if (!input.prune) {
      kept.push({ kind: c.kind, name: c.name, id: c.id, reason: 'not-pruned', zone: zone.name });
      continue;
    }
    changes.push({
      action: 'delete',
      kind: c.kind,
      name: c.name,
      key: `delete:${c.kind}:${c.id}`,
      phase: c.phase,
      after: waitsFor(c),
      id: c.id,
      zone,
    });
  }
}
