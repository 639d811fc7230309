/**
 * A small reduced ordered binary decision diagram (ROBDD) manager.
 *
 * Nodes are integers: `0` is FALSE, `1` is TRUE, every other id indexes one interleaved typed array holding the
 * node's variable, low (variable = 0) and high (variable = 1) children and unique-table chain (one cache line per
 * node). A hash-consing unique table makes every node unique, so two
 * functions are equal exactly when their node ids are equal. Variables are non-negative integers and the variable
 * order is their numeric order (smaller = closer to the root).
 *
 * Operations are memoised in lossy direct-mapped caches (as in CUDD/BuDDy): a lost entry only costs recomputation.
 * Budgets bound the work: `maxNodes` (nodes ever allocated in this manager), and since the last `resetSteps()`
 * `maxSteps` (recursive steps) and the nodes that call allows. Exceeding either throws `BddBudgetExceeded`; callers that must not throw wrap
 * their work in `guard`. After a budget error the manager stays consistent (only complete nodes are ever stored).
 * Witness paths (`firstPath`, `minOnesPath`) are pure searches with their own memo and limit.
 */

import { BDD_FALSE, BDD_TRUE, BddBudgetExceeded, type Path, TERMINAL_VAR } from './bdd-base.js';
import * as paths from './bdd-paths.js';

export {
  BDD_FALSE,
  BDD_TRUE,
  BddBudgetExceeded,
  guard,
  literalValue,
  literalVar,
  type Path,
  TERMINAL_VAR,
} from './bdd-base.js';

export interface BddOptions {
  /** Most nodes the manager may hold, terminals included (default 1,000,000). */
  maxNodes?: number;
  /** Most recursive steps between two `resetSteps()` calls (default 4,000,000). */
  maxSteps?: number;
  /** log2 of the number of entries of each operation cache (default 18). */
  cacheBits?: number;
  /** Nodes to make room for at once (default 1,024; the store doubles as it fills, rehashing every node). */
  initialNodes?: number;
}

const OP_AND = 1;
const OP_OR = 2;
const OP_XOR = 3;
const OP_NOT = 4;
const OP_AND_SAT = 5;
const OP_AND_NOT_SAT = 6;
const OP_AND_NOT = 7;

const mix = (a: number, b: number, c: number): number => {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
};

/** The path that sets no variable: every variable false. */
const NO_PATH: Path = [];

export class Bdd {
  /** Node `n` is `nodes[4n .. 4n+3]` = variable, low, high, next node in its unique-table bucket (-1: none). */
  private nodes: Int32Array;
  private buckets: Int32Array;
  private capacity: number;
  private count = 2;
  private steps = 0;
  private readonly maxNodes: number;
  /** `count` may not reach this before the next `resetSteps()` (at most `maxNodes`). */
  private nodeLimit: number;
  private readonly defaultMaxSteps: number;
  private maxSteps: number;

  private readonly cacheMask: number;
  /** Binary-operation cache, entry `e` = `[op, a, b, result]` at `4e` (op 0: empty). */
  private readonly cache: Int32Array;
  /** `ite` cache, entry `e` = `[f, g, h, result]` at `4e` (f -1: empty); allocated on first use. */
  private iteCache: Int32Array | undefined;

  constructor(options: BddOptions = {}) {
    // INVARIANT: node ids stay below 2^26, so a pair of ids packs into one number (`minOnesPath`).
    this.maxNodes = Math.min(2 ** 26, Math.max(16, options.maxNodes ?? 1_000_000));
    this.defaultMaxSteps = Math.max(16, options.maxSteps ?? 4_000_000);
    this.maxSteps = this.defaultMaxSteps;
    this.nodeLimit = this.maxNodes;
    const most = 2 ** Math.ceil(Math.log2(this.maxNodes));
    this.capacity = Math.min(most, 2 ** Math.ceil(Math.log2(Math.max(1024, options.initialNodes ?? 1024))));
    this.nodes = new Int32Array(4 * this.capacity);
    this.buckets = new Int32Array(this.capacity).fill(-1);
    this.nodes[0] = TERMINAL_VAR;
    this.nodes[4] = TERMINAL_VAR;
    const cacheSize = 1 << Math.min(24, Math.max(4, options.cacheBits ?? 18));
    this.cacheMask = cacheSize - 1;
    this.cache = new Int32Array(4 * cacheSize);
  }

