import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { atomMatches } from '../selectors/table.js';

/** Resolves a code-defined group name to its formula (undefined for an unknown or extern group). */
export type GroupLookup = (name: string) => Formula | undefined;

/**
 * The language's meaning of a condition for one identity. Groups defined in code are expanded through `groups`.
 * INVARIANT: the resolver has rejected group cycles, so expansion terminates.
 */
export function evaluateFormula(formula: Formula, identity: Identity, groups: GroupLookup): boolean {
  switch (formula.op) {
    case 'const':
      return formula.value;
    case 'atom':
      return atomMatches(formula.atom, identity);
    case 'group': {
      const body = groups(formula.name);
      return body ? evaluateFormula(body, identity, groups) : false;
    }
    case 'not':
      return !evaluateFormula(formula.arg, identity, groups);
    case 'and':
      return formula.args.every((f) => evaluateFormula(f, identity, groups));
    case 'or':
      return formula.args.some((f) => evaluateFormula(f, identity, groups));
  }
}
