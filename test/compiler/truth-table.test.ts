import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { evaluateCompiledPolicy } from '../../src/eval/compiled.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import type { Formula } from '../../src/model/formula.js';
import type { Identity } from '../../src/model/identity.js';
import * as h from './helpers.js';

// Three atoms that read independent attributes, so all 8 assignments are realisable.
const A = h.mfa('mfa');
const B = h.country('US');
const C = h.certificate;
const identityFor = (bits: number): Identity => ({
  authMethods: bits & 1 ? ['mfa'] : ['pwd'],
  country: bits & 2 ? 'US' : 'DE',
  certificate: (bits & 4) !== 0,
});
const ASSIGNMENTS = [0, 1, 2, 3, 4, 5, 6, 7].map(identityFor);

/** Every formula with exactly `size` nodes over A, B, C, true, false, `not` and binary `and` / `or`. */
function formulasOfSize(size: number, memo: Map<number, Formula[]>): Formula[] {
  const cached = memo.get(size);
  if (cached) return cached;
  const out: Formula[] = [];
  if (size === 1) out.push(A, B, C, h.T, h.F);
  else {
    for (const f of formulasOfSize(size - 1, memo)) out.push(h.not(f));
    for (let left = 1; left < size - 1; left++)
      for (const l of formulasOfSize(left, memo))
        for (const r of formulasOfSize(size - 1 - left, memo)) out.push(h.and(l, r), h.or(l, r));
  }
  memo.set(size, out);
  return out;
}

const truthTable = (decide: (identity: Identity) => boolean): string =>
  ASSIGNMENTS.map((id) => (decide(id) ? '1' : '0')).join('');

describe('exhaustive truth tables over three atoms', () => {
  it('every formula of up to 6 nodes compiles to JSON with the same truth table', () => {
    const memo = new Map<number, Formula[]>();
    let checked = 0;
    for (let size = 1; size <= 6; size++) {
      for (const formula of formulasOfSize(size, memo)) {
        const { value, diagnostics } = compileProject(h.single(formula));
        const policy = value.document.policies[0];
        if (diagnostics.length > 0 || !policy) throw new Error(`no policy for ${JSON.stringify(formula)}`);
        const expected = truthTable((id) => evaluateFormula(formula, id, () => undefined));
        const actual = truthTable((id) => evaluateCompiledPolicy(value.document, policy, id));
        if (actual !== expected) expect({ formula, actual }).toEqual({ formula, actual: expected });
        checked++;
      }
    }
    expect(checked).toBe(5 + 5 + 55 + 155 + 1305 + 5505);
  });

  it('whenever a flat include/require/exclude form exists, no group is synthesized', () => {
    // Every flat form over A, B, C: each atom is unused, included, required or excluded (no include = everyone).
    const atoms = [A, B, C];
    const flat = new Set<string>();
    for (let roles = 0; roles < 64; roles++) {
      const role = (i: number) => (roles >> (2 * i)) & 3; // 0 unused, 1 include, 2 require, 3 exclude
      const pick = (r: number) => atoms.filter((_, i) => role(i) === r);
      const include = pick(1);
      const formula = h.and(include.length > 0 ? h.or(...include) : h.T, ...pick(2), ...pick(3).map(h.not));
      flat.add(truthTable((id) => evaluateFormula(formula, id, () => undefined)));
    }
    flat.add('00000000'); // include everyone, exclude everyone
    expect(flat.size).toBe(38);

    const memo = new Map<number, Formula[]>();
    const offenders: Formula[] = [];
    let flatCount = 0;
    for (let size = 1; size <= 6; size++) {
      for (const formula of formulasOfSize(size, memo)) {
        if (!flat.has(truthTable((id) => evaluateFormula(formula, id, () => undefined)))) continue;
        flatCount++;
        if (compileProject(h.single(formula)).value.synthesized.length > 0) offenders.push(formula);
      }
    }
    expect(flatCount).toBeGreaterThan(5000);
    expect(offenders).toEqual([]);
  });
});
