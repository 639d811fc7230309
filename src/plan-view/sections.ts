import { appliedHash } from '../deploy/applied.js';
import { appDomains } from '../deploy/canonical.js';
import type { Ledger, Ownership } from '../deploy/ledger.js';
import { flattenZones, type LiveState, type ManagedKind } from '../deploy/live.js';
import type { Plan } from '../deploy/plan.js';
import { groupRefs, linkIds } from '../deploy/refs.js';
import type { ObjectRef, Orphan } from './types.js';
import { appsUsing } from './usage.js';

type Obj = Record<string, unknown> & { id: string; name: string };

/**
 * The three sections that set a plan's changes apart: objects changed outside aclc since it last wrote them
 * (`drift`), declared objects made outside aclc that an update would take over (`adopt`), and objects the code no
 * longer declares that still decide access (`orphans`). Pure.
 */
export function planSections(input: {
  plan: Plan;
  live: LiveState;
  ledger: Ledger | undefined;
  ownership: Ownership;
}): { drift: ObjectRef[]; adopt: ObjectRef[]; orphans: Orphan[] } {
  const { plan, ledger, ownership } = input;
  // Zone-level groups and apps are looked at like the account's (ids are unique).
  const live = flattenZones(input.live);
  const all: [ManagedKind, Obj[]][] = [
    ['group', live.groups as unknown as Obj[]],
    ['policy', live.policies as unknown as Obj[]],
    ['app', live.apps as unknown as Obj[]],
  ];
  const drift: ObjectRef[] = [];
  if (ledger)
    for (const [kind, list] of all)
      for (const o of list) {
        const applied = ledger.applied(plan.accountId, o.id);
        if (applied !== undefined && applied !== appliedHash(kind, o))
          drift.push({ kind, name: o.name, id: o.id });
      }
  const adopt: ObjectRef[] = plan.changes
    .filter((c) => c.action === 'update' && !ownership.ids.has(c.id))
    .map((c) => ({ kind: c.kind, name: c.name, id: (c as { id: string }).id }));
  return { drift, adopt, orphans: orphansOf(plan, live) };
}

/** Kept objects (not in the code, not deleted by this plan) that will still decide requests once it is applied. */
function orphansOf(plan: Plan, live: LiveState): Orphan[] {
  const updated = new Map(
    plan.changes.filter((c) => c.action === 'update').map((c) => [(c as { id: string }).id, c.body]),
  );
  const deleted = new Set(
    plan.changes.filter((c) => c.action === 'delete').map((c) => (c as { id: string }).id),
  );
  const after = <T extends { id: string }>(o: T): T => (updated.get(o.id) as T | undefined) ?? o;
  const apps = live.apps.filter((a) => !deleted.has(a.id)).map(after);
  const policies = new Map(live.policies.filter((p) => !deleted.has(p.id)).map((p) => [p.id, after(p)]));
  const groups = new Map(live.groups.filter((g) => !deleted.has(g.id)).map((g) => [g.id, after(g)]));
  // Which apps each policy and group decides for, once the plan is applied.
  const usedBy = appsUsing({
    apps: apps.map((a) => ({ name: a.name, policies: linkIds(a) })),
    policyGroups: (id) => groupRefs(policies.get(id) ?? {}, true),
    groupGroups: (id) => groupRefs(groups.get(id) ?? {}, true),
  });
  const orphans: Orphan[] = [];
  const owned = (id: string) => plan.kept.some((k) => k.id === id);
  const extra = (k: Plan['kept'][number]) => ({
    ...(k.reason === 'in-use' ? { usedBy: k.usedBy ?? 'something' } : {}),
    ...(k.zone !== undefined ? { zone: k.zone } : {}),
  });
  for (const k of plan.kept) {
    if (deleted.has(k.id)) continue;
    const names = (usedBy.get(k.id) ?? []).map((n) => `app "${n}"`);
    if (k.kind === 'app') {
      const a = live.apps.find((x) => x.id === k.id);
      if (!a) continue;
      const decisions = linkIds(a)
        .map((id) => policies.get(id))
        .filter((p) => p !== undefined)
        .map((p) => `${p.decision} "${p.name}"`);
      const domain = appDomains(a as unknown as Record<string, unknown>)[0] ?? '(no domain)';
      const why = `still guards ${domain}${decisions.length > 0 ? ` with ${decisions.join(', ')}` : ''}`;
      orphans.push({ kind: k.kind, name: k.name, id: k.id, why, owned: owned(k.id), ...extra(k) });
    } else if (names.length > 0) {
      const p = k.kind === 'policy' ? policies.get(k.id) : undefined;
      const what = p ? `${p.decision} policy` : k.kind;
      orphans.push({
        kind: k.kind,
        name: k.name,
        id: k.id,
        why: `${what} still used by ${names.join(', ')}`,
        owned: owned(k.id),
        ...extra(k),
      });
    }
  }
  return orphans;
}
