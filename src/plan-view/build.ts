import type { AccessApp } from '../api/types.js';
import { flattenZones, type LiveState } from '../deploy/live.js';
import type { Change, Plan } from '../deploy/plan.js';
import { groupRefs, linkIds } from '../deploy/refs.js';
import type { CompiledProject } from '../model/compiled.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';
import { ConditionPrinter, type RuleLists } from './conditions.js';
import type { AppView, ChangeView, ObjectRef, Orphan, PlanView } from './types.js';
import { appsUsing } from './usage.js';

const LISTS = ['include', 'exclude', 'require'] as const;

/** What the view needs beyond the plan and the account; `sections.ts` computes the three sections. */
export interface ViewInput {
  plan: Plan;
  live: LiveState;
  /** The compiled code the plan was made from: which app uses which policy and group, by name. */
  document: CompiledProject;
  drift?: ObjectRef[];
  adopt?: ObjectRef[];
  orphans?: Orphan[];
}

type Links = readonly { id: string; precedence: number }[];

/** Turns a plan into what reviewers read: conditions with names, changes grouped by the apps they concern. Pure. */
export function buildPlanView(input: ViewInput): PlanView {
  const { plan, document } = input;
  // Zone-level groups and apps are looked up (and named) like the account's: their ids are unique.
  const live = flattenZones(input.live);
  const synthesized = plan.changes
    .filter((c) => c.action === 'create' && c.kind === 'group')
    .map((c) => ({ name: c.name, body: (c as { body: RuleLists }).body }));
  const printer = new ConditionPrinter(live, synthesized);
  const policyName = new Map(live.policies.map((p) => [p.id, p.name]));
  const linkText = (links: Links): string[] =>
    [...links]
      .sort((a, b) => a.precedence - b.precedence)
      .map((l) => {
        const name = isPlaceholder(l.id) ? refFromWire('policy', l.id).name : policyName.get(l.id);
        return `${l.precedence}: ${name !== undefined ? JSON.stringify(name) : `id("${l.id}")`}`;
      });

  const changes: Record<string, ChangeView> = {};
  for (const c of plan.changes) changes[c.key] = changeView(c, live, printer, linkText);

  const usage = usageOf(document, live);
  const appsOf = (c: Change): string[] => {
    if (c.kind === 'app') return [c.name];
    const byName = c.action === 'delete' ? [] : (usage.byName.get(`${c.kind}:${c.name}`) ?? []);
    const byId = c.action === 'create' ? [] : (usage.byId.get(c.id) ?? []);
    return [...new Set([...byName, ...byId])].sort();
  };
  const order = [
    ...document.apps.map((a) => a.name),
    ...plan.changes.filter((c) => c.kind === 'app' && c.action === 'delete').map((c) => c.name),
  ];
  const apps = new Map<string, AppView>();
  const app = (name: string): AppView => {
    let v = apps.get(name);
    if (!v) {
      v = { name, keys: [], shared: [] };
      apps.set(name, v);
    }
    return v;
  };
  const shared: PlanView['shared'] = [];
  const unused: string[] = [];
  for (const c of plan.changes) {
    const names = appsOf(c);
    if (names.length === 0) unused.push(c.key);
    else if (names.length === 1) app(names[0] as string).keys.push(c.key);
    else {
      shared.push({ key: c.key, apps: names });
      for (const n of names) app(n).shared.push(c.key);
    }
  }
  const rank = new Map(order.map((n, i) => [n, i]));
  return {
    changes,
    apps: [...apps.values()].sort(
      (a, b) => (rank.get(a.name) ?? order.length) - (rank.get(b.name) ?? order.length),
    ),
    shared,
    unused,
    drift: input.drift ?? [],
    adopt: input.adopt ?? [],
    orphans: input.orphans ?? [],
  };
}

