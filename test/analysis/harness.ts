import { expect } from 'vitest';
import { type Analyzer, createAnalyzer } from '../../src/analysis/engine.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import type { Formula } from '../../src/model/formula.js';
import type { Identity } from '../../src/model/identity.js';
import { and, azure, country, domain, group, or } from './formulas.js';

export const GROUPS: Record<string, Formula> = {
  eng: or(domain('eng.example.com'), azure('corp', 'g-eng')),
  euEng: and(group('eng'), or(country('DE'), country('FR'))),
  loopA: or(group('loopB'), country('US')),
  loopB: group('loopA'),
};
export const lookup = (name: string): Formula | undefined => GROUPS[name];
export const holds = (f: Formula, id: Identity): boolean => evaluateFormula(f, id, lookup);

/** Each helper checks the answer and that its witness is decided as claimed by the evaluator. */
export function harness(analyzer: Analyzer = createAnalyzer({ groups: lookup })) {
  return {
    sat(f: Formula): Identity {
      const r = analyzer.satisfiable(f);
      if (r.result !== true) throw new Error(`expected satisfiable, got ${JSON.stringify(r)}`);
      expect(holds(f, r.witness)).toBe(true);
      return r.witness;
    },
    unsat(f: Formula): void {
      expect(analyzer.satisfiable(f)).toEqual({ result: false });
      expect(analyzer.witnessFor(f)).toBeUndefined();
    },
    implies(a: Formula, b: Formula): void {
      expect(analyzer.implies(a, b)).toEqual({ result: true });
    },
    notImplies(a: Formula, b: Formula): Identity {
      const r = analyzer.implies(a, b);
      if (r.result !== false) throw new Error(`expected a counterexample, got ${JSON.stringify(r)}`);
      expect(holds(a, r.witness)).toBe(true);
      expect(holds(b, r.witness)).toBe(false);
      return r.witness;
    },
    disjoint(a: Formula, b: Formula): void {
      expect(analyzer.disjoint(a, b)).toEqual({ result: true });
    },
    overlap(a: Formula, b: Formula): Identity {
      const r = analyzer.disjoint(a, b);
      if (r.result !== false) throw new Error(`expected an overlap, got ${JSON.stringify(r)}`);
      expect(holds(a, r.witness) && holds(b, r.witness)).toBe(true);
      return r.witness;
    },
  };
}
