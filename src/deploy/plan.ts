import type { AccessApp, AccessGroup, AppPolicyRef, ReusablePolicy } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import {
  type CompiledProject,
  SYNTH_PREFIX,
  type WireApp,
  type WireGroup,
  type WirePolicy,
} from '../model/compiled.js';
import { refToWire } from '../selectors/wire.js';
import { diffApp, diffGroup, diffPolicy, type FieldChange } from './diff.js';
import { isOwned, type Ownership } from './ledger.js';
import { isLegacyLink, type LiveCollection, type LiveState, type ManagedKind } from './live.js';
import { groupRefs, linkIds, policyRefsOfApp } from './refs.js';
import { KIND_NOUN, PlaceholderResolver } from './resolve.js';

/** A body aclc sends: a group, a reusable policy or an app. */
export type Body = WireGroup | WirePolicy | WireApp;

/**
 * One change of a plan. Changes run phase by phase (`phase` 0: creates and updates; 1: app deletes; 2: policy
 * deletes; 3: group deletes); within a phase a change starts once the changes its `after` lists (by `key`) succeeded.
 * Bodies are resolved: account references are ids; references to objects this plan creates are still
 * `$ref:group:<name>` / `$ref:policy:<name>` placeholders, which the executor replaces with the new ids.
 */
export type Change =
  | {
      action: 'create';
      kind: ManagedKind;
      name: string;
      key: string;
      phase: number;
      after: string[];
      body: Body;
      synthesized?: true;
    }
  | {
      action: 'update';
      kind: ManagedKind;
      name: string;
      key: string;
      phase: number;
      after: string[];
      id: string;
      body: Body;
      diff: FieldChange[];
      synthesized?: true;
      /** A legacy app-scoped policy of this app that is first converted to a reusable one (keeping its id). */
      convertFromApp?: string;
    }
  | {
      action: 'delete';
      kind: ManagedKind;
      name: string;
      key: string;
      phase: number;
      after: string[];
      id: string;
      synthesized?: true;
    };

export type DeleteChange = Extract<Change, { action: 'delete' }>;
export type UpdateChange = Extract<Change, { action: 'update' }>;

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
}

/** A plan: what `apply` will do, in a dependency-respecting order. */
export interface Plan {
  format: 'aclc-plan';
  version: 1;
  accountId: string;
  /** `sha256:` of the canonical live state the plan was made against (see `fingerprint.ts`). */
  fingerprint: string;
  prune: boolean;
  /** The optional account collections read for the plan (`apply` reads the same ones to check the fingerprint). */
  reads: LiveCollection[];
  changes: Change[];
  summary: PlanSummary;
  /** Objects aclc created that the code no longer declares and that this plan keeps (not pruned, or in use). */
  kept: { kind: ManagedKind; name: string; id: string; reason: 'not-pruned' | 'in-use'; usedBy?: string }[];
}

export interface PlanInput {
  accountId: string;
  document: CompiledProject;
  live: LiveState;
  ownership: Ownership;
  prune: boolean;
  /** `referenceSpans(project)`: where the source names each account object. */
  spans: ReadonlyMap<string, Span>;
  /** Where each declared group / policy / app is written (`<kind>:<name>` → span), for diagnostics. */
  declarations?: ReadonlyMap<string, Span>;
  fingerprint: string;
  reads: LiveCollection[];
}

const NO_SPAN: Span = { file: '<plan>', start: 0, end: 0 };
export const changeKey = (kind: ManagedKind, name: string): string => `${kind}:${name}`;

interface Match<T> {
  live?: T;
  /** For a policy: the app whose legacy app-scoped policy of this name is adopted by conversion. */
  legacyApp?: AccessApp;
}

/**
 * Code → plan. Objects the code declares are matched to live objects by name (an interrupted apply therefore adopts
 * what it created instead of duplicating it); account references resolve to ids; each pair is compared in canonical
 * form; undeclared objects are deleted only with `prune`, and only when aclc created them (ledger, or the
 * synthesized-group prefix) and nothing that stays still uses them. Pure.
 */
