import type { Decision } from '../model/decision.js';
import { evaluatedFirst } from '../model/decision.js';

/** What Access decides for one request to one app. */
export interface AppDecision {
  /** The decision of the first matching policy; `none` when no policy matched (the request is denied). */
  decision: Decision | 'none';
  /** Name of the policy that decided. */
  policy?: string;
  /** Its precedence in the app. */
  precedence?: number;
}

/**
 * Access's order of execution: Bypass and Service Auth policies first, by precedence, then Allow and Block by
 * precedence; ties (which the API rejects) keep list order.
 */
export function executionOrder<T extends { decision: Decision; precedence: number }>(
  entries: readonly T[],
): T[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort(
      (a, b) =>
        Number(evaluatedFirst(b.e.decision)) - Number(evaluatedFirst(a.e.decision)) ||
        a.e.precedence - b.e.precedence ||
        a.i - b.i,
    )
    .map(({ e }) => e);
}
