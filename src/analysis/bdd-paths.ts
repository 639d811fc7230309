import { BDD_FALSE, BDD_TRUE, BddBudgetExceeded, type Path } from './bdd-base.js';

/**
 * Read-only searches over a BDD manager's node table (`nodes[4n .. 4n+2]` = variable, low, high): witness paths,
 * evaluation, sizes and counts. None builds a node or touches the manager's caches or budgets, so each is safe at
 * any time, even on a manager no longer in use. `Bdd` exposes each as a method.
 */

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
  const dead = new Set<number>();
  const out: Path = [];
  let steps = 0;
  const search = (u: number, v: number): boolean => {
    if (u === BDD_TRUE && v === target) return true;
    if (u === BDD_FALSE || v === (negate ? BDD_TRUE : BDD_FALSE) || (negate && u === v)) return false;
    const k = u * 0x4000000 + v;
    if (dead.has(k)) return false;
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
    dead.add(k);
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
  const INF = Number.POSITIVE_INFINITY;
  const target = negate ? BDD_FALSE : BDD_TRUE;
  const memo = new Map<number, number>();
  let steps = 0;
  const cost = (u: number, v: number): number => {
    if (u === BDD_FALSE || v === (negate ? BDD_TRUE : BDD_FALSE)) return INF;
    if (u === BDD_TRUE && v === target) return 0;
    if (negate && u === v) return INF;
    const k = u * 0x4000000 + v;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
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
    const r = Math.min(lo, hi + 1);
    memo.set(k, r);
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
