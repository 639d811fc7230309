import { ownershipOf } from '../deploy/ledger.js';
import type { PlanRun } from '../deploy/workflow.js';
import type { CompiledProject } from '../model/compiled.js';
import { buildPlanView } from './build.js';
import { planSections } from './sections.js';

export { buildPlanView } from './build.js';
export { planSections } from './sections.js';
export type { ObjectRef, Orphan, PlanView } from './types.js';

/** Adds the reviewers' view to a plan made from the code (`plan.view`): names, grouping, the three sections. */
export function attachView(run: PlanRun, document: CompiledProject): void {
  const { plan, live, ledger } = run;
  const ownership = ownershipOf(ledger, plan.accountId, live);
  const sections = planSections({ plan, live, ledger, ownership });
  plan.view = buildPlanView({ plan, live, document, ...sections });
}

/** What `--detailed-exitcode` counts: changes, and orphans that still decide access unless told to ignore them. */
export function hasWork(
  plan: { changes: unknown[]; lists?: unknown[]; view?: { orphans: unknown[] } },
  ignoreOrphans: boolean,
): boolean {
  return (
    plan.changes.length > 0 ||
    (plan.lists?.length ?? 0) > 0 ||
    (!ignoreOrphans && (plan.view?.orphans.length ?? 0) > 0)
  );
}