export function makePlan(input: PlanInput): { plan: Plan; diagnostics: Diagnostic[] } {
  const { live, document, ownership } = input;
  const diagnostics: Diagnostic[] = [];
  const declSpan = (kind: ManagedKind, name: string): Span =>
    input.declarations?.get(changeKey(kind, name)) ?? NO_SPAN;

  const choose = <T extends { id: string; name: string }>(
    kind: ManagedKind,
    name: string,
    all: T[],
  ): T | undefined => {
    const candidates = all.filter((o) => o.name === name);
    if (candidates.length <= 1) return candidates[0];
    const owned = candidates.filter((o) => isOwned(ownership, kind, o));
    if (owned.length === 1) return owned[0];
    const [singular, plural] = KIND_NOUN[kind];
    diagnostics.push(
      diagnostic('ACL0852', declSpan(kind, name), {
        count: candidates.length,
        kinds: plural,
        kind: singular,
        name,
      }),
    );
    return undefined;
  };

  const groupMatch = new Map<string, Match<AccessGroup>>();
  for (const g of document.groups) groupMatch.set(g.name, { live: choose('group', g.name, live.groups) });
  const appMatch = new Map<string, Match<AccessApp>>();
  for (const a of document.apps) appMatch.set(a.name, { live: choose('app', a.name, live.apps) });
  const policyMatch = new Map<string, Match<ReusablePolicy>>();
  for (const p of document.policies) {
    const found = choose('policy', p.name, live.policies);
    if (found) {
      policyMatch.set(p.name, { live: found });
      continue;
    }
    // A legacy app-scoped policy of the same name on an app the code declares: convert it, keeping its id.
    const legacy = findLegacy(p.name, document, appMatch);
    policyMatch.set(p.name, legacy ?? {});
  }

  const resolver = new PlaceholderResolver({
    live,
    managed: {
      group: new Map([...groupMatch].map(([n, m]) => [n, m.live?.id])),
      policy: new Map([...policyMatch].map(([n, m]) => [n, m.live?.id])),
    },
    spans: input.spans,
    fallback: NO_SPAN,
  });

  const changes: Change[] = [];
  const changing = new Set<string>();
  const synthesized = (name: string): { synthesized?: true } =>
    name.startsWith(SYNTH_PREFIX) ? { synthesized: true } : {};
  /** The changes an object must wait for: those of the objects it references that change in this plan. */
  const pending = (kind: ManagedKind, names: readonly string[]): string[] =>
    names.map((n) => changeKey(kind, n)).filter((k) => changing.has(k));

  // Groups, in the compiler's dependency order.
  for (const desired of document.groups) {
    const body = resolver.resolve(desired);
    const key = changeKey('group', desired.name);
    const after = pending('group', groupRefs(desired));
    const current = groupMatch.get(desired.name)?.live;
    if (!current) {
      changes.push({
        action: 'create',
        kind: 'group',
        name: desired.name,
        key,
        phase: 0,
        after,
        body,
        ...synthesized(desired.name),
      });
      changing.add(key);
      continue;
    }
    const diff = diffGroup(
      current as unknown as Record<string, unknown>,
      body as unknown as Record<string, unknown>,
    );
    if (diff.length > 0) {
      changes.push({
        action: 'update',
        kind: 'group',
        name: desired.name,
        key,
        phase: 0,
        after,
        id: current.id,
        body,
        diff,
        ...synthesized(desired.name),
      });
      changing.add(key);
    }
  }

  for (const desired of document.policies) {
    const body = resolver.resolve(desired);
    const key = changeKey('policy', desired.name);
    const after = pending('group', groupRefs(desired));
    const match = policyMatch.get(desired.name) ?? {};
    if (!match.live) {
      changes.push({ action: 'create', kind: 'policy', name: desired.name, key, phase: 0, after, body });
      changing.add(key);
      continue;
    }
    const diff = diffPolicy(
      match.live as unknown as Record<string, unknown>,
      body as unknown as Record<string, unknown>,
    );
    if (diff.length > 0 || match.legacyApp) {
      const change: Change = {
        action: 'update',
        kind: 'policy',
        name: desired.name,
        key,
        phase: 0,
        after,
        id: match.live.id,
        body,
        diff,
      };
      if (match.legacyApp) change.convertFromApp = match.legacyApp.id;
      changes.push(change);
      changing.add(key);
    }
  }

  const policyNameById = new Map<string, string>();
  for (const p of live.policies) policyNameById.set(p.id, p.name);
  for (const [name, m] of policyMatch) if (m.live) policyNameById.set(m.live.id, name);
  for (const desired of document.apps) {
    const body = resolver.resolve(desired);
    const key = changeKey('app', desired.name);
    const after = pending('policy', policyRefsOfApp(desired));
    const current = appMatch.get(desired.name)?.live;
    if (!current) {
      changes.push({ action: 'create', kind: 'app', name: desired.name, key, phase: 0, after, body });
      changing.add(key);
      continue;
    }
    const diff = diffApp(
      current as unknown as Record<string, unknown>,
      body as unknown as Record<string, unknown>,
      (id) => displayLink(id, current.policies, policyNameById),
    );
    if (diff.length > 0) {
      changes.push({
        action: 'update',
        kind: 'app',
        name: desired.name,
        key,
        phase: 0,
        after,
        id: current.id,
        body,
        diff,
      });
      changing.add(key);
    }
  }
  diagnostics.push(...resolver.diagnostics);
  checkLegacy(document, appMatch, policyMatch, declSpan, diagnostics);

  // Objects the code does not declare.
  const liveIds = (matches: Map<string, { live?: { id: string } }>) =>
    new Set([...matches.values()].map((m) => m.live?.id).filter(Boolean));
  const declared = { group: liveIds(groupMatch), policy: liveIds(policyMatch), app: liveIds(appMatch) };
  const ours = (kind: ManagedKind, o: { id: string; name: string }): boolean =>
    isOwned(ownership, kind, o) || (kind === 'group' && o.name.startsWith(SYNTH_PREFIX));
  const candidates: { kind: ManagedKind; id: string; name: string }[] = [];
  for (const a of live.apps)
    if (!declared.app.has(a.id) && ours('app', a)) candidates.push({ kind: 'app', id: a.id, name: a.name });
  for (const p of live.policies)
    if (!declared.policy.has(p.id) && ours('policy', p))
      candidates.push({ kind: 'policy', id: p.id, name: p.name });
  for (const g of live.groups)
    if (!declared.group.has(g.id) && ours('group', g))
      candidates.push({ kind: 'group', id: g.id, name: g.name });

  const kept: Plan['kept'] = [];
  const deleting = new Map(candidates.map((c) => [c.id, c]));
  // Drop candidates that something staying (after this plan's updates) still uses, until nothing changes.
  const users = referencesAfter(live, changes);
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of [...deleting.values()]) {
      const user = (users.get(c.id) ?? []).find((u) => !deleting.has(u.id));
      if (user) {
        deleting.delete(c.id);
        // A synthesized group in use belongs to whatever uses it (another project, often): not worth a mention.
        if (isOwned(ownership, c.kind, c))
          kept.push({ kind: c.kind, name: c.name, id: c.id, reason: 'in-use', usedBy: user.label });
        changed = true;
      }
    }
  }
  if (input.prune) {
    const deletes = [...deleting.values()];
    const del = (c: { kind: ManagedKind; id: string; name: string }, phase: number): DeleteChange => ({
      action: 'delete',
      kind: c.kind,
      name: c.name,
      key: `delete:${c.kind}:${c.id}`,
      phase,
      id: c.id,
      after: [],
      ...synthesized(c.kind === 'group' ? c.name : ''),
    });
    const appDeletes = deletes.filter((c) => c.kind === 'app').map((c) => del(c, 1));
    const policyDeletes = deletes.filter((c) => c.kind === 'policy').map((c) => del(c, 2));
    const groupDeletes = deletes.filter((c) => c.kind === 'group').map((c) => del(c, 3));
    // A group is deleted after the groups (being deleted) that use it.
    for (const d of groupDeletes) {
      d.after = (users.get(d.id) ?? [])
        .filter((u) => deleting.has(u.id) && u.kind === 'group')
        .map((u) => `delete:${u.kind}:${u.id}`);
    }
    // An app that replaces one aclc deletes on the same domain (a renamed app) waits for that delete.
    for (const c of changes) {
      if (c.action !== 'create' || c.kind !== 'app') continue;
      const old = appDeletes.find((d) =>
        sameDomain(
          live.apps.find((a) => a.id === d.id),
          c.body as WireApp,
        ),
      );
      if (old) {
        old.phase = 0;
        c.after.push(old.key);
      }
    }
    changes.push(...appDeletes, ...policyDeletes, ...orderDeletes(groupDeletes));
    changes.sort((a, b) => a.phase - b.phase);
  } else {
    for (const c of deleting.values())
      kept.push({ kind: c.kind, name: c.name, id: c.id, reason: 'not-pruned' });
  }
  checkDomains(document, live, appMatch, changes, declSpan, diagnostics);

  const summary: PlanSummary = { create: 0, update: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  const plan: Plan = {
    format: 'aclc-plan',
    version: 1,
    accountId: input.accountId,
    fingerprint: input.fingerprint,
    prune: input.prune,
    reads: input.reads,
    changes,
    summary,
    kept,
  };
  return { plan, diagnostics };
}

