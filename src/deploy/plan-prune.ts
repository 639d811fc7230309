import type { AccessApp } from '../api/types.js';
import { SYNTH_PREFIX, type WireApp, type WireGroup, type WirePolicy } from '../model/compiled.js';
import { isOwned, type Ownership } from './ledger.js';
import { isLegacyLink, type LiveState, type ManagedKind } from './live.js';
import type { Body, Change, DeleteChange, Match, Plan } from './plan-types.js';
import { groupRefs, linkIds } from './refs.js';

/**
 * What a plan deletes: objects the code does not declare, only with `prune`, only when aclc created them (ledger,
 * or the synthesized-group prefix), and only when nothing that stays still uses them. Pure.
 */
export function planDeletes(input: {
  live: LiveState;
  ownership: Ownership;
  prune: boolean;
  /** The creates and updates planned so far; deletes are appended, and the whole list sorted by phase. */
  changes: Change[];
  groupMatch: Map<string, Match<{ id: string }>>;
  policyMatch: Map<string, Match<{ id: string }>>;
  appMatch: Map<string, Match<{ id: string }>>;
}): Plan['kept'] {
  const { live, ownership, changes, groupMatch, policyMatch, appMatch } = input;
  const synthesized = (name: string): { synthesized?: true } =>
    name.startsWith(SYNTH_PREFIX) ? { synthesized: true } : {};
  // Objects the code does not declare.
  const liveIds = (matches: Map<string, { live?: { id: string } }>) =>
    new Set([...matches.values()].map((m) => m.live?.id).filter(Boolean));
  const declared = { group: liveIds(groupMatch), policy: liveIds(policyMatch), app: liveIds(appMatch) };
  const ours = (kind: ManagedKind, o: { id: string; name: string }): boolean =>
    // Only an id in the ledger makes an object aclc's: a name (even the synthesized-group prefix) proves nothing.
    isOwned(ownership, kind, o);
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
  return kept;
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

/**
 * Who uses each object once the plan's creates and updates are done: object id → users. Groups are used by
 * `group` rules of groups and policies, policies by app links.
 */
export function referencesAfter(
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

export function sameDomain(live: AccessApp | undefined, app: WireApp): boolean {
  // Apps without a hostname (`saas`, `infrastructure`) share none.
  if (live === undefined || typeof app.domain !== 'string' || app.domain === '') return false;
  return String(live.domain).toLowerCase() === app.domain.toLowerCase();
}
