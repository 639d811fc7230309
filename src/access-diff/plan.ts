import type { AccessApp, AccessGroup, AppPolicyRef, ReusablePolicy } from '../api/types.js';
import { flattenZones, type LiveState } from '../deploy/live.js';
import type { Plan } from '../deploy/plan.js';
import { accountObjects } from '../deploy/resolve.js';
import { liveDocument } from '../import/live-document.js';
import type { WireApp, WireGroup, WirePolicy } from '../model/compiled.js';
import type { RefKind } from '../model/formula.js';
import { refToWire } from '../selectors/wire.js';
import { accessDiff } from './engine.js';
import type { NameOf } from './phrase.js';
import type { AccessDiff } from './types.js';

/**
 * The account as it will be once `plan` is applied (pure): the live objects with the plan's creates, updates and
 * deletes made. An object the plan creates takes as its id the placeholder the plan's bodies use for it
 * (`$ref:group:<name>`), so references to it resolve as they will after the apply.
 */
export function liveAfterPlan(live: LiveState, plan: Plan): LiveState {
  let groups: AccessGroup[] = [...live.groups];
  let policies: ReusablePolicy[] = [...live.policies];
  let apps: AccessApp[] = [...live.apps];
  for (const c of plan.changes) {
    if (c.action === 'delete') {
      if (c.kind === 'group') groups = groups.filter((g) => g.id !== c.id);
      else if (c.kind === 'policy') policies = policies.filter((p) => p.id !== c.id);
      else apps = apps.filter((a) => a.id !== c.id);
      continue;
    }
    const id = c.action === 'update' ? c.id : refToWire({ kind: c.kind, name: c.name });
    if (c.kind === 'group') {
      const body = c.body as WireGroup;
      const next = { ...body, id } as unknown as AccessGroup;
      groups = [...groups.filter((g) => g.id !== id), next];
    } else if (c.kind === 'policy') {
      const body = c.body as WirePolicy;
      const next = { ...body, id, reusable: true } as unknown as ReusablePolicy;
      policies = [...policies.filter((p) => p.id !== id), next];
    } else if (c.zone) {
      // A zone-level app carries its policies (app-scoped): kept whole, as the API answers them.
      const body = c.body as WireApp;
      const own = (body.policies as unknown as Record<string, unknown>[]).map(
        (p) => ({ id: `$ref:policy:${c.name} / ${String(p.name)}`, ...p }) as unknown as AppPolicyRef,
      );
      const next = { ...body, id, policies: own } as unknown as AccessApp;
      apps = [...apps.filter((a) => a.id !== id), next];
    } else {
      const body = c.body as WireApp;
      const links: AppPolicyRef[] = body.policies.map(
        (l) => ({ id: l.id, precedence: l.precedence, reusable: true }) as unknown as AppPolicyRef,
      );
      const next = { ...body, id, policies: links } as unknown as AccessApp;
      apps = [...apps.filter((a) => a.id !== id), next];
    }
  }
  return { ...live, groups, policies, apps };
}

/** Display names of the account objects rules refer to by id. */
export function accountNames(live: LiveState): NameOf {
  const cache = new Map<RefKind, Map<string, string>>();
  return (kind, key) => {
    let byId = cache.get(kind);
    if (!byId) {
      byId = new Map(accountObjects(live, kind).map((o) => [o.id, o.name]));
      cache.set(kind, byId);
    }
    return byId.get(key);
  };
}

/** The access changes a plan makes: the live account against the account once the plan is applied. */
export function planAccessDiff(account: LiveState, plan: Plan): AccessDiff {
  const live = flattenZones(account);
  return accessDiff({
    before: liveDocument(live),
    after: liveDocument(liveAfterPlan(live, plan)),
    labels: { before: 'live', after: 'after apply' },
    names: accountNames(live),
  });
}
