/** The vocabulary shared by the BDD manager (`bdd.ts`) and its read-only searches (`bdd-paths.ts`). */

export const BDD_FALSE = 0;
export const BDD_TRUE = 1;

/** The variable reported for the terminals: after every real variable in the order. */
export const TERMINAL_VAR = 0x7fffffff;

/** Thrown by a `Bdd` operation that would exceed the manager's node or step budget. */
export class BddBudgetExceeded extends Error {
  /**
   * `kind` 'nodes': `full` when the manager holds as many nodes as it may (a fresh one could go on), else the work
   * since `resetSteps` added as many as it may.
   */
  constructor(
    readonly kind: 'nodes' | 'steps',
    readonly full = kind === 'nodes',
  ) {
    super(`bdd ${kind} budget exceeded`);
    this.name = 'BddBudgetExceeded';
  }
}

/**
 * A path from the root to TRUE as packed literals, root first: `2 * variable + (value ? 1 : 0)`. Only the
 * variables the path tests appear; every completion of the others satisfies the function.
 */
export type Path = number[];

export const literalVar = (literal: number): number => literal >>> 1;
export const literalValue = (literal: number): boolean => (literal & 1) === 1;

/** Runs `work`, turning a budget error into `{ ok: false }`; any other error propagates. */
export function guard<T>(
  work: () => T,
): { ok: true; value: T } | { ok: false; kind: BddBudgetExceeded['kind'] } {
  try {
    return { ok: true, value: work() };
  } catch (e) {
    if (e instanceof BddBudgetExceeded) return { ok: false, kind: e.kind };
    throw e;
  }
}
