import { hash } from 'node:crypto';
import { SYNTH_PREFIX } from '../model/compiled.js';
import { atomToWire, refToWire, type WireRule } from '../selectors/wire.js';
import { canonicalJson } from './canonical-json.js';
import { flatForm } from './flat.js';
import type { Lit, Node, NodeStore } from './normalize.js';

/**
 * Fitting a normalized formula into Cloudflare's one shape:
 * (OR of include rules) AND (every require rule) AND NOT (OR of exclude rules),
 * where a rule is a positive atom or a `group` rule. What does not fit is hoisted into synthesized groups, named by
 * content (`SYNTH_PREFIX` + 12 hex digits of the SHA-256 of the body's canonical JSON) and shared when identical.
 *
 * The cost of an alternative is the number of distinct synthesized groups it needs; among equivalent placements the
 * cheapest wins, so a formula that has a flat form gets zero groups. Each distinct subformula (and its negation) is
 * fitted at most once, so output and work stay polynomial: no CNF or DNF expansion.
 */

/** The rule lists of a group or policy body. */
export interface WireBody {
  include: WireRule[];
  exclude: WireRule[];
  require: WireRule[];
}

interface Fitted {
  include: WireRule[];
  require: WireRule[];
  exclude: WireRule[];
  /** Synthesized groups this body needs, transitively. */
  deps: ReadonlySet<string>;
}

interface RuleRef {
  rule: WireRule;
  deps: ReadonlySet<string>;
}

const EVERYONE: WireRule = { everyone: {} };
const NONE: ReadonlySet<string> = new Set();

/** The union of some sets: `NONE` when all are empty, the one non-empty set itself, or a new set in order. */
function union(sets: readonly ReadonlySet<string>[]): ReadonlySet<string> {
  let only: ReadonlySet<string> | undefined;
  let several = false;
  for (let i = 0; i < sets.length; i++) {
    const s = sets[i] as ReadonlySet<string>;
    if (s.size === 0) continue;
    if (only === undefined) only = s;
    else several = true;
  }
  if (only === undefined) return NONE;
  if (!several) return only;
  const out = new Set<string>();
  for (let i = 0; i < sets.length; i++) for (const x of sets[i] as ReadonlySet<string>) out.add(x);
  return out;
}

/** The wire rule of a positive literal: the atom's rule, or a `group` rule naming a group defined in code. */
export function litToWire(lit: Lit): WireRule {
  return lit.kind === 'atom' ? atomToWire(lit.atom) : groupRule(lit.name);
}

export function groupRule(name: string): WireRule {
  return { group: { id: refToWire({ kind: 'group', name }) } };
}

/**
 * Whether a disjunction has two literal arguments. Then its negation is not a plain rule: the negation is an `and`
 * whose arguments include the two negated literals, which stay distinct, and the normalizer never drops a literal
 * from an `and` (it folds constants, drops duplicates and compound arguments, or gives `false`).
 */
function hasTwoLiterals(args: readonly Node[]): boolean {
  let count = 0;
  for (let i = 0; i < args.length; i++) if ((args[i] as Node).k === 'lit' && ++count === 2) return true;
  return false;
}

/** Name of a synthesized group with this body. */
export function synthName(body: WireBody): string {
  const digest = hash('sha256', canonicalJson(body), 'hex');
  return `${SYNTH_PREFIX}${digest.slice(0, 12)}`;
}

