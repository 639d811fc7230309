import { type Lit, litKey, type Node } from './normalize.js';

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
      const key = litKey(cur.lit);
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

/** The flat form of `n`, if it has one and few enough variables. */
export function flatForm(n: Node): FlatForm | undefined {
  const vars = variables(n);
  if (!vars) return undefined;
  const rows = 1 << vars.size;
  const full = (1n << BigInt(rows)) - 1n;
  // Truth table of variable i: bit r is set when row r gives the variable the value true.
  const column = (index: number): bigint => {
    let t = 0n;
    for (let r = 0; r < rows; r++) if (r & (1 << index)) t |= 1n << BigInt(r);
    return t;
  };
  const columns = [...vars.values()].map((v) => column(v.index));
  const tables = new Map<string, bigint>();
  const table = (m: Node): bigint => {
    const cached = tables.get(m.key);
    if (cached !== undefined) return cached;
    let t: bigint;
    if (m.k === 'const') t = m.value ? full : 0n;
    else if (m.k === 'lit') {
      const c = columns[(vars.get(litKey(m.lit)) as { index: number }).index] as bigint;
      t = m.neg ? full & ~c : c;
    } else if (m.k === 'and') t = m.args.reduce((acc, a) => acc & table(a), full);
    else t = m.args.reduce((acc, a) => acc | table(a), 0n);
    tables.set(m.key, t);
    return t;
  };
  const f = table(n);
  const list = [...vars.values()];
  const require = list.filter((v) => (f & ~(columns[v.index] as bigint)) === 0n);
  const exclude = list.filter((v) => (f & (columns[v.index] as bigint)) === 0n && !require.includes(v));
  let base = full;
  for (const v of require) base &= columns[v.index] as bigint;
  for (const v of exclude) base &= full & ~(columns[v.index] as bigint);
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
    (v) => !require.includes(v) && !exclude.includes(v) && (base & (columns[v.index] as bigint) & ~f) === 0n,
  );
  let any = 0n;
  for (const v of include) any |= columns[v.index] as bigint;
  if (include.length === 0 || (base & any) !== f) return undefined;
  return {
    include: include.map((v) => v.lit),
    require: require.map((v) => v.lit),
    exclude: exclude.map((v) => v.lit),
  };
}