  /** Nodes allocated so far, terminals included. */
  get nodeCount(): number {
    return this.count;
  }

  /** Steps taken since the last `resetSteps()`. */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * Starts a new step budget (call at the start of each independent query), at most `limit` steps if given, and at
   * most `nodes` new nodes if given.
   */
  resetSteps(limit?: number, nodes?: number): void {
    this.steps = 0;
    this.nodeLimit = nodes === undefined ? this.maxNodes : Math.min(this.maxNodes, this.count + nodes);
    this.maxSteps = Math.max(16, Math.min(this.defaultMaxSteps, limit ?? this.defaultMaxSteps));
  }

  /** The variable tested at `u` (`TERMINAL_VAR` for a terminal). */
  varOf(u: number): number {
    return this.nodes[4 * u] as number;
  }

  lowOf(u: number): number {
    return this.nodes[4 * u + 1] as number;
  }

  highOf(u: number): number {
    return this.nodes[4 * u + 2] as number;
  }

  /** The function `v`. */
  variable(v: number): number {
    return this.node(v, BDD_FALSE, BDD_TRUE);
  }

  /** The function `not v`. */
  notVariable(v: number): number {
    return this.node(v, BDD_TRUE, BDD_FALSE);
  }

  /**
   * The unique node `if v then high else low`. INVARIANT (checked): `v` comes before the variables of both children,
   * so callers can build chains bottom-up without `apply`.
   */
  node(v: number, low: number, high: number): number {
    if (!(v >= 0 && v < TERMINAL_VAR && v < this.varOf(low) && v < this.varOf(high))) {
      throw new RangeError(`bdd node out of order: variable ${v}`);
    }
    return this.mk(v, low, high);
  }

  private mk(v: number, lo: number, hi: number): number {
    if (lo === hi) return lo;
    const nodes = this.nodes;
    let h = mix(v, lo, hi) & (this.capacity - 1);
    for (let n = this.buckets[h] as number; n !== -1; n = nodes[4 * n + 3] as number) {
      if (nodes[4 * n] === v && nodes[4 * n + 1] === lo && nodes[4 * n + 2] === hi) return n;
    }
    if (this.count >= this.nodeLimit) throw new BddBudgetExceeded('nodes', this.count >= this.maxNodes);
    if (this.count >= this.capacity) {
      this.grow();
      h = mix(v, lo, hi) & (this.capacity - 1);
    }
    const n = this.count++;
    const at = 4 * n;
    this.nodes[at] = v;
    this.nodes[at + 1] = lo;
    this.nodes[at + 2] = hi;
    this.nodes[at + 3] = this.buckets[h] as number;
    this.buckets[h] = n;
    return n;
  }

  private grow(): void {
    const cap = Math.min(this.capacity * 2, 2 ** Math.ceil(Math.log2(this.maxNodes)));
    const nodes = new Int32Array(4 * cap);
    nodes.set(this.nodes);
    this.nodes = nodes;
    this.buckets = new Int32Array(cap).fill(-1);
    this.capacity = cap;
    const mask = cap - 1;
    for (let n = 2; n < this.count; n++) {
      const h = mix(nodes[4 * n] as number, nodes[4 * n + 1] as number, nodes[4 * n + 2] as number) & mask;
      nodes[4 * n + 3] = this.buckets[h] as number;
      this.buckets[h] = n;
    }
  }

  private step(): void {
    if (++this.steps > this.maxSteps) throw new BddBudgetExceeded('steps');
  }

  private slot(op: number, a: number, b: number): number {
    return 4 * (mix(op, a, b) & this.cacheMask);
  }

  private cached(at: number, op: number, a: number, b: number): number {
    const c = this.cache;
    return c[at] === op && c[at + 1] === a && c[at + 2] === b ? (c[at + 3] as number) : -1;
  }

