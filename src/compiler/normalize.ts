import { hash } from 'node:crypto';
import type { Atom, Formula } from '../model/formula.js';
import { atomKey } from '../model/formula.js';

/**
 * Negation normal form with structural sharing. A `Node` is a formula in which `not` appears only on literals,
 * `and` / `or` are flat (no `and` directly under `and`), constants are folded away (a non-constant node never
 * contains a constant), duplicates are removed and simple absorption and factoring are applied.
 *
 * Every node carries a `key`: equal keys ⇔ the same formula up to the order of `and` / `or` arguments. Keys of
 * compound nodes are digests of their arguments' keys, so they stay short however deep the formula is.
 */
export type Lit = { kind: 'atom'; atom: Atom } | { kind: 'group'; name: string };

export type Node =
  | { k: 'const'; value: boolean; key: string }
  /** `ckey`: the key of the literal's negation (set by `NodeStore`, so complements cost no string building). */
  | { k: 'lit'; lit: Lit; neg: boolean; key: string; ckey?: string }
  | { k: 'and' | 'or'; args: Node[]; key: string };

export type Junction = 'and' | 'or';

/** Above this many arguments, subset absorption (quadratic) is limited to literals. */
const SUBSET_ABSORPTION_LIMIT = 200;

export function litKey(lit: Lit): string {
  return lit.kind === 'atom' ? `a:${atomKey(lit.atom)}` : `g:${lit.name}`;
}

/** Up to this many arguments, a junction's keys are looked up by scanning its arguments rather than in a set. */
const SMALL_JUNCTION = 8;

/** What `junction` asks of the keys of its arguments. */
interface KeySet {
  has(key: string): boolean;
}

function hasKey(nodes: readonly Node[], key: string): boolean {
  for (let i = 0; i < nodes.length; i++) if ((nodes[i] as Node).key === key) return true;
  return false;
}

/** The keys of a short argument list, as a `KeySet` (the list must not change while it is in use). */
class ArgKeys implements KeySet {
  constructor(private readonly nodes: readonly Node[]) {}
  has(key: string): boolean {
    return hasKey(this.nodes, key);
  }
}

const dual = (op: Junction): Junction => (op === 'and' ? 'or' : 'and');

/** Sorts like `Array.prototype.sort()` on strings (by UTF-16 code units); short arrays without its allocations. */
function sortStrings(a: string[]): void {
  if (a.length > 16) {
    a.sort();
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const x = a[i] as string;
    let j = i - 1;
    while (j >= 0 && (a[j] as string) > x) {
      a[j + 1] = a[j] as string;
      j--;
    }
    a[j + 1] = x;
  }
}

/** Builds and simplifies nodes; one store per compilation so negation and canonical forms are computed once. */
export class NodeStore {
  readonly TRUE: Node = { k: 'const', value: true, key: 'T' };
  readonly FALSE: Node = { k: 'const', value: false, key: 'F' };
  private readonly negated = new Map<string, Node>();
  private readonly canonicals = new Map<string, Node>();
  /** Keys of compound nodes by their sorted argument keys (one map per junction). */
  private readonly andDigests = new Map<string, string>();
  private readonly orDigests = new Map<string, string>();
  /** `fromFormula`'s stacks, kept from one call to the next. */
  private readonly frames: { op: Junction; base: number; out: Node[] }[] = [];
  private readonly formulas: Formula[] = [];
  private readonly negs: boolean[] = [];
  /** Literal nodes of group references by group name, positive and negated. */
  private readonly posGroups = new Map<string, Node>();
  private readonly negGroups = new Map<string, Node>();

  /** The key of a literal node's negation. */
  private complementKey(n: Extract<Node, { k: 'lit' }>): string {
    return n.ckey ?? `${n.neg ? '+' : '-'}${n.key.slice(1)}`;
  }

  constant(value: boolean): Node {
    return value ? this.TRUE : this.FALSE;
  }

  lit(lit: Lit, neg: boolean): Node {
    // `everyone` matches every request: it is the constant `true`.
    if (lit.kind === 'atom' && lit.atom.sel === 'everyone') return this.constant(!neg);
    const key = lit.kind === 'atom' ? `a:${atomKey(lit.atom, false)}` : `g:${lit.name}`;
    const pos = `+${key}`;
    const negative = `-${key}`;
    return neg
      ? { k: 'lit', lit, neg, key: negative, ckey: pos }
      : { k: 'lit', lit, neg, key: pos, ckey: negative };
  }

  /** `lit({ kind: 'group', name }, neg)`, one node per group and sign: groups are referred to again and again. */
  private groupLit(name: string, neg: boolean): Node {
    const nodes = neg ? this.negGroups : this.posGroups;
    let node = nodes.get(name);
    if (node === undefined) {
      node = this.lit({ kind: 'group', name }, neg);
      nodes.set(name, node);
    }
    return node;
  }

