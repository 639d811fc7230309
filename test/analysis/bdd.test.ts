import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BDD_FALSE,
  BDD_TRUE,
  Bdd,
  BddBudgetExceeded,
  guard,
  literalValue,
  literalVar,
  TERMINAL_VAR,
} from '../../src/analysis/bdd.js';

type Expr =
  | { k: 'var'; v: number }
  | { k: 'const'; value: boolean }
  | { k: 'not'; a: Expr }
  | { k: 'and' | 'or' | 'xor'; a: Expr; b: Expr }
  | { k: 'ite'; a: Expr; b: Expr; c: Expr };

const NVARS = 6;

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: NVARS - 1 }).map((v): Expr => ({ k: 'var', v })),
    fc.boolean().map((value): Expr => ({ k: 'const', value })),
    tie('expr').map((a): Expr => ({ k: 'not', a })),
    fc
      .tuple(fc.constantFrom('and' as const, 'or' as const, 'xor' as const), tie('expr'), tie('expr'))
      .map(([k, a, b]): Expr => ({ k, a, b })),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]): Expr => ({ k: 'ite', a, b, c })),
  ),
})).expr;

function evalExpr(e: Expr, bits: number): boolean {
  switch (e.k) {
    case 'var':
      return ((bits >> e.v) & 1) === 1;
    case 'const':
      return e.value;
    case 'not':
      return !evalExpr(e.a, bits);
    case 'and':
      return evalExpr(e.a, bits) && evalExpr(e.b, bits);
    case 'or':
      return evalExpr(e.a, bits) || evalExpr(e.b, bits);
    case 'xor':
      return evalExpr(e.a, bits) !== evalExpr(e.b, bits);
    case 'ite':
      return evalExpr(e.a, bits) ? evalExpr(e.b, bits) : evalExpr(e.c, bits);
  }
}

function build(bdd: Bdd, e: Expr): number {
  switch (e.k) {
    case 'var':
      return bdd.variable(e.v);
    case 'const':
      return e.value ? BDD_TRUE : BDD_FALSE;
    case 'not':
      return bdd.not(build(bdd, e.a));
    case 'and':
      return bdd.and(build(bdd, e.a), build(bdd, e.b));
    case 'or':
      return bdd.or(build(bdd, e.a), build(bdd, e.b));
    case 'xor':
      return bdd.xor(build(bdd, e.a), build(bdd, e.b));
    case 'ite':
      return bdd.ite(build(bdd, e.a), build(bdd, e.b), build(bdd, e.c));
  }
}

/** The BDD of a truth table, built from its minterms (a different construction than `build`). */
function fromTable(bdd: Bdd, table: boolean[]): number {
  const minterms: number[] = [];
  table.forEach((on, bits) => {
    if (!on) return;
    let m = BDD_TRUE;
    for (let v = 0; v < NVARS; v++) m = bdd.and(m, (bits >> v) & 1 ? bdd.variable(v) : bdd.notVariable(v));
    minterms.push(m);
  });
  return bdd.orAll(minterms);
}

const table = (e: Expr): boolean[] => Array.from({ length: 1 << NVARS }, (_, bits) => evalExpr(e, bits));
const assignment = (bits: number) => (v: number) => ((bits >> v) & 1) === 1;

function checkStructure(bdd: Bdd, root: number): void {
  const seen = new Set<string>();
  const stack = [root];
  const visited = new Set<number>();
  while (stack.length > 0) {
    const n = stack.pop() as number;
    if (n <= BDD_TRUE || visited.has(n)) continue;
    visited.add(n);
    const lo = bdd.lowOf(n);
    const hi = bdd.highOf(n);
    expect(lo).not.toBe(hi);
    expect(bdd.varOf(n)).toBeLessThan(bdd.varOf(lo));
    expect(bdd.varOf(n)).toBeLessThan(bdd.varOf(hi));
    const k = `${bdd.varOf(n)}:${lo}:${hi}`;
    expect(seen.has(k)).toBe(false);
    seen.add(k);
    stack.push(lo, hi);
  }
}