  private store(at: number, op: number, a: number, b: number, r: number): number {
    const c = this.cache;
    c[at] = op;
    c[at + 1] = a;
    c[at + 2] = b;
    c[at + 3] = r;
    return r;
  }

  not(u: number): number {
    if (u === BDD_FALSE) return BDD_TRUE;
    if (u === BDD_TRUE) return BDD_FALSE;
    const s = this.slot(OP_NOT, u, 0);
    const c = this.cached(s, OP_NOT, u, 0);
    if (c >= 0) return c;
    this.step();
    const r = this.mk(
      this.nodes[4 * u] as number,
      this.not(this.nodes[4 * u + 1] as number),
      this.not(this.nodes[4 * u + 2] as number),
    );
    return this.store(s, OP_NOT, u, 0, r);
  }

  and(u: number, v: number): number {
    if (u === v) return u;
    if (u === BDD_FALSE || v === BDD_FALSE) return BDD_FALSE;
    if (u === BDD_TRUE) return v;
    if (v === BDD_TRUE) return u;
    return this.apply(OP_AND, u, v);
  }

  or(u: number, v: number): number {
    if (u === v) return u;
    if (u === BDD_TRUE || v === BDD_TRUE) return BDD_TRUE;
    if (u === BDD_FALSE) return v;
    if (v === BDD_FALSE) return u;
    return this.apply(OP_OR, u, v);
  }

  xor(u: number, v: number): number {
    if (u === v) return BDD_FALSE;
    if (u === BDD_FALSE) return v;
    if (v === BDD_FALSE) return u;
    if (u === BDD_TRUE) return this.not(v);
    if (v === BDD_TRUE) return this.not(u);
    return this.apply(OP_XOR, u, v);
  }

  /** `u ∧ ¬v`, without building `¬v`. */
  andNot(u: number, v: number): number {
    if (u === BDD_FALSE || v === BDD_TRUE || u === v) return BDD_FALSE;
    if (v === BDD_FALSE) return u;
    if (u === BDD_TRUE) return this.not(v);
    const s = this.slot(OP_AND_NOT, u, v);
    const c = this.cached(s, OP_AND_NOT, u, v);
    if (c >= 0) return c;
    this.step();
    const nodes = this.nodes;
    const vu = nodes[4 * u] as number;
    const vv = nodes[4 * v] as number;
    const top = Math.min(vu, vv);
    const r = this.mk(
      top,
      this.andNot(
        vu === top ? (nodes[4 * u + 1] as number) : u,
        vv === top ? (nodes[4 * v + 1] as number) : v,
      ),
      this.andNot(
        vu === top ? (nodes[4 * u + 2] as number) : u,
        vv === top ? (nodes[4 * v + 2] as number) : v,
      ),
    );
    return this.store(s, OP_AND_NOT, u, v, r);
  }

  /** `u → v`. */
  implies(u: number, v: number): number {
    return this.or(this.not(u), v);
  }

  andAll(nodes: Iterable<number>): number {
    let r = BDD_TRUE;
    for (const n of nodes) {
      r = this.and(r, n);
      if (r === BDD_FALSE) break;
    }
    return r;
  }

  orAll(nodes: Iterable<number>): number {
    let r = BDD_FALSE;
    for (const n of nodes) {
      r = this.or(r, n);
      if (r === BDD_TRUE) break;
    }
    return r;
  }

  private binary(op: number, u: number, v: number): number {
    switch (op) {
      case OP_AND:
        return this.and(u, v);
      case OP_OR:
        return this.or(u, v);
      default:
        return this.xor(u, v);
    }
  }