  /** A compound node without simplification; `args` must already be simplified, flat and duplicate-free. */
  private raw(op: Junction, args: Node[]): Node {
    const keys: string[] = new Array(args.length);
    for (let i = 0; i < args.length; i++) keys[i] = (args[i] as Node).key;
    sortStrings(keys);
    const joined = keys.join('\n');
    // The same junction of the same arguments comes back often (shared groups, repeated conditions).
    const digests = op === 'and' ? this.andDigests : this.orDigests;
    let key = digests.get(joined);
    if (key === undefined) {
      key = `${op === 'and' ? '&' : '|'}${hash('sha256', joined, 'base64url')}`;
      digests.set(joined, key);
    }
    return { k: op, args, key };
  }

  /** `and` / `or` of normalized nodes, simplified. Argument order is kept (first occurrence wins). */
  junction(op: Junction, input: readonly Node[]): Node {
    const absorbing = this.constant(op === 'or');
    // Flatten, fold constants, drop duplicates.
    const args: Node[] = [];
    // Most junctions are short: their keys are looked up in `args` itself; a set only past `SMALL_JUNCTION`.
    let big: Set<string> | undefined;
    for (let i = 0; i < input.length; i++) {
      const a = input[i] as Node;
      const parts = a.k === op ? a.args : undefined;
      const count = parts ? parts.length : 1;
      for (let j = 0; j < count; j++) {
        const p = parts ? (parts[j] as Node) : a;
        if (p.k === 'const') {
          if (p.value === (op === 'or')) return absorbing;
          continue;
        }
        if (big !== undefined) {
          if (big.has(p.key)) continue;
          big.add(p.key);
        } else {
          if (hasKey(args, p.key)) continue;
          if (args.length === SMALL_JUNCTION) {
            big = new Set<string>();
            for (let k = 0; k < args.length; k++) big.add((args[k] as Node).key);
            big.add(p.key);
          }
        }
        args.push(p);
      }
    }
    const seen: KeySet = big ?? new ArgKeys(args);
    // x and not x = false; x or not x = true.
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      if (a.k === 'lit' && seen.has(this.complementKey(a))) return absorbing;
    }
    const propagated = this.propagate(op, args, seen);
    if (propagated) return this.junction(op, propagated);
    const kept = this.absorb(op, args, seen);
    if (kept.length === 0) return this.constant(op === 'and');
    if (kept.length === 1) return kept[0] as Node;
    if (op === 'or') {
      const factored = this.factor(kept);
      if (factored) return factored;
    }
    return this.raw(op, kept);
  }

  /**
   * Unit propagation one level down: in `x and (not x or y)` the `not x` is false, so it is `x and y`; dually
   * `x or (not x and y)` is `x or y`. Returns the new arguments, or `undefined` when nothing changes.
   */
  private propagate(op: Junction, args: Node[], keys: KeySet): Node[] | undefined {
    const inner = dual(op);
    let out: Node[] | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      if (a.k !== inner) continue;
      let hit = false;
      for (let j = 0; j < a.args.length && !hit; j++) {
        const x = a.args[j] as Node;
        hit = x.k === 'lit' && keys.has(this.complementKey(x));
      }
      if (!hit) continue;
      out ??= args.slice();
      out[i] = this.junction(
        inner,
        a.args.filter((x) => !(x.k === 'lit' && keys.has(this.complementKey(x)))),
      );
    }
    return out;
  }

  /**
   * Absorption: `x and (x or y)` = `x`, and more generally an argument whose own arguments are a strict superset of
   * another argument's is implied by it (in `and`) or implies it (in `or`), so it goes.
   */
  private absorb(op: Junction, args: Node[], keys: KeySet): Node[] {
    const inner = dual(op);
    const setOf = (n: Node): Set<string> => new Set(n.k === inner ? n.args.map((a) => a.key) : [n.key]);
    let any = false;
    for (let i = 0; i < args.length && !any; i++) any = (args[i] as Node).k === inner;
    if (!any) return args;
    const compound = args.filter((a) => a.k === inner);
    const dropped = new Set<string>();
    for (const c of compound) {
      if (c.k !== inner) continue;
      if (c.args.some((x) => keys.has(x.key))) dropped.add(c.key);
    }
    if (compound.length <= SUBSET_ABSORPTION_LIMIT) {
      const sets = new Map(compound.map((c) => [c.key, setOf(c)]));
      for (const c of compound) {
        if (dropped.has(c.key)) continue;
        const mine = sets.get(c.key) as Set<string>;
        for (const d of compound) {
          if (d === c || dropped.has(d.key)) continue;
          const theirs = sets.get(d.key) as Set<string>;
          if (theirs.size < mine.size && [...theirs].every((k) => mine.has(k))) {
            dropped.add(c.key);
            break;
          }
        }
      }
    }
    return dropped.size === 0 ? args : args.filter((a) => !dropped.has(a.key));
  }

  /** `(a and b) or (a and c)` = `a and (b or c)`: factors out what every disjunct shares. */
  private factor(args: Node[]): Node | undefined {
    const conjuncts = (n: Node): Node[] => (n.k === 'and' ? n.args : [n]);
    // Most disjunctions share nothing: find out from the first two before building sets.
    const first = args[0] as Node;
    const second = args[1] as Node;
    let shares: boolean;
    if (first.k !== 'and') shares = conjuncts(second).some((c) => c.key === first.key);
    else if (second.k === 'and') {
      const theirs = new Set(second.args.map((c) => c.key));
      shares = first.args.some((c) => theirs.has(c.key));
    } else shares = first.args.some((c) => c.key === second.key);
    if (!shares) return undefined;
    let common = new Set(conjuncts(first).map((c) => c.key));
    for (const a of args.slice(1)) {
      const mine = new Set(conjuncts(a).map((c) => c.key));
      common = new Set([...common].filter((k) => mine.has(k)));
      if (common.size === 0) return undefined;
    }
    const shared = conjuncts(args[0] as Node).filter((c) => common.has(c.key));
    const rests = args.map((a) =>
      this.junction(
        'and',
        conjuncts(a).filter((c) => !common.has(c.key)),
      ),
    );
    return this.junction('and', [...shared, this.junction('or', rests)]);
  }

  /** The normalized negation of a normalized node. */
  negate(n: Node): Node {
    const cached = this.negated.get(n.key);
    if (cached) return cached;
    let out: Node;
    if (n.k === 'const') out = this.constant(!n.value);
    else if (n.k === 'lit')
      out = { k: 'lit', lit: n.lit, neg: !n.neg, key: this.complementKey(n), ckey: n.key };
    else
      out = this.junction(
        dual(n.k),
        n.args.map((a) => this.negate(a)),
      );
    this.negated.set(n.key, out);
    return out;
  }

  /** The same node with arguments sorted by key at every level: one representative per key. */
  canonical(n: Node): Node {
    if (n.k !== 'and' && n.k !== 'or') return n;
    const cached = this.canonicals.get(n.key);
    if (cached) return cached;
    const args = n.args
      .map((a) => this.canonical(a))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    const out: Node = { k: n.k, args, key: n.key };
    this.canonicals.set(n.key, out);
    return out;
  }

  /**
   * Formula → normalized node. Iterative, and chains of one junction (`a and (b and (c and …))`, also through
   * `not`) are gathered into one argument list before simplifying, so long or deep chains cost linear time and no
   * call stack.
   */
  fromFormula(root: Formula): Node {
    interface Frame {
      op: Junction;
      /** Where this frame's arguments still to visit start on the shared stack (`formulas` / `negs`). */
      base: number;
      out: Node[];
    }
    // The three stacks belong to the store and are empty between calls (every return leaves them so).
    const frames = this.frames as Frame[];
    // Arguments still to visit, each with its own polarity, as one stack (last visited first): a frame's pending
    // arguments always sit above its parent's.
    const formulas = this.formulas;
    const negs = this.negs;
    frames.length = 0;
    formulas.length = 0;
    negs.length = 0;
    let f = root;
    let neg = false;
    for (;;) {
      while (f.op === 'not') {
        neg = !neg;
        f = f.arg;
      }
      let leaf: Node | undefined;
      switch (f.op) {
        case 'const':
          leaf = this.constant(f.value !== neg);
          break;
        case 'atom':
          leaf = this.lit({ kind: 'atom', atom: f.atom }, neg);
          break;
        case 'group':
          leaf = this.groupLit(f.name, neg);
          break;
        default: {
          // A junction joins the current frame when it is the same junction, else opens its own.
          const op: Junction = (f.op === 'and') !== neg ? 'and' : 'or';
          const top = frames[frames.length - 1];
          if (!top || top.op !== op) frames.push({ op, base: formulas.length, out: [] });
          for (let i = f.args.length - 1; i >= 0; i--) {
            formulas.push(f.args[i] as Formula);
            negs.push(neg);
          }
        }
      }
      if (leaf) {
        const top = frames[frames.length - 1];
        if (!top) return leaf;
        top.out.push(leaf);
      }
      // Close the frames that have no arguments left.
      for (;;) {
        const top = frames[frames.length - 1] as Frame;
        if (formulas.length > top.base) break;
        frames.pop();
        const node = this.junction(top.op, top.out);
        const parent = frames[frames.length - 1];
        if (!parent) return node;
        parent.out.push(node);
      }
      f = formulas.pop() as Formula;
      neg = negs.pop() as boolean;
    }
  }
}

/** Normalized node → formula (the shared IR), `not` only on atoms and group references. */
export function toFormula(n: Node): Formula {
  switch (n.k) {
    case 'const':
      return { op: 'const', value: n.value };
    case 'lit': {
      const base: Formula =
        n.lit.kind === 'atom' ? { op: 'atom', atom: n.lit.atom } : { op: 'group', name: n.lit.name };
      return n.neg ? { op: 'not', arg: base } : base;
    }
    case 'and':
    case 'or':
      return { op: n.k, args: n.args.map(toFormula) };
  }
}

/**
 * Negation normal form, flattened, without duplicates (by `atomKey`), constants folded, simple absorption and
 * factoring applied. Equivalent to the input for every identity; `everyone` becomes `true`.
 */
export function normalize(formula: Formula): Formula {
  return toFormula(new NodeStore().fromFormula(formula));
}
