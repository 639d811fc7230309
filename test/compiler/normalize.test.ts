import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeStore, normalize } from '../../src/compiler/normalize.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import type { Formula } from '../../src/model/formula.js';
import { formulaArb, identityArb } from './arbitraries.js';
import { and, certificate, country, email, everyone, F, group, mfa, not, or, T } from './helpers.js';

const a = email('a@example.com');
const b = country('US');
const c = mfa();
const d = certificate;

/** Whether `not` appears only directly on atoms and group references, and no junction has a junction of its kind. */
function isNormal(f: Formula, parent?: 'and' | 'or'): boolean {
  switch (f.op) {
    case 'const':
      return parent === undefined;
    case 'atom':
      return f.atom.sel !== 'everyone';
    case 'group':
      return true;
    case 'not':
      return f.arg.op === 'atom' || f.arg.op === 'group';
    case 'and':
    case 'or':
      return f.op !== parent && f.args.length >= 2 && f.args.every((x) => isNormal(x, f.op as 'and' | 'or'));
  }
}

describe('normalize', () => {
  const cases: [string, Formula, Formula][] = [
    ['pushes negation inward', not(and(a, or(b, not(c)))), or(not(a), and(not(b), c))],
    ['flattens', and(a, and(b, and(c, d))), and(a, b, c, d)],
    ['removes duplicates, keeping first occurrence', or(b, a, email('a@example.com'), b), or(b, a)],
    ['folds constants', and(a, T, or(F, b)), and(a, b)],
    ['treats `everyone` as true', or(a, everyone), T],
    ['finds contradictions', and(a, b, not(a)), F],
    ['finds tautologies', or(not(group('g')), a, group('g')), T],
    ['absorbs', and(a, or(a, b), c), and(a, c)],
    ['absorbs supersets', and(or(a, b), or(a, b, c), d), and(or(a, b), d)],
    ['factors shared conjuncts', or(and(a, b), and(c, a)), and(a, or(b, c))],
    ['propagates units', and(a, or(not(a), b)), and(a, b)],
    ['propagates units in disjunctions', or(a, and(not(a), b)), or(a, b)],
    ['cancels complementary disjuncts', or(and(a, b), and(a, not(b))), a],
  ];
  for (const [title, input, expected] of cases) it(title, () => expect(normalize(input)).toEqual(expected));

  it('is equivalent, normal and idempotent for random formulas', () => {
    fc.assert(
      fc.property(
        formulaArb(['g0', 'g1']),
        fc.array(identityArb, { minLength: 30, maxLength: 30 }),
        (f, ids) => {
          const groups = (name: string): Formula | undefined =>
            name === 'g0' ? or(a, c) : name === 'g1' ? not(b) : undefined;
          const n = normalize(f);
          expect(isNormal(n)).toBe(true);
          expect(normalize(n)).toEqual(n);
          for (const id of ids) expect(evaluateFormula(n, id, groups)).toBe(evaluateFormula(f, id, groups));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives argument-order independent keys', () => {
    const store = new NodeStore();
    const one = store.fromFormula(and(or(a, b), not(c), or(d, and(a, c))));
    const two = store.fromFormula(and(not(c), or(and(c, a), d), or(b, a)));
    expect(two.key).toBe(one.key);
    expect(store.canonical(two)).toEqual(store.canonical(one));
  });

  it('handles nesting far deeper than the call stack allows for naive recursion', () => {
    let chain: Formula = a;
    for (let i = 0; i < 20_001; i++) chain = not(chain);
    expect(normalize(chain)).toEqual(not(a));
    let nested: Formula = a;
    for (let i = 0; i < 20_000; i++)
      nested = i % 2 ? and(nested, email(`u${i}@example.com`)) : and(email(`u${i}@example.com`), nested);
    const out = normalize(nested);
    expect(out.op === 'and' && out.args.length).toBe(20_001);
  });
});