  /** The commutative binary operations on two non-terminal, distinct nodes. */
  private apply(op: number, u0: number, v0: number): number {
    const u = Math.min(u0, v0);
    const v = Math.max(u0, v0);
    const s = this.slot(op, u, v);
    const c = this.cached(s, op, u, v);
    if (c >= 0) return c;
    this.step();
    const vu = this.nodes[4 * u] as number;
    const vv = this.nodes[4 * v] as number;
    let r: number;
    if (vu === vv) {
      r = this.mk(
        vu,
        this.binary(op, this.nodes[4 * u + 1] as number, this.nodes[4 * v + 1] as number),
        this.binary(op, this.nodes[4 * u + 2] as number, this.nodes[4 * v + 2] as number),
      );
    } else if (vu < vv) {
      r = this.mk(
        vu,
        this.binary(op, this.nodes[4 * u + 1] as number, v),
        this.binary(op, this.nodes[4 * u + 2] as number, v),
      );
    } else {
      r = this.mk(
        vv,
        this.binary(op, u, this.nodes[4 * v + 1] as number),
        this.binary(op, u, this.nodes[4 * v + 2] as number),
      );
    }
    return this.store(s, op, u, v, r);
  }

  /** `if f then g else h`. */
  ite(f: number, g: number, h: number): number {
    if (f === BDD_TRUE) return g;
    if (f === BDD_FALSE) return h;
    if (g === h) return g;
    if (g === BDD_TRUE && h === BDD_FALSE) return f;
    if (g === BDD_FALSE && h === BDD_TRUE) return this.not(f);
    if (g === BDD_TRUE) return this.or(f, h);
    if (g === BDD_FALSE) return this.and(this.not(f), h);
    if (h === BDD_FALSE) return this.and(f, g);
    if (h === BDD_TRUE) return this.or(this.not(f), g);
    this.iteCache ??= new Int32Array(4 * (this.cacheMask + 1)).fill(-1);
    const ic = this.iteCache;
    const s = 4 * (mix(f, g, h ^ 0x5bd1e995) & this.cacheMask);
    if (ic[s] === f && ic[s + 1] === g && ic[s + 2] === h) return ic[s + 3] as number;
    this.step();
    const top = Math.min(
      this.nodes[4 * f] as number,
      this.nodes[4 * g] as number,
      this.nodes[4 * h] as number,
    );
    const lo = (n: number): number => (this.nodes[4 * n] === top ? (this.nodes[4 * n + 1] as number) : n);
    const hi = (n: number): number => (this.nodes[4 * n] === top ? (this.nodes[4 * n + 2] as number) : n);
    const r = this.mk(top, this.ite(lo(f), lo(g), lo(h)), this.ite(hi(f), hi(g), hi(h)));
    ic[s] = f;
    ic[s + 1] = g;
    ic[s + 2] = h;
    ic[s + 3] = r;
    return r;
  }

  /** Whether `u ∧ v` is satisfiable, without building it. */
  andSat(u0: number, v0: number): boolean {
    if (u0 === BDD_FALSE || v0 === BDD_FALSE) return false;
    if (u0 === BDD_TRUE || v0 === BDD_TRUE || u0 === v0) return true;
    const u = Math.min(u0, v0);
    const v = Math.max(u0, v0);
    const s = this.slot(OP_AND_SAT, u, v);
    const c = this.cached(s, OP_AND_SAT, u, v);
    if (c >= 0) return c === 1;
    this.step();
    const vu = this.nodes[4 * u] as number;
    const vv = this.nodes[4 * v] as number;
    const ul = vu <= vv ? (this.nodes[4 * u + 1] as number) : u;
    const uh = vu <= vv ? (this.nodes[4 * u + 2] as number) : u;
    const vl = vv <= vu ? (this.nodes[4 * v + 1] as number) : v;
    const vh = vv <= vu ? (this.nodes[4 * v + 2] as number) : v;
    const r = this.andSat(ul, vl) || this.andSat(uh, vh);
    this.store(s, OP_AND_SAT, u, v, r ? 1 : 0);
    return r;
  }

