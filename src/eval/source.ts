import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { PolicyDef, Project } from '../model/project.js';
import { evaluateFormula, type GroupLookup } from './formula.js';
import { type AppDecision, executionOrder } from './order.js';

export type { AppDecision } from './order.js';

/**
 * Group lookup for a project: a code-defined group expands to its formula; an extern group is the account group
 * of that name (a member when `identity.accessGroups` lists it), exactly as the compiled `group` rule behaves.
 */
export function projectGroups(project: Project): GroupLookup {
  return (name) => {
    const def = project.groups.get(name);
    if (def?.formula !== undefined && !def.extern) return def.formula;
    const extern: Formula = { op: 'atom', atom: { sel: 'group', args: { id: { kind: 'group', name } } } };
    return extern;
  };
}

/** Whether a policy of the project matches an identity (the language's meaning of its condition). */
export function evaluatePolicy(project: Project, policy: PolicyDef, identity: Identity): boolean {
  return evaluateFormula(policy.formula, identity, projectGroups(project));
}

/**
 * What Access would decide for `identity` on app `appName`, from the source: Bypass and Service Auth policies
 * first by precedence, then Allow and Block by precedence; the first match decides. An unknown app decides `none`.
 */
export function evaluateApp(project: Project, appName: string, identity: Identity): AppDecision {
  const app = project.apps.find((a) => a.name === appName);
  if (!app) return { decision: 'none' };
  const groups = projectGroups(project);
  const entries = app.policies.flatMap((e) => {
    const def = project.policies.get(e.policy);
    return def ? [{ def, decision: def.decision, precedence: e.precedence }] : [];
  });
  for (const entry of executionOrder(entries)) {
    if (evaluateFormula(entry.def.formula, identity, groups))
      return { decision: entry.decision, policy: entry.def.name, precedence: entry.precedence };
  }
  return { decision: 'none' };
}