/** Deletes ordered so that each comes after the ones it must wait for (a topological sort of `after`). */
function orderDeletes(deletes: Change[]): Change[] {
  const keys = new Set(deletes.map((d) => d.key));
  const done = new Set<string>();
  const out: Change[] = [];
  let rest = [...deletes];
  while (rest.length > 0) {
    const ready = rest.filter((d) => d.after.every((k) => !keys.has(k) || done.has(k)));
    const batch = ready.length > 0 ? ready : rest; // INVARIANT: live group references have no cycles
    for (const d of batch) {
      out.push(d);
      done.add(d.key);
    }
    rest = rest.filter((d) => !done.has(d.key));
  }
  return out;
}

function findLegacy(
  name: string,
  document: CompiledProject,
  appMatch: Map<string, Match<AccessApp>>,
): Match<ReusablePolicy> | undefined {
  for (const app of document.apps) {
    if (!app.policies.some((l) => l.id === refToWire({ kind: 'policy', name }))) continue;
    const live = appMatch.get(app.name)?.live;
    // Written at top level (same name) or inline in the app (`<app> / <name>`, see `inlinePolicyName`).
    const entry = live?.policies.find(
      (p) => isLegacyLink(p) && (p.name === name || `${app.name} / ${String(p.name)}` === name),
    );
    if (live && entry) return { live: legacyAsPolicy(entry), legacyApp: live };
  }
  return undefined;
}

