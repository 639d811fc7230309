import { evaluateFormula, type GroupLookup } from '../eval/formula.js';
import { DECISION_DISPLAY, type Decision, evaluatedFirst } from '../model/decision.js';
import type { Identity } from '../model/identity.js';
import type { AppDef, AppPolicyEntry, PolicyDef, Project } from '../model/project.js';

/** One policy of an app, with where the file puts it and where Access evaluates it. */
export interface OrderedPolicy {
  entry: AppPolicyEntry;
  policy: PolicyDef;
  /** 0-based position in the order the file states (by precedence, explicit or by appearance). */
  stated: number;
  /** 0-based position in the order Access evaluates (bypass and service_auth first, each part by precedence). */
  evaluated: number;
}

/** An app's policies in Access's evaluation order. */
export interface AppOrder {
  app: AppDef;
  /** Sorted by `evaluated`. */
  policies: OrderedPolicy[];
}

/**
 * The order Access evaluates an app's policies in: Bypass and Service Auth first, then Allow and Block, each by
 * precedence; the first policy that matches decides. Entries naming unknown policies are skipped.
 */
export function appOrder(app: AppDef, project: Project): AppOrder {
  const stated: { entry: AppPolicyEntry; index: number; policy: PolicyDef }[] = [];
  let sorted = true;
  app.policies.forEach((entry, index) => {
    const policy = project.policies.get(entry.policy);
    if (!policy) return;
    const last = stated[stated.length - 1];
    if (last && last.entry.precedence > entry.precedence) sorted = false;
    stated.push({ entry, index, policy });
  });
  // Entries are usually written in precedence order already (it is their position unless stated otherwise).
  if (!sorted) stated.sort((a, b) => a.entry.precedence - b.entry.precedence || a.index - b.index);
  const first: OrderedPolicy[] = [];
  const rest: OrderedPolicy[] = [];
  stated.forEach((p, i) => {
    const ordered = { entry: p.entry, policy: p.policy, stated: i, evaluated: 0 };
    (evaluatedFirst(p.policy.decision) ? first : rest).push(ordered);
  });
  const evaluation = first.concat(rest);
  evaluation.forEach((p, i) => {
    p.evaluated = i;
  });
  return { app, policies: evaluation };
}

export function appOrders(project: Project): AppOrder[] {
  return project.apps.map((app) => appOrder(app, project));
}

/** "`Engineers` (precedence 1)": how messages name a policy of an app. */
export function policyLabel(p: OrderedPolicy): string {
  return `\`${p.policy.displayName}\` (precedence ${p.entry.precedence})`;
}

/** The decision keyword as the language writes it. */
export function decisionWord(p: OrderedPolicy): string {
  return DECISION_DISPLAY[p.policy.decision];
}

const VERBS: Readonly<Record<Decision, string>> = {
  allow: 'allowed',
  deny: 'denied',
  bypass: 'let through without signing in',
  non_identity: 'let in as a service',
};

/** What happens to a request a policy decides: "allowed", "denied", … */
export function decidedVerb(decision: Decision): string {
  return VERBS[decision];
}

/** The first policy, in evaluation order, whose condition matches `identity` (what the evaluator decides). */
export function decidingPolicy(
  order: AppOrder,
  identity: Identity,
  groups: GroupLookup,
  before = order.policies.length,
): OrderedPolicy | undefined {
  for (const p of order.policies.slice(0, before))
    if (evaluateFormula(p.policy.formula, identity, groups)) return p;
  return undefined;
}
