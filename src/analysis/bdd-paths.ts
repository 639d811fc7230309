import { BDD_FALSE, BDD_TRUE, BddBudgetExceeded, type Path } from './bdd-base.js';

/**
 * Read-only searches over a BDD manager's node table (`nodes[4n .. 4n+2]` = variable, low, high): witness paths,
 * evaluation, sizes and counts. None builds a node or touches the manager's caches or budgets, so each is safe at
 * any time, even on a manager no longer in use. `Bdd` exposes each as a method.
 */

/**
 * A map from node pairs to non-negative integers, open addressing on typed arrays: unlike a `Map` keyed by
 * `u * 2^26 + v` (a heap number per key), an entry allocates nothing. One instance serves every search in turn
 * (`clear` starts a new generation instead of wiping the table; searches never nest).
 */
class PairMemo {
  private us = new Int32Array(256);
  private vs = new Int32Array(256);
  private vals = new Int32Array(256);
  /** Generation of each slot's entry: a slot holds an entry only when it is the current one. */
  private gens = new Int32Array(256);
  private gen = 1;
  private mask = 255;
  private count = 0;

  /** Forgets every entry; a table grown past `keep` slots is given back. */
  clear(keep = 1 << 16): void {
    this.count = 0;
    if (this.gens.length > keep || this.gen === 0x7fffffff) this.allocate(Math.min(this.gens.length, keep));
    else this.gen++;
  }

  /** Fresh, empty tables of `n` slots (a power of two), generation 1. */
  private allocate(n: number): void {
    this.us = new Int32Array(n);
    this.vs = new Int32Array(n);
    this.vals = new Int32Array(n);
    this.gens = new Int32Array(n);
    this.mask = n - 1;
    this.gen = 1;
  }

  private slot(u: number, v: number): number {
    let i = (Math.imul(u, 0x9e3779b1) ^ Math.imul(v, 0x85ebca77)) & this.mask;
    while (this.gens[i] === this.gen && (this.us[i] !== u || this.vs[i] !== v)) i = (i + 1) & this.mask;
    return i;
  }

  /** The value stored for `(u, v)`, or -1. */
  get(u: number, v: number): number {
    const i = this.slot(u, v);
    return this.gens[i] === this.gen ? (this.vals[i] as number) : -1;
  }