describe('Bdd basics', () => {
  it('has two terminals after every variable', () => {
    const bdd = new Bdd();
    expect(bdd.nodeCount).toBe(2);
    expect(bdd.varOf(BDD_TRUE)).toBe(TERMINAL_VAR);
    expect(bdd.not(BDD_TRUE)).toBe(BDD_FALSE);
    expect(bdd.not(BDD_FALSE)).toBe(BDD_TRUE);
  });

  it('hash-conses nodes: equal functions are equal ids', () => {
    const bdd = new Bdd();
    const [x, y, z] = [bdd.variable(0), bdd.variable(1), bdd.variable(2)];
    expect(bdd.variable(0)).toBe(x);
    expect(bdd.not(bdd.not(x))).toBe(x);
    expect(bdd.or(bdd.and(x, y), bdd.and(x, z))).toBe(bdd.and(x, bdd.or(y, z)));
    expect(bdd.not(bdd.and(x, y))).toBe(bdd.or(bdd.not(x), bdd.not(y)));
    expect(bdd.xor(x, x)).toBe(BDD_FALSE);
    expect(bdd.or(x, bdd.not(x))).toBe(BDD_TRUE);
    expect(bdd.implies(bdd.and(x, y), x)).toBe(BDD_TRUE);
    expect(bdd.ite(x, y, z)).toBe(bdd.or(bdd.and(x, y), bdd.and(bdd.not(x), z)));
  });

  it('rejects an out-of-order node', () => {
    const bdd = new Bdd();
    const x1 = bdd.variable(1);
    expect(() => bdd.node(2, x1, BDD_TRUE)).toThrow(RangeError);
    expect(bdd.node(0, x1, BDD_TRUE)).toBe(bdd.or(bdd.variable(0), x1));
  });

  it('answers conjunction questions without building, with a witness path', () => {
    const bdd = new Bdd();
    const [x, y] = [bdd.variable(0), bdd.variable(1)];
    expect(bdd.andSat(x, bdd.not(x))).toBe(false);
    expect(bdd.andNotSat(bdd.and(x, y), x)).toBe(false);
    expect(bdd.andNotSat(x, bdd.and(x, y))).toBe(true);
    const path = bdd.andNotPath(x, bdd.and(x, y)) ?? [];
    expect(path.map((l) => [literalVar(l), literalValue(l)])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(bdd.satPath(BDD_FALSE)).toBeUndefined();
    expect(bdd.satPath(BDD_TRUE)).toEqual([]);
    expect(bdd.support(bdd.or(x, bdd.variable(5)))).toEqual([0, 5]);
    expect(bdd.satCount(bdd.or(x, y), 3)).toBe(6);
  });
});

describe('Bdd against truth tables (property)', () => {
  it('computes every operation exactly and canonically', () => {
    const bdd = new Bdd();
    fc.assert(
      fc.property(exprArb, exprArb, (e1, e2) => {
        const u = build(bdd, e1);
        const v = build(bdd, e2);
        const t1 = table(e1);
        const t2 = table(e2);
        checkStructure(bdd, u);
        for (let bits = 0; bits < 1 << NVARS; bits++)
          expect(bdd.evaluate(u, assignment(bits))).toBe(t1[bits]);
        // canonical: a different construction of the same function gives the same node
        expect(fromTable(bdd, t1)).toBe(u);
        expect(u === v).toBe(t1.every((b, i) => b === t2[i]));
        expect(bdd.satCount(u, NVARS)).toBe(t1.filter(Boolean).length);
        const both = t1.some((b, i) => b && t2[i]);
        const onlyFirst = t1.some((b, i) => b && !t2[i]);
        expect(bdd.andSat(u, v)).toBe(both);
        expect(bdd.andNotSat(u, v)).toBe(onlyFirst);
        expect(bdd.and(u, v) !== BDD_FALSE).toBe(both);
        expect(bdd.andNot(u, v)).toBe(bdd.and(u, bdd.not(v)));
        for (const [path, expected, check] of [
          [bdd.andPath(u, v), both, (b: number) => (t1[b] as boolean) && (t2[b] as boolean)],
          [bdd.andNotPath(u, v), onlyFirst, (b: number) => (t1[b] as boolean) && !t2[b]],
        ] as const) {
          expect(path !== undefined).toBe(expected);
          if (path) {
            let bits = 0;
            for (const l of path) if (literalValue(l)) bits |= 1 << literalVar(l);
            expect(check(bits)).toBe(true);
          }
        }
        // the fewest-ones path: as few true variables as any satisfying assignment
        const popcount = (b: number): number => (b === 0 ? 0 : (b & 1) + popcount(b >> 1));
        for (const [negate, check] of [
          [false, (b: number) => (t1[b] as boolean) && (t2[b] as boolean)],
          [true, (b: number) => (t1[b] as boolean) && !t2[b]],
        ] as const) {
          const best = bdd.minOnesPath(u, v, negate);
          const sats = Array.from({ length: 1 << NVARS }, (_, b) => b).filter(check);
          expect(best !== undefined).toBe(sats.length > 0);
          if (best) {
            let bits = 0;
            for (const l of best) if (literalValue(l)) bits |= 1 << literalVar(l);
            expect(check(bits)).toBe(true);
            expect(popcount(bits)).toBe(Math.min(...sats.map(popcount)));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Bdd budgets', () => {
  /** (x0 ∧ y0) ∨ … ∨ (x(n-1) ∧ y(n-1)) with every x before every y: 2^n nodes. */
  const badOrder = (bdd: Bdd, n: number): number => {
    let r = BDD_FALSE;
    for (let i = 0; i < n; i++) r = bdd.or(r, bdd.and(bdd.variable(i), bdd.variable(n + i)));
    return r;
  };

  it('stops at the node budget and stays usable', () => {
    const bdd = new Bdd({ maxNodes: 5000 });
    const x = bdd.and(bdd.variable(0), bdd.variable(1));
    const started = Date.now();
    const r = guard(() => badOrder(bdd, 30));
    expect(r).toEqual({ ok: false, kind: 'nodes' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(bdd.nodeCount).toBeLessThanOrEqual(5000);
    expect(bdd.evaluate(x, () => true)).toBe(true);
    expect(guard(() => badOrder(new Bdd(), 6)).ok).toBe(true);
  });

  it('gives up on a fewest-ones path past its own step limit, without throwing', () => {
    const bdd = new Bdd();
    const f = badOrder(bdd, 12);
    expect(bdd.minOnesPath(f, BDD_TRUE, false, 10)).toBeUndefined();
    expect(bdd.minOnesPath(f, BDD_TRUE, false)?.filter(literalValue).length).toBe(2);
  });

  it('stops at the step budget', () => {
    const bdd = new Bdd({ maxSteps: 2000 });
    expect(() => badOrder(bdd, 30)).toThrow(BddBudgetExceeded);
    bdd.resetSteps();
    expect(bdd.stepCount).toBe(0);
  });
});
