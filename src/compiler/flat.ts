import type { Lit, Node } from './normalize.js';

/**
 * Semantic flat fit for small formulas: when a formula over at most `MAX_VARIABLES` distinct atoms and group
 * references is, as a boolean function of them, equal to (OR include) AND (every require) AND NOT (OR exclude),
 * return those lists. Treating the atoms as independent variables is sound: an identity is just one assignment.
 * This catches what syntactic normalization misses, e.g. `a and not (a and b)` = `a and not b`.
 */
export const MAX_VARIABLES = 8;

export interface FlatForm {
  /** Empty means "everyone". */
  include: Lit[];
  require: Lit[];
  exclude: Lit[];
}

/**
 * The key of a literal node's positive form, which names its variable: a string the store has made already (a
 * literal node's key is its sign followed by `litKey`, `ckey` that of its negation), so nothing is sliced or hashed anew.
 */
function positiveKey(n: Extract<Node, { k: 'lit' }>): string {
  if (!n.neg) return n.key;
  return n.ckey ?? `+${n.key.slice(1)}`;
}

/** Distinct literals of `n` in order of first appearance, or `undefined` past `MAX_VARIABLES`. */
function variables(n: Node): Map<string, { lit: Lit; index: number }> | undefined {
  const vars = new Map<string, { lit: Lit; index: number }>();
  const seen = new Set<string>();
  const stack: Node[] = [n];
  while (stack.length > 0) {
    const cur = stack.pop() as Node;
    if (seen.has(cur.key)) continue;
    seen.add(cur.key);
    if (cur.k === 'lit') {
      const key = positiveKey(cur);
      if (!vars.has(key)) {
        if (vars.size === MAX_VARIABLES) return undefined;
        vars.set(key, { lit: cur.lit, index: vars.size });
      }
    } else if (cur.k === 'and' || cur.k === 'or') {
      for (let i = cur.args.length - 1; i >= 0; i--) stack.push(cur.args[i] as Node);
    }
  }
  return vars;
}

/**
 * Truth tables as bit sets, one bit per row: plain 32-bit integers up to 5 variables (32 rows, the common case, no
 * allocation), bigints above.
 */
interface Bits<T> {
  zero: T;
  full: T;
  /** The table of variable `index`: bit r is set when row r gives the variable the value true. */
  column(index: number): T;
  and(a: T, b: T): T;
  or(a: T, b: T): T;
  /** `a` and not `b`. */
  andNot(a: T, b: T): T;
}

function smallBits(rows: number): Bits<number> {
  return {
    zero: 0,
    full: rows === 32 ? -1 : (1 << rows) - 1,
    column: (index) => {
      let t = 0;
      for (let r = 0; r < rows; r++) if (r & (1 << index)) t |= 1 << r;
      return t;
    },
    and: (a, b) => a & b,
    or: (a, b) => a | b,
    andNot: (a, b) => a & ~b,
  };
}

/** `smallBits` for 1, 2, 4, … 32 rows (0 to 5 variables), made once: they hold nothing but their row count. */
const SMALL_BITS: readonly Bits<number>[] = [0, 1, 2, 3, 4, 5].map((v) => smallBits(1 << v));

function bigBits(rows: number): Bits<bigint> {
  const full = (1n << BigInt(rows)) - 1n;
  return {
    zero: 0n,
    full,
    column: (index) => {
      let t = 0n;
      for (let r = 0; r < rows; r++) if (r & (1 << index)) t |= 1n << BigInt(r);
      return t;
    },
    and: (a, b) => a & b,
    or: (a, b) => a | b,
    andNot: (a, b) => a & (full & ~b),
  };
}

/** The flat form of `n`, if it has one and few enough variables. */
export function flatForm(n: Node): FlatForm | undefined {
  const vars = variables(n);
  if (!vars) return undefined;
  const rows = 1 << vars.size;
  return rows <= 32 ? solve(n, vars, SMALL_BITS[vars.size] as Bits<number>) : solve(n, vars, bigBits(rows));
}

function solve<T>(
  n: Node,
  vars: Map<string, { lit: Lit; index: number }>,
  bits: Bits<T>,
): FlatForm | undefined {
  const { zero, full } = bits;
  const columns = [...vars.values()].map((v) => bits.column(v.index));
  const tables = new Map<string, T>();
  const table = (m: Node): T => {
    const cached = tables.get(m.key);
    if (cached !== undefined) return cached;
    let t: T;
    if (m.k === 'const') t = m.value ? full : zero;
    else if (m.k === 'lit') {
      const c = columns[(vars.get(positiveKey(m)) as { index: number }).index] as T;
      t = m.neg ? bits.andNot(full, c) : c;
    } else if (m.k === 'and') t = m.args.reduce((acc, a) => bits.and(acc, table(a)), full);
    else t = m.args.reduce((acc, a) => bits.or(acc, table(a)), zero);
    tables.set(m.key, t);
    return t;
  };
  const f = table(n);
  const list = [...vars.values()];
  const col = (v: { index: number }): T => columns[v.index] as T;
  const require = list.filter((v) => bits.andNot(f, col(v)) === zero);
  const exclude = list.filter((v) => bits.and(f, col(v)) === zero && !require.includes(v));
  let base = full;
  for (const v of require) base = bits.and(base, col(v));
  for (const v of exclude) base = bits.andNot(base, col(v));
  if (f === base) {
    // Nothing to choose from: the first required literal becomes the include (or everyone).
    const [first, ...rest] = require;
    return {
      include: first ? [first.lit] : [],
      require: rest.map((v) => v.lit),
      exclude: exclude.map((v) => v.lit),
    };
  }
  const include = list.filter(
    (v) => !require.includes(v) && !exclude.includes(v) && bits.andNot(bits.and(base, col(v)), f) === zero,
  );
  let any = zero;
  for (const v of include) any = bits.or(any, col(v));
  if (include.length === 0 || bits.and(base, any) !== f) return undefined;
  return {
    include: include.map((v) => v.lit),
    require: require.map((v) => v.lit),
    exclude: exclude.map((v) => v.lit),
  };
}