/** A legacy app policy entry seen as a reusable policy (for comparison once converted). */
function legacyAsPolicy(entry: AppPolicyRef): ReusablePolicy {
  const { precedence: _precedence, ...rest } = entry;
  return {
    include: [],
    exclude: [],
    require: [],
    ...rest,
    name: String(entry.name ?? ''),
    decision: (entry.decision ?? 'allow') as ReusablePolicy['decision'],
    reusable: true,
  } as ReusablePolicy;
}

function displayLink(id: string, liveLinks: AppPolicyRef[], names: Map<string, string>): string {
  const m = /^\$ref:policy:(.*)$/s.exec(id);
  if (m) return m[1] as string;
  return names.get(id) ?? liveLinks.find((l) => l.id === id)?.name ?? id;
}

/**
 * Who uses each object once the plan's creates and updates are done: object id → users. Groups are used by
 * `group` rules of groups and policies, policies by app links.
 */
function referencesAfter(
  live: LiveState,
  changes: Change[],
): Map<string, { id: string; kind: ManagedKind; label: string }[]> {
  const updated = new Map<string, Body>();
  for (const c of changes) if (c.action === 'update') updated.set(c.id, c.body);
  const users = new Map<string, { id: string; kind: ManagedKind; label: string }[]>();
  const use = (target: string, user: { id: string; kind: ManagedKind; label: string }): void => {
    const list = users.get(target);
    if (list) list.push(user);
    else users.set(target, [user]);
  };
  for (const g of live.groups) {
    const body = (updated.get(g.id) as WireGroup | undefined) ?? g;
    for (const id of groupRefs(body, true))
      use(id, { id: g.id, kind: 'group', label: `group \`${g.name}\`` });
  }
  for (const p of live.policies) {
    const body = (updated.get(p.id) as WirePolicy | undefined) ?? p;
    for (const id of groupRefs(body, true))
      use(id, { id: p.id, kind: 'policy', label: `policy \`${p.name}\`` });
  }
  for (const a of live.apps) {
    const body = (updated.get(a.id) as WireApp | undefined) ?? a;
    for (const id of linkIds(body)) use(id, { id: a.id, kind: 'app', label: `app \`${a.name}\`` });
    // Legacy app policies live inside the app and may use groups.
    for (const entry of a.policies)
      if (isLegacyLink(entry))
        for (const id of groupRefs(entry as never, true))
          use(id, { id: a.id, kind: 'app', label: `app \`${a.name}\`` });
  }
  // New objects use groups too.
  for (const c of changes) {
    if (c.action !== 'create') continue;
    const label = `${c.kind} \`${c.name}\``;
    const user = { id: `new:${c.key}`, kind: c.kind, label };
    if (c.kind === 'app') for (const id of linkIds(c.body as WireApp)) use(id, user);
    else for (const id of groupRefs(c.body as WireGroup, true)) use(id, user);
  }
  return users;
}