  /** Whether `u ∧ ¬v` is satisfiable (i.e. `u` does not imply `v`), without building it. */
  andNotSat(u: number, v: number): boolean {
    if (u === BDD_FALSE || v === BDD_TRUE || u === v) return false;
    if (v === BDD_FALSE || u === BDD_TRUE) return true;
    const s = this.slot(OP_AND_NOT_SAT, u, v);
    const c = this.cached(s, OP_AND_NOT_SAT, u, v);
    if (c >= 0) return c === 1;
    this.step();
    const vu = this.nodes[4 * u] as number;
    const vv = this.nodes[4 * v] as number;
    const ul = vu <= vv ? (this.nodes[4 * u + 1] as number) : u;
    const uh = vu <= vv ? (this.nodes[4 * u + 2] as number) : u;
    const vl = vv <= vu ? (this.nodes[4 * v + 1] as number) : v;
    const vh = vv <= vu ? (this.nodes[4 * v + 2] as number) : v;
    const r = this.andNotSat(ul, vl) || this.andNotSat(uh, vh);
    this.store(s, OP_AND_NOT_SAT, u, v, r ? 1 : 0);
    return r;
  }

  /** One satisfying path of `u` (preferring low branches), or `undefined` when `u` is FALSE. */
  satPath(u: number): Path | undefined {
    return this.firstPath(u, BDD_TRUE, false);
  }

  /** One path satisfying `u ∧ v` (preferring low branches), or `undefined`; never builds the conjunction. */
  andPath(u: number, v: number): Path | undefined {
    return this.firstPath(u, v, false);
  }

  /** One path satisfying `u ∧ ¬v` (preferring low branches), or `undefined`; never builds the conjunction. */
  andNotPath(u: number, v: number): Path | undefined {
    return this.firstPath(u, v, true);
  }

  /**
   * The first path (low branches first) satisfying `u ∧ v` (`u ∧ ¬v` when `negate`), or `undefined` when there is
   * none or the search takes more than `maxSteps` pairs (`bdd-paths.ts`).
   */
  firstPath(u0: number, v0: number, negate: boolean, maxSteps = Number.POSITIVE_INFINITY): Path | undefined {
    return paths.firstPath(this.nodes, u0, v0, negate, maxSteps);
  }

  /** A path satisfying `u ∧ v` (`u ∧ ¬v` when `negate`) setting the fewest variables to true (`bdd-paths.ts`). */
  minOnesPath(u0: number, v0: number, negate: boolean, maxSteps = 100_000): Path | undefined {
    return paths.minOnesPath(this.nodes, u0, v0, negate, maxSteps);
  }

  /** The value of `u` when every variable is false: the terminal at the end of its low edges. */
  lowest(u: number): boolean {
    return paths.holdsOn(this.nodes, u, NO_PATH);
  }

  /** The plainest total assignment satisfying `u` (`u` not FALSE): its path, low edges first (`bdd-paths.ts`). */
  lowTruePath(u: number): Path {
    return paths.lowTruePath(this.nodes, u);
  }

  /** Whether `u` holds under `path`, every variable not on it false. */
  holdsOn(u: number, path: Path): boolean {
    return paths.holdsOn(this.nodes, u, path);
  }

  /** The value of `u` under a total assignment. */
  evaluate(u: number, assignment: (v: number) => boolean): boolean {
    return paths.evaluate(this.nodes, u, assignment);
  }

  /** Number of nodes reachable from `u`, terminals included. */
  size(u: number): number {
    return paths.size(this.nodes, u);
  }

  /** The variables `u` depends on, ascending. */
  support(u: number): number[] {
    return paths.support(this.nodes, u);
  }

  /** Number of satisfying assignments of `u` over the variables `0 .. nvars-1` (all of u's support must be below). */
  satCount(u: number, nvars: number): number {
    return paths.satCount(this.nodes, u, nvars);
  }
}

/**
 * `and` (or `or`) over `vals[from .. to)` combined pairwise, level by level (a balanced tree), in place; `unit` when
 * there are none.
 */
export function balanced(
  bdd: Bdd,
  vals: number[],
  from: number,
  to: number,
  unit: number,
  and: boolean,
): number {
  if (to === from) return unit;
  let end = to;
  while (end - from > 1) {
    let up = from;
    for (let i = from; i < end; i += 2) {
      const a = vals[i] as number;
      vals[up++] =
        i + 1 < end ? (and ? bdd.and(a, vals[i + 1] as number) : bdd.or(a, vals[i + 1] as number)) : a;
    }
    end = up;
  }
  return vals[from] as number;
}
