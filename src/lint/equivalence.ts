import type { Formula } from '../model/formula.js';
import type { RuleContext } from './rule.js';

/**
 * Partition `items` into classes of equivalent conditions (only classes of two or more are returned, in input
 * order). Exact and linear: the engine gives equivalent conditions the same canonical BDD, so items are grouped
 * by it and no pair is ever compared.
 */
export function equivalenceClasses<T>(
  ctx: RuleContext<unknown>,
  items: readonly T[],
  formulaOf: (item: T) => Formula,
  onIncomplete: (item: T) => void,
): T[][] {
  const { classes, incomplete } = ctx.analyzer().equivalenceClasses(items.map(formulaOf));
  for (const i of incomplete) onIncomplete(items[i] as T);
  return classes.filter((c) => c.length > 1).map((c) => c.map((i) => items[i] as T));
}