function changeView(
  c: Change,
  live: LiveState,
  printer: ConditionPrinter,
  linkText: (links: Links) => string[],
): ChangeView {
  const view: ChangeView = {};
  if (c.kind === 'app' && c.zone) {
    // A zone-level app's policies are its own (app-scoped): shown with their conditions.
    const text = (ps: readonly Record<string, unknown>[]): string[] =>
      [...ps]
        .sort((a, b) => Number(a.precedence) - Number(b.precedence))
        .map(
          (p) =>
            `${Number(p.precedence)}: ${JSON.stringify(p.name)} ${String(p.decision)} if ${printer.condition(p as RuleLists)}`,
        );
    const current = c.action === 'create' ? undefined : live.apps.find((a) => a.id === c.id);
    const before = current ? text(current.policies ?? []) : undefined;
    const after =
      c.action === 'delete'
        ? undefined
        : text(((c.body as { policies?: unknown }).policies ?? []) as Record<string, unknown>[]);
    if (before || after) view.links = { ...(before ? { before } : {}), ...(after ? { after } : {}) };
    view.inline = true;
    return view;
  }
  if (c.kind === 'app') {
    const current = c.action === 'create' ? undefined : live.apps.find((a) => a.id === c.id);
    const before = current ? linkText(appLinks(current)) : undefined;
    const after =
      c.action === 'delete' ? undefined : linkText((c.body as { policies: Links }).policies ?? []);
    if (before || after) view.links = { ...(before ? { before } : {}), ...(after ? { after } : {}) };
    return view;
  }
  const current: RuleLists | undefined =
    c.action === 'create'
      ? undefined
      : c.kind === 'group'
        ? live.groups.find((g) => g.id === c.id)
        : live.policies.find((p) => p.id === c.id);
  const body = c.action === 'delete' ? undefined : (c.body as RuleLists & { decision?: string });
  view.condition = {
    ...(current ? { before: printer.condition(current) } : {}),
    ...(body ? { after: printer.condition(body) } : {}),
  };
  const decision = body?.decision ?? (current as { decision?: string } | undefined)?.decision;
  if (c.kind === 'policy' && decision !== undefined) view.decision = decision;
  if (c.action === 'update') {
    const rules = c.diff
      .filter((f) => (LISTS as readonly string[]).includes(f.field))
      .map((f) => ({
        list: f.field as (typeof LISTS)[number],
        added: (f.added ?? []).map((r) => printer.rule(r)),
        removed: (f.removed ?? []).map((r) => printer.rule(r)),
      }));
    if (rules.length > 0) view.rules = rules;
  }
  return view;
}

function appLinks(app: AccessApp): Links {
  return (app.policies ?? []).map((p) => ({ id: p.id, precedence: Number(p.precedence) }));
}

/**
 * Which apps use each policy and group: in the code by name (`policy:<name>`, `group:<name>`, groups through
 * groups), in the account by id.
 */
function usageOf(
  document: CompiledProject,
  live: LiveState,
): { byName: Map<string, string[]>; byId: Map<string, string[]> } {
  const groups = new Map(document.groups.map((g) => [`group:${g.name}`, g]));
  const policies = new Map(document.policies.map((p) => [`policy:${p.name}`, p]));
  const byName = appsUsing({
    apps: document.apps.map((a) => ({
      name: a.name,
      policies: linkIds(a)
        .filter(isPlaceholder)
        .map((id) => `policy:${refFromWire('policy', id).name}`),
    })),
    policyGroups: (key) => groupRefs(policies.get(key) ?? {}).map((n) => `group:${n}`),
    groupGroups: (key) => groupRefs(groups.get(key) ?? {}).map((n) => `group:${n}`),
  });
  const liveGroups = new Map(live.groups.map((g) => [g.id, g]));
  const livePolicies = new Map<string, RuleLists>(live.policies.map((p) => [p.id, p]));
  // Legacy app-scoped policies carry their rules in the app's own list.
  for (const a of live.apps)
    for (const l of a.policies ?? []) if (!livePolicies.has(l.id)) livePolicies.set(l.id, l as RuleLists);
  const byId = appsUsing({
    apps: live.apps.map((a) => ({ name: a.name, policies: (a.policies ?? []).map((l) => l.id) })),
    policyGroups: (id) => groupRefs(livePolicies.get(id) ?? {}, true),
    groupGroups: (id) => groupRefs(liveGroups.get(id) ?? {}, true),
  });
  return { byName, byId };
}
