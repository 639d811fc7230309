import { evaluateFormula } from '../eval/formula.js';
import { projectGroups } from '../eval/source.js';
import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { RuleContext } from './rule.js';
import { policySat } from './semantics.js';

/** How many witnesses make up the fingerprint of a condition. */
const SAMPLES = 24;

/**
 * Partition `items` into classes of equivalent conditions (only classes of two or more are returned, in input
 * order). Exact: two items are put together only when the engine proves their conditions equivalent. To stay far
 * from quadratic on large projects, items are first bucketed by a fingerprint — their value on a few sample
 * identities (witnesses of the items themselves) — which equivalent conditions always share.
 */
export function equivalenceClasses<T>(
  ctx: RuleContext<unknown>,
  items: readonly T[],
  formulaOf: (item: T) => Formula,
  onIncomplete: (item: T) => void,
): T[][] {
  const groups = projectGroups(ctx.project);
  const samples: Identity[] = [{}];
  for (const item of items) {
    if (samples.length >= SAMPLES) break;
    const sat = policySat(ctx, formulaOf(item));
    if (sat.result === true) samples.push(sat.witness);
  }
  const buckets = new Map<string, T[]>();
  for (const item of items) {
    const f = formulaOf(item);
    const key = samples.map((s) => (evaluateFormula(f, s, groups) ? '1' : '0')).join('');
    buckets.set(key, [...(buckets.get(key) ?? []), item]);
  }
  const classes: T[][] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length < 2) continue;
    const local: T[][] = [];
    for (const item of bucket) {
      let placed = false;
      for (const cls of local) {
        const r = ctx.analyzer().equivalent(formulaOf(cls[0] as T), formulaOf(item));
        if (r.result === 'incomplete') onIncomplete(item);
        if (r.result === true) {
          cls.push(item);
          placed = true;
          break;
        }
      }
      if (!placed) local.push([item]);
    }
    classes.push(...local.filter((c) => c.length > 1));
  }
  const position = new Map(items.map((item, i) => [item, i]));
  return classes.sort((a, b) => (position.get(a[0] as T) ?? 0) - (position.get(b[0] as T) ?? 0));
}