export class Fitter {
  /** Every group synthesized so far, by name (alternatives that lost are included; emit only what is reachable). */
  readonly synthesized = new Map<string, WireBody>();
  private readonly rules = new Map<string, RuleRef>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly store: NodeStore) {}

  /** The body for a normalized node, plus the synthesized groups it needs. */
  fitBody(n: Node): { body: WireBody; synthesized: string[] } {
    const f = this.fit(n);
    return {
      body: { include: f.include, exclude: f.exclude, require: f.require },
      synthesized: [...f.deps].sort(),
    };
  }

  /** `fitBody(n).body`, without listing the synthesized groups. */
  body(n: Node): WireBody {
    const f = this.fit(n);
    return { include: f.include, exclude: f.exclude, require: f.require };
  }

  private fit(n: Node): Fitted {
    switch (n.k) {
      case 'const':
        return n.value
          ? { include: [EVERYONE], require: [], exclude: [], deps: NONE }
          : { include: [EVERYONE], require: [], exclude: [EVERYONE], deps: NONE };
      case 'lit':
        return n.neg
          ? { include: [EVERYONE], require: [], exclude: [litToWire(n.lit)], deps: NONE }
          : { include: [litToWire(n.lit)], require: [], exclude: [], deps: NONE };
      case 'or':
      case 'and': {
        const structural = n.k === 'or' ? this.fitOr(n, n.args) : this.fitAnd(n.args);
        if (structural.deps.size === 0) return structural;
        const flat = flatForm(n);
        if (!flat) return structural;
        return {
          include: flat.include.length > 0 ? flat.include.map(litToWire) : [EVERYONE],
          require: flat.require.map(litToWire),
          exclude: flat.exclude.map(litToWire),
          deps: NONE,
        };
      }
    }
  }

  /** One positive rule equivalent to `n`: the literal's own rule, or a synthesized group. */
  private ruleFor(n: Node): RuleRef {
    if (n.k === 'lit' && !n.neg) return { rule: litToWire(n.lit), deps: NONE };
    if (n.k === 'const' && n.value) return { rule: EVERYONE, deps: NONE };
    const canonical = this.store.canonical(n);
    const cached = this.rules.get(canonical.key);
    if (cached) return cached;
    this.inProgress.add(canonical.key);
    const f = this.fit(canonical);
    this.inProgress.delete(canonical.key);
    const body: WireBody = { include: f.include, exclude: f.exclude, require: f.require };
    const name = synthName(body);
    this.synthesized.set(name, body);
    const ref: RuleRef = { rule: groupRule(name), deps: union([f.deps, new Set([name])]) };
    this.rules.set(canonical.key, ref);
    return ref;
  }

  /** A disjunction as an include list: one rule per disjunct. */
  private includeForm(args: readonly Node[]): { rules: WireRule[]; deps: ReadonlySet<string> } {
    const rules: WireRule[] = new Array(args.length);
    const deps: ReadonlySet<string>[] = new Array(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      // A positive literal is its own rule (what `ruleFor` gives it), without a `RuleRef` to carry it.
      if (a.k === 'lit' && !a.neg) {
        rules[i] = litToWire(a.lit);
        deps[i] = NONE;
        continue;
      }
      const r = this.ruleFor(a);
      rules[i] = r.rule;
      deps[i] = r.deps;
    }
    return { rules, deps: union(deps) };
  }

  /**
   * A node as "exclude one group": `not a or not b` = exclude the group `a and b`. `undefined` when it cannot have
   * fewer than `toBeat` synthesized groups: a negation that is not a plain rule is a synthesized group, so it has at
   * least one, and fitting it (the bulk of the work) is skipped when one is all the other form needs. Fitting is a
   * pure function of the node (memoised by key), so leaving out a fit whose result is never used changes nothing.
   */
  private negatedRule(n: Node, toBeat: number): RuleRef | undefined {
    if (toBeat <= 1 && n.k === 'or' && hasTwoLiterals(n.args)) return undefined;
    const negation = this.store.negate(n);
    const plain = (negation.k === 'lit' && !negation.neg) || (negation.k === 'const' && negation.value);
    if (!plain && toBeat <= 1) return undefined;
    if (this.inProgress.has(this.store.canonical(negation).key)) return undefined;
    return this.ruleFor(negation);
  }

  private fitOr(n: Node, args: readonly Node[]): Fitted {
    const inc = this.includeForm(args);
    const direct: Fitted = { include: inc.rules, require: [], exclude: [], deps: inc.deps };
    if (inc.deps.size === 0) return direct;
    const negated = this.negatedRule(n, inc.deps.size);
    if (negated && negated.deps.size < inc.deps.size)
      return { include: [EVERYONE], require: [], exclude: [negated.rule], deps: negated.deps };
    return direct;
  }

  private fitAnd(args: readonly Node[]): Fitted {
    interface Disjunction {
      node: Node;
      include: { rules: WireRule[]; deps: ReadonlySet<string> };
      single: { slot: 'require' | 'exclude'; ref: RuleRef };
    }
    // The disjunctions among the arguments, at their argument's index.
    const disjunctions: (Disjunction | undefined)[] = new Array(args.length);
    let positives = 0;
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      if (a.k === 'lit' && !a.neg) positives++;
      if (a.k !== 'or') continue;
      const include = this.includeForm(a.args);
      const required = this.ruleFor(a);
      const excluded = this.negatedRule(a, required.deps.size);
      const single =
        excluded && excluded.deps.size < required.deps.size
          ? { slot: 'exclude' as const, ref: excluded }
          : { slot: 'require' as const, ref: required };
      disjunctions[i] = { node: a, include, single };
    }
    // One disjunction may go to `include` as is; take the one that saves the most groups.
    let chosen: Disjunction | undefined;
    let bestSaving = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < args.length; i++) {
      const d = disjunctions[i];
      if (!d) continue;
      const saving = d.single.ref.deps.size - d.include.deps.size;
      if (saving > bestSaving) {
        bestSaving = saving;
        chosen = d;
      }
    }
    if (chosen && !(bestSaving > 0 || (bestSaving === 0 && positives === 0))) chosen = undefined;

    const include: WireRule[] = chosen ? [...chosen.include.rules] : [];
    const require: WireRule[] = [];
    const exclude: WireRule[] = [];
    const deps: ReadonlySet<string>[] = chosen ? [chosen.include.deps] : [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as Node;
      if (a.k === 'lit') {
        const rule = litToWire(a.lit);
        if (a.neg) exclude.push(rule);
        else if (!chosen && include.length === 0) include.push(rule);
        else require.push(rule);
        continue;
      }
      if (a.k !== 'or') {
        // INVARIANT: a normalized `and` has no constant or `and` arguments; kept for totality.
        const r = this.ruleFor(a);
        require.push(r.rule);
        deps.push(r.deps);
        continue;
      }
      if (chosen && a === chosen.node) continue;
      const d = disjunctions[i] as Disjunction;
      (d.single.slot === 'require' ? require : exclude).push(d.single.ref.rule);
      deps.push(d.single.ref.deps);
    }
    if (include.length === 0) include.push(EVERYONE);
    return { include, require, exclude, deps: union(deps) };
  }
}