/**
 * Legacy app-scoped policies the code does not adopt stay on their app (an app PUT keeps them): warn, and refuse a
 * precedence they hold.
 */
function checkLegacy(
  document: CompiledProject,
  appMatch: Map<string, Match<AccessApp>>,
  policyMatch: Map<string, Match<ReusablePolicy>>,
  declSpan: (kind: ManagedKind, name: string) => Span,
  out: Diagnostic[],
): void {
  const adopted = new Set([...policyMatch.values()].filter((m) => m.legacyApp).map((m) => m.live?.id));
  for (const app of document.apps) {
    const current = appMatch.get(app.name)?.live;
    if (!current) continue;
    for (const legacy of current.policies.filter((p) => isLegacyLink(p) && !adopted.has(p.id))) {
      const legacyName = String(legacy.name ?? legacy.id);
      out.push(diagnostic('ACL0868', declSpan('app', app.name), { app: app.name, legacy: legacyName }));
      const clash = app.policies.find((l) => l.precedence === legacy.precedence);
      if (clash) {
        const policy = /^\$ref:policy:(.*)$/s.exec(clash.id)?.[1] ?? clash.id;
        out.push(
          diagnostic('ACL0867', declSpan('app', app.name), {
            precedence: clash.precedence,
            policy,
            app: app.name,
            legacy: legacyName,
          }),
        );
      }
    }
  }
}

function sameDomain(live: AccessApp | undefined, app: WireApp): boolean {
  return live !== undefined && String(live.domain).toLowerCase() === String(app.domain).toLowerCase();
}

/** A new app whose domain an app that stays (and that the code does not declare) protects cannot be created. */
function checkDomains(
  document: CompiledProject,
  live: LiveState,
  appMatch: Map<string, Match<AccessApp>>,
  changes: readonly Change[],
  declSpan: (kind: ManagedKind, name: string) => Span,
  out: Diagnostic[],
): void {
  const declaredApps = new Set([...appMatch.values()].map((m) => m.live?.id).filter(Boolean));
  const deleted = new Set(changes.filter((c) => c.action === 'delete').map((c) => (c as DeleteChange).id));
  for (const app of document.apps) {
    if (appMatch.get(app.name)?.live) continue;
    const other = live.apps.find((a) => !declaredApps.has(a.id) && !deleted.has(a.id) && sameDomain(a, app));
    if (other)
      out.push(
        diagnostic('ACL0863', declSpan('app', app.name), {
          app: app.name,
          domain: app.domain,
          other: other.name,
        }),
      );
  }
}
