import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/engine.js';
import { countValues } from '../../src/analysis/sizing.js';
import type { Formula } from '../../src/model/formula.js';
import {
  accessGroup,
  and,
  country,
  domain,
  email,
  emailList,
  group,
  ip,
  login,
  not,
  okta,
  or,
  risk,
  token,
} from './formulas.js';
import { lookup } from './harness.js';

/** A project-like set of conditions with many distinct values of each single-valued attribute. */
function manyValues(n: number): Formula[] {
  return Array.from({ length: n }, (_, i) =>
    and(
      or(email(`u${i}@x.com`), email(`lead-${i % 50}@x.com`), token(`ci-${i}`)),
      not(country(['US', 'DE', 'FR', 'JP', 'BR'][i % 5] as string)),
      ip(`198.51.${i % 256}.${i % 7}/32`),
      okta(`idp-${i % 3}`, 'eng'),
    ),
  );
}

describe('sizing the layout and the node store up front (sizeFor)', () => {
  it('counts the values each attribute needs, groups expanded once', () => {
    // `eng` is `email_domain("eng.example.com") or azure_group(corp, "g-eng")`.
    const sizes = countValues(
      [
        and(email('a@x.com'), email('b@x.com'), email('c@y.com'), group('eng'), group('eng')),
        token('t1'),
        login('okta'),
      ],
      lookup,
    );
    expect(sizes).toEqual({
      serviceTokens: 1,
      logins: 2,
      domains: 3,
      locals: 2,
      countries: 0,
      linkedApps: 0,
      commonNames: 0,
      atoms: 7,
    });
  });

  it('never widens the layout nor drops the manager for the formulas it was sized for', () => {
    const formulas = manyValues(2000);
    const sized = createAnalyzer({ groups: lookup, budget: { nodes: 20_000 }, sizeFor: formulas });
    const unsized = createAnalyzer({ groups: lookup, budget: { nodes: 20_000 } });
    for (const a of [sized, unsized]) {
      for (let i = 1; i < formulas.length; i++) {
        const r = a.implies(formulas[i] as Formula, or(formulas[i - 1] as Formula, formulas[i] as Formula));
        expect(r).toEqual({ result: true });
      }
    }
    expect(sized.stats().resets).toBe(0);
    // Without the hint, the same questions widen the layout and fill the 20,000-node store several times.
    expect(unsized.stats().resets).toBeGreaterThan(5);
    // The store held more than one question may add.
    expect(sized.stats().nodes).toBeGreaterThan(20_000);
  });

  it('still answers incomplete for one question that alone needs more nodes than the budget', () => {
    const as = Array.from({ length: 40 }, (_, i) => accessGroup(`a${i}`));
    const bs = Array.from({ length: 40 }, (_, i) => accessGroup(`b${i}`));
    const pathological = and(or(...as), or(...as.map((a, i) => and(a, bs[i] as Formula))));
    const analyzer = createAnalyzer({
      groups: lookup,
      budget: { nodes: 20_000 },
      sizeFor: [...manyValues(2000), pathological],
    });
    expect(analyzer.satisfiable(pathological)).toEqual({ result: 'incomplete', reason: 'node-budget' });
    expect(analyzer.satisfiable(country('US')).result).toBe(true);
  });

  const atoms = fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((i) => email(`u${i}@x.com`)),
    fc.integer({ min: 0, max: 3 }).map((i) => domain(`d${i}.com`)),
    fc.constantFrom('US', 'DE', 'FR', 'JP', 'AU').map(country),
    fc.integer({ min: 0, max: 20 }).map((i) => token(`t${i}`)),
    fc.integer({ min: 0, max: 3 }).map((i) => login(`idp${i}`)),
    fc.constantFrom('low', 'medium', 'high').map((l) => risk(l)),
    fc.integer({ min: 0, max: 255 }).map((i) => ip(`10.0.${i}.0/24`)),
    fc.constantFrom('a', 'b').map(emailList),
    fc.constant(group('eng')),
  );
  const formula = fc.letrec<{ f: Formula }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atoms,
      tie('f').map(not),
      fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((args) => and(...args)),
      fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((args) => or(...args)),
    ),
  })).f;

  it('gives the same answers and witnesses with and without it', () => {
    fc.assert(
      fc.property(fc.array(formula, { minLength: 2, maxLength: 12 }), (fs) => {
        const sized = createAnalyzer({ groups: lookup, sizeFor: fs });
        const plain = createAnalyzer({ groups: lookup });
        const ask = (a: ReturnType<typeof createAnalyzer>) =>
          fs.flatMap((f, i) => {
            const g = fs[(i + 1) % fs.length] as Formula;
            return [a.satisfiable(f), a.implies(f, g), a.disjoint(f, g), a.equivalent(f, g)];
          });
        // Witnesses are read after all questions, as a linter reads them when it reports.
        expect(JSON.parse(JSON.stringify(ask(sized)))).toEqual(JSON.parse(JSON.stringify(ask(plain))));
      }),
      { numRuns: 150 },
    );
  });
});