  set(u: number, v: number, value: number): void {
    const i = this.slot(u, v);
    this.vals[i] = value;
    if (this.gens[i] === this.gen) return;
    this.gens[i] = this.gen;
    this.us[i] = u;
    this.vs[i] = v;
    if (++this.count * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { us, vs, vals, gens, gen } = this;
    this.allocate(2 * us.length);
    for (let j = 0; j < us.length; j++) {
      if (gens[j] !== gen) continue;
      const i = this.slot(us[j] as number, vs[j] as number);
      this.gens[i] = 1;
      this.us[i] = us[j] as number;
      this.vs[i] = vs[j] as number;
      this.vals[i] = vals[j] as number;
    }
  }
}

/** The memos of `firstPath` and `minOnesPath` (each cleared when a search starts). */
const deadPairs = new PairMemo();
const pairCosts = new PairMemo();

/** `PairMemo` value for an infinite cost (costs are path lengths, far below it). */
const INF_COST = 0x7fffffff;

/**
 * The first path (low branches first) satisfying `u ∧ v` (`u ∧ ¬v` when `negate`), or `undefined` when there is
 * none or the search takes more than `maxSteps` pairs. Pure: builds no node, uses no budget and no shared cache,
 * so it is safe at any time, even on a manager no longer in use. It searches in the same order as `andSat` /
 * `andNotSat` with an exact memo, so it never takes more steps than the check that found the pair satisfiable.
 */
export function firstPath(
  nodes: Int32Array,
  u0: number,
  v0: number,
  negate: boolean,
  maxSteps = Number.POSITIVE_INFINITY,
): Path | undefined {
  const target = negate ? BDD_FALSE : BDD_TRUE;
  const dead = deadPairs;
  dead.clear();
  const out: Path = [];
  let steps = 0;
  const search = (u: number, v: number): boolean => {
    if (u === BDD_TRUE && v === target) return true;
    if (u === BDD_FALSE || v === (negate ? BDD_TRUE : BDD_FALSE) || (negate && u === v)) return false;
    if (dead.get(u, v) !== -1) return false;
    if (++steps > maxSteps) throw new BddBudgetExceeded('steps');
    const vu = nodes[4 * u] as number;
    const vv = nodes[4 * v] as number;
    const top = Math.min(vu, vv);
    out.push(2 * top);
    if (
      search(vu === top ? (nodes[4 * u + 1] as number) : u, vv === top ? (nodes[4 * v + 1] as number) : v)
    ) {
      return true;
    }
    out[out.length - 1] = 2 * top + 1;
    if (
      search(vu === top ? (nodes[4 * u + 2] as number) : u, vv === top ? (nodes[4 * v + 2] as number) : v)
    ) {
      return true;
    }
    out.pop();
    dead.set(u, v, 1);
    return false;
  };
  try {
    return search(u0, v0) ? out : undefined;
  } catch (e) {
    if (e instanceof BddBudgetExceeded) return undefined;
    throw e;
  }
}

/**
 * A path satisfying `u ∧ v` (or `u ∧ ¬v` when `negate`) that sets the fewest variables to true (ties: low branch
 * first), or `undefined` when there is none or it takes more than `maxSteps` pairs. Pure: builds no node, uses no
 * budget and no shared cache, so it is safe to call at any time, even on a manager no longer in use.
 */
export function minOnesPath(
  nodes: Int32Array,
  u0: number,
  v0: number,
  negate: boolean,
  maxSteps = 100_000,
): Path | undefined {
  const INF = INF_COST;
  const target = negate ? BDD_FALSE : BDD_TRUE;
  const memo = pairCosts;
  memo.clear();
  let steps = 0;
  const cost = (u: number, v: number): number => {
    if (u === BDD_FALSE || v === (negate ? BDD_TRUE : BDD_FALSE)) return INF;
    if (u === BDD_TRUE && v === target) return 0;
    if (negate && u === v) return INF;
    const hit = memo.get(u, v);
    if (hit !== -1) return hit;
    if (++steps > maxSteps) throw new BddBudgetExceeded('steps');
    const vu = nodes[4 * u] as number;
    const vv = nodes[4 * v] as number;
    const top = Math.min(vu, vv);
    const lo = cost(
      vu === top ? (nodes[4 * u + 1] as number) : u,
      vv === top ? (nodes[4 * v + 1] as number) : v,
    );
    const hi = cost(
      vu === top ? (nodes[4 * u + 2] as number) : u,
      vv === top ? (nodes[4 * v + 2] as number) : v,
    );
    // INF + 1 stays INF (the sum is a double, never stored).
    const r = Math.min(lo, Math.min(INF, hi + 1));
    memo.set(u, v, r);
    return r;
  };
  try {
    if (cost(u0, v0) === INF) return undefined;
  } catch (e) {
    if (e instanceof BddBudgetExceeded) return undefined;
    throw e;
  }
  const out: Path = [];
  let u = u0;
  let v = v0;
  while (u !== BDD_TRUE || v !== target) {
    const vu = nodes[4 * u] as number;
    const vv = nodes[4 * v] as number;
    const top = Math.min(vu, vv);
    const ul = vu === top ? (nodes[4 * u + 1] as number) : u;
    const vl = vv === top ? (nodes[4 * v + 1] as number) : v;
    const uh = vu === top ? (nodes[4 * u + 2] as number) : u;
    const vh = vv === top ? (nodes[4 * v + 2] as number) : v;
    if (cost(ul, vl) <= cost(uh, vh) + 1) {
      out.push(2 * top);
      u = ul;
      v = vl;
    } else {
      out.push(2 * top + 1);
      u = uh;
      v = vh;
    }
  }
  return out;
}

/**
 * The path to TRUE that takes the low edge wherever it does not lead to FALSE (`u` not FALSE). With every variable
 * off the path false, it is one total assignment satisfying `u`: the plainest identity `u` matches, found in
 * O(depth) without a search.
 */
export function lowTruePath(nodes: Int32Array, u: number): Path {
  const out: Path = [];
  let n = u;
  while (n > BDD_TRUE) {
    const low = nodes[4 * n + 1] as number;
    const lowLeads = low !== BDD_FALSE;
    out.push(2 * (nodes[4 * n] as number) + (lowLeads ? 0 : 1));
    n = lowLeads ? low : (nodes[4 * n + 2] as number);
  }
  return out;
}

/** Whether `u` holds when the variables `path` sets have its values and every other variable is false. */
export function holdsOn(nodes: Int32Array, u: number, path: Path): boolean {
  let n = u;
  let k = 0;
  while (n > BDD_TRUE) {
    const v = nodes[4 * n] as number;
    // Both walks go down the variable order, so one pass over the path serves the whole walk.
    while (k < path.length && (path[k] as number) >>> 1 < v) k++;
    const literal = k < path.length ? (path[k] as number) : -1;
    const on = literal >>> 1 === v && (literal & 1) === 1;
    n = on ? (nodes[4 * n + 2] as number) : (nodes[4 * n + 1] as number);
  }
  return n === BDD_TRUE;
}

/** The value of `u` under a total assignment. */
export function evaluate(nodes: Int32Array, u: number, assignment: (v: number) => boolean): boolean {
  let n = u;
  while (n > BDD_TRUE)
    n = assignment(nodes[4 * n] as number) ? (nodes[4 * n + 2] as number) : (nodes[4 * n + 1] as number);
  return n === BDD_TRUE;
}

/** Number of nodes reachable from `u`, terminals included. */
export function size(nodes: Int32Array, u: number): number {
  const seen = new Set<number>();
  const stack = [u];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    if (seen.has(n)) continue;
    seen.add(n);
    if (n > BDD_TRUE) stack.push(nodes[4 * n + 1] as number, nodes[4 * n + 2] as number);
  }
  return seen.size;
}

/** The variables `u` depends on, ascending. */
export function support(nodes: Int32Array, u: number): number[] {
  const seen = new Set<number>();
  const vars = new Set<number>();
  const stack = [u];
  while (stack.length > 0) {
    const n = stack.pop() as number;
    if (n <= BDD_TRUE || seen.has(n)) continue;
    seen.add(n);
    vars.add(nodes[4 * n] as number);
    stack.push(nodes[4 * n + 1] as number, nodes[4 * n + 2] as number);
  }
  return [...vars].sort((a, b) => a - b);
}

/** Number of satisfying assignments of `u` over the variables `0 .. nvars-1` (all of u's support must be below). */
export function satCount(nodes: Int32Array, u: number, nvars: number): number {
  const memo = new Map<number, number>();
  const level = (n: number): number => (n <= BDD_TRUE ? nvars : (nodes[4 * n] as number));
  const count = (n: number): number => {
    if (n === BDD_FALSE) return 0;
    if (n === BDD_TRUE) return 1;
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    const lo = nodes[4 * n + 1] as number;
    const hi = nodes[4 * n + 2] as number;
    const v = nodes[4 * n] as number;
    const r = count(lo) * 2 ** (level(lo) - v - 1) + count(hi) * 2 ** (level(hi) - v - 1);
    memo.set(n, r);
    return r;
  };
  return count(u) * 2 ** level(u);
}
