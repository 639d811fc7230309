/**
 * The exact semantic analysis engine the linter asks its questions.
 *
 * Design
 * - A condition (`Formula`) is compiled to a reduced ordered BDD (`bdd.ts`) over *identity* variables chosen by the
 *   theory (`theory.ts`): single-valued attributes (service token, login IdP, email domain and address, country,
 *   risk level, linked app, certificate common name) are binary-encoded finite domains, the source IP is its bits,
 *   and set-valued facts (group and list memberships, posture, IdP claims) are free variables. Domains are only as
 *   wide as the values seen so far need (short BDDs); a value that does not fit moves the engine to a wider
 *   layout on a fresh manager, transparently (`stats().resets` counts it). The selectors'
 *   mutual exclusions and implications are therefore built into the encoding: every query is one BDD operation and
 *   no theory constraint is ever conjoined. Answers are exact with respect to the selectors' meaning, modulo the
 *   modelling choices documented in `theory.ts` (a service token carries no user identity, a common name implies a
 *   certificate).
 * - Code-defined groups (`{ op: 'group' }`) are expanded through `options.groups`; unknown names match nothing, as
 *   in `evaluateFormula`; a cycle makes the query `incomplete`.
 * - BDDs are cached per formula object (a `WeakMap`, every sub-formula included) and per group name, so the O(n²)
 *   pairwise questions of a linter cost one memoised apply each. `implies` and `disjoint` never build the
 *   conjunction; equivalence is a node-id comparison. Build a union of many policies incrementally as nested binary
 *   `or`s (`{ op: 'or', args: [previousUnion, next] }`) to reuse the previous union's BDD.
 * - A witness comes from one satisfying path (low branches first, so attributes stay absent unless needed), decoded
 *   into a minimal `Identity` that `evaluateFormula` decides as the answer claims. The path is found with the
 *   answer; the `Identity` is decoded when the `witness` property is first read.
 * - Budgets: `budget.nodes` caps the nodes one query adds and `budget.steps` its work. The manager holds
 *   `budget.nodes` nodes, or with `options.sizeFor` (a linter passes every condition of the project) as many as
 *   those formulas are expected to need, and its layout is sized for their values, so a run over a large project
 *   encodes each formula once instead of again after every reset. When the manager fills up, it is dropped (caches
 *   included) and the query retried once on a fresh one; a query that alone exceeds a budget answers
 *   `{ result: 'incomplete' }`. The public API never throws.
 * - Cost (measured on a busy 2-core machine): about 1 µs per pairwise question once both BDDs are cached. The
 *   generated 10,000-policy bench project (1,000 apps): encoding every policy, building each app's prefix unions
 *   and effective regions, and every pairwise `implies`/`disjoint` (120,000 questions) takes about 0.45 s.
 */
import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { BDD_FALSE, BDD_TRUE, Bdd, BddBudgetExceeded } from './bdd.js';
import { Layout, LayoutTooNarrow } from './layout.js';
import { countValues, type DomainSizes } from './sizing.js';
import { Theory, TheoryLimitExceeded } from './theory.js';
import type {
  Analyzer,
  AnalyzerBudget,
  AnalyzerOptions,
  AnalyzerStats,
  CheckResult,
  Incomplete,
  IncompleteReason,
  SatResult,
} from './types.js';
import { identityOf, MENTIONS_IP, MENTIONS_RISK, type Mentions } from './witness.js';

export type * from './types.js';

class GroupCycle extends Error {}

const DEFAULT_BUDGET = 1_000_000;
const DEFAULT_STEPS = 4_000_000;
/**
 * With `sizeFor`, the manager holds this many nodes per atom of those formulas (a lint run of the generated bench
 * projects takes about 14)…
 */
const NODES_PER_ATOM = 32;
/** …up to this many (160 MB)… */
const MAX_SIZED_NODES = 8_000_000;
/** …with room for this many per atom from the start. */
const INITIAL_NODES_PER_ATOM = 16;
const MAX_RELAYOUTS = 64;
/** Formula depth encoded by recursion; deeper levels are walked iteratively (`encodeDeep`). */
const RECURSION_LIMIT = 200;

function reasonOf(e: unknown): IncompleteReason {
  if (e instanceof BddBudgetExceeded) return e.kind === 'nodes' ? 'node-budget' : 'step-budget';
  if (e instanceof GroupCycle) return 'group-cycle';
  if (e instanceof TheoryLimitExceeded) return 'too-many-values';
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'too-deep';
  return 'internal-error';
}

class Engine implements Analyzer {
  private readonly lookup: (name: string) => Formula | undefined;
  /** Most nodes the manager holds (it is dropped when full). */
  private readonly capacity: number;
  /** Most nodes one question may add. */
  private readonly questionNodes: number;
  private readonly stepBudget: number;
  private readonly totalSteps: number;
  /** BDD steps taken by every question so far (the run budget). */
  private spent = 0;
  private questions = 0;
  private bdd: Bdd;
  private readonly theory = new Theory();
  private layout: Layout;
  private formulas = new WeakMap<Formula, number>();
  private readonly groupNodes = new Map<string, number>();
  private readonly expanding = new Set<string>();
  private readonly mentionMemo = new WeakMap<Formula, Mentions>();
  /** Formulas whose encoding alone exceeded the step budget or the stack (kept across resets). */
  private readonly failed = new WeakMap<Formula, Error>();
  /** Whether `failed` holds anything (most runs: never, so encoding skips the lookup). */
  private anyFailed = false;
  private resets = 0;
  private readonly expected: DomainSizes | undefined;

  constructor(options: AnalyzerOptions) {
    this.lookup = options.groups;
    const budget: AnalyzerBudget =
      typeof options.budget === 'number' ? { nodes: options.budget } : (options.budget ?? {});
    this.expected = options.sizeFor && countValues(options.sizeFor, this.lookup);
    // Sized for the formulas to come, the manager holds all their BDDs at once instead of being dropped (every
    // cached BDD with it) each time it fills up; a node takes 20 bytes.
    const sized = this.expected ? Math.min(MAX_SIZED_NODES, NODES_PER_ATOM * this.expected.atoms) : 0;
    this.questionNodes = Math.max(1024, budget.nodes ?? DEFAULT_BUDGET);
    this.capacity = Math.max(this.questionNodes, sized);
    this.stepBudget = Math.max(1024, budget.steps ?? DEFAULT_STEPS);
    this.totalSteps = Math.max(0, budget.totalSteps ?? Number.POSITIVE_INFINITY);
    this.bdd = this.newBdd();
    this.layout = new Layout(this.theory, this.bdd, this.expected);
  }

  private newBdd(): Bdd {
    const cacheBits = Math.max(10, Math.min(20, Math.ceil(Math.log2(this.capacity)) - 2));
    // Room from the start for the nodes the expected formulas take (about 14 per atom), instead of doubling up to it.
    const initialNodes = this.expected ? INITIAL_NODES_PER_ATOM * this.expected.atoms : undefined;
    return new Bdd({ maxNodes: this.capacity, maxSteps: this.stepBudget, cacheBits, initialNodes });
  }

  /** Drops the manager and every cached BDD; the new layout is sized for the values seen so far. */
  private reset(): void {
    this.bdd = this.newBdd();
    this.layout = new Layout(this.theory, this.bdd, this.expected);
    this.formulas = new WeakMap();
    this.groupNodes.clear();
    this.resets++;
  }

  /**
   * Runs one question. A full manager is dropped and the question retried once on a fresh one; a value that does
   * not fit the layout moves to a wider one (widths double, so this happens a few times per attribute at most).
   */
  private run<T>(question: () => T): T | Incomplete {
    this.questions++;
    let retried = false;
    for (let relayouts = 0; ; ) {
      const remaining = this.totalSteps - this.spent;
      if (remaining <= 0) return { result: 'incomplete', reason: 'run-budget' };
      const limit = Math.min(this.stepBudget, remaining);
      const bdd = this.bdd; // a reset below replaces it; its steps still count
      const before = bdd.nodeCount;
      bdd.resetSteps(limit, this.questionNodes);
      if (this.expanding.size > 0) this.expanding.clear();
      try {
        return question();
      } catch (e) {
        if (e instanceof LayoutTooNarrow && relayouts++ < MAX_RELAYOUTS) {
          this.reset();
          continue;
        }
        let reason = reasonOf(e);
        // A full manager is dropped and the question asked again on a fresh one; a question that alone adds more
        // nodes than it may is incomplete.
        if (reason === 'node-budget' && (e as BddBudgetExceeded).full && !retried && before > 2) {
          retried = true;
          this.reset();
          continue;
        }
        // Cut short by what earlier questions spent, not by its own size.
        if (reason === 'step-budget' && limit < this.stepBudget) reason = 'run-budget';
        // A stack overflow (or a bug) may have interrupted the manager mid-update: start afresh.
        if (reason === 'too-deep' || reason === 'internal-error') this.reset();
        return { result: 'incomplete', reason };
      } finally {
        // Every attempt counts, retries included (`continue` passes through here too).
        this.spent += bdd.stepCount;
      }
    }
  }

  /**
   * The BDD of `root`; every sub-formula's BDD is cached by object and every group's by name, so a group used many
   * times (or by many groups) is encoded once. Shallow formulas (nearly all of them) are encoded by plain recursion,
   * which allocates nothing; past `RECURSION_LIMIT` levels the iterative walk (`encodeDeep`) takes over, so neither
   * long chains of groups nor deep formulas can overflow the stack. Both visit operands in order and combine them
   * alike (`combine`), so they build the same nodes in the same order. A formula whose encoding alone ran out of steps
   * or stack is remembered, so later questions about it give up at once.
   */
  private encode(root: Formula): number {
    const hit = this.formulas.get(root);
    if (hit !== undefined) return hit;
    return this.encodeRec(root, 0);
  }

  private encodeRec(f: Formula, depth: number): number {
    const cached = this.formulas.get(f);
    if (cached !== undefined) return cached;
    const failure = this.anyFailed ? this.failed.get(f) : undefined;
    if (failure) throw failure;
    if (f.op === 'const') return f.value ? BDD_TRUE : BDD_FALSE;
    if (f.op === 'atom') return this.layout.encodeAtom(f.atom);
    let group: string | undefined;
    if (f.op === 'group') {
      const g = this.groupNodes.get(f.name);
      if (g !== undefined) return g;
      if (this.expanding.has(f.name)) throw new GroupCycle(f.name);
      const body = this.lookup(f.name);
      if (!body) return BDD_FALSE;
      group = f.name;
    } else if (f.op !== 'not' && f.args.length === 0) return f.op === 'or' ? BDD_FALSE : BDD_TRUE;
    if (depth >= RECURSION_LIMIT) return this.encodeDeep(f);
    const started = this.bdd.stepCount;
    try {
      let value: number;
      if (f.op === 'group') {
        this.expanding.add(f.name);
        value = this.encodeRec(this.lookup(f.name) as Formula, depth + 1);
        this.expanding.delete(f.name);
        this.groupNodes.set(f.name, value);
      } else if (f.op === 'not') value = this.bdd.not(this.encodeRec(f.arg, depth + 1));
      else {
        const vals = new Array<number>(f.args.length);
        for (let i = 0; i < f.args.length; i++) {
          const a = f.args[i] as Formula;
          vals[i] = this.encodeRec(f.op === 'and' && a.op === 'not' ? a.arg : a, depth + 1);
        }
        value = this.combine(f, vals);
      }
      this.formulas.set(f, value);
      return value;
    } catch (e) {
      this.noteFailure(e, f, started);
      throw e;
    } finally {
      if (group !== undefined && this.groupNodes.get(group) === undefined) this.expanding.delete(group);
    }
  }

  /**
   * Remembers `f` as failed when its encoding alone (nearly all of the query's steps, or the stack) failed: it
   * started within the first eighth of the step budget.
   */
  private noteFailure(e: unknown, f: Formula, started: number): void {
    const reason = reasonOf(e);
    if ((reason === 'step-budget' || reason === 'too-deep') && started <= this.stepBudget / 8) {
      this.failed.set(f, e as Error);
      this.anyFailed = true;
    }
  }

  /**
   * `encode` for deep formulas: a post-order walk with an explicit stack. The operands of an `and` / `or` are combined
   * as a balanced tree, so a long flat chain costs O(n log n) steps instead of O(n²).
   */
  private encodeDeep(root: Formula): number {
    const bdd = this.bdd;
    type Frame = { f: Formula; kids: Formula[]; vals: number[]; started: number; group?: string };
    const stack: Frame[] = [];
    let value = BDD_FALSE;
    let next: Formula | undefined = root;
    try {
      for (;;) {
        if (next) {
          const f: Formula = next;
          next = undefined;
          const cached = this.formulas.get(f);
          const failure = cached === undefined ? this.failed.get(f) : undefined;
          if (failure) throw failure;
          if (cached !== undefined) value = cached;
          else if (f.op === 'const') value = f.value ? BDD_TRUE : BDD_FALSE;
          else if (f.op === 'atom') value = this.layout.encodeAtom(f.atom);
          else if (f.op === 'group') {
            const g = this.groupNodes.get(f.name);
            if (g !== undefined) value = g;
            else {
              if (this.expanding.has(f.name)) throw new GroupCycle(f.name);
              const body = this.lookup(f.name);
              if (!body) value = BDD_FALSE;
              else {
                this.expanding.add(f.name);
                stack.push({ f, kids: [body], vals: [], started: bdd.stepCount, group: f.name });
                next = body;
              }
            }
          } else {
            // Negated conjuncts are kept as `y` and applied last as `r ∧ ¬y`, without building `¬y` (a policy minus
            // the policies before it).
            const kids =
              f.op === 'not'
                ? [f.arg]
                : f.op === 'and'
                  ? f.args.map((a) => (a.op === 'not' ? a.arg : a))
                  : f.args;
            if (kids.length === 0) value = f.op === 'or' ? BDD_FALSE : BDD_TRUE;
            else {
              stack.push({ f, kids, vals: [], started: bdd.stepCount });
              next = kids[0];
            }
          }
          if (next) continue;
        }
        const top = stack[stack.length - 1];
        if (!top) return value;
        top.vals.push(value);
        if (top.vals.length < top.kids.length) {
          next = top.kids[top.vals.length];
          continue;
        }
        stack.pop();
        value = this.combine(top.f, top.vals);
        if (top.group !== undefined) {
          this.expanding.delete(top.group);
          this.groupNodes.set(top.group, value);
        }
        this.formulas.set(top.f, value);
      }
    } catch (e) {
      for (const frame of stack) this.noteFailure(e, frame.f, frame.started);
      throw e;
    }
  }

  /** The BDD of a node from its operands' BDDs (see `encode` for `and`'s negated operands). */
  private combine(f: Formula, vals: number[]): number {
    const bdd = this.bdd;
    switch (f.op) {
      case 'group':
        return vals[0] as number;
      case 'not':
        return bdd.not(vals[0] as number);
      case 'or':
        return balanced(vals, BDD_FALSE, (a, b) => bdd.or(a, b));
      case 'and': {
        const pos: number[] = [];
        const neg: number[] = [];
        f.args.forEach((a, i) => {
          (a.op === 'not' ? neg : pos).push(vals[i] as number);
        });
        let r = balanced(pos, BDD_TRUE, (a, b) => bdd.and(a, b));
        for (const y of neg) {
          if (r === BDD_FALSE) break;
          r = bdd.andNot(r, y);
        }
        return r;
      }
      default:
        // INVARIANT: leaves never reach `combine`.
        return BDD_FALSE;
    }
  }

  /**
   * An answer whose witness satisfies `u ∧ v` (`u ∧ ¬v` when `negate`), built when `witness` is first read (most
   * answers a linter gets are never reported): from the path that sets the fewest variables if that is quick to
   * find, else from the first path in the order of the check that decided the answer (an exact-memo replay of that
   * check, so it costs no more than the check plus one path). Both searches are pure and need no live manager, so a
   * witness stays valid after a reset.
   * After the first read the witness is an ordinary data property.
   */
  private withWitness<R extends boolean>(
    result: R,
    u: number,
    v: number,
    negate: boolean,
    a: Formula,
    b?: Formula,
  ): { result: R; witness: Identity } {
    // INVARIANT: called only after the satisfiability check that decided `result`, so a path exists.
    const engine = this;
    const { bdd, layout, theory } = this;
    // An accessor in the literal (no descriptor object, no runtime call): most answers are never read.
    const out = {
      result,
      get witness(): Identity {
        const path = bdd.minOnesPath(u, v, negate) ?? bdd.firstPath(u, v, negate) ?? [];
        const mentions = engine.mentions(a) | (b === undefined ? 0 : engine.mentions(b));
        const witness = identityOf(layout.read(path), theory, mentions);
        Object.defineProperty(out, 'witness', {
          value: witness,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        return witness;
      },
    };
    return out;
  }

  satisfiable(f: Formula): SatResult {
    return this.run((): SatResult => {
      const u = this.encode(f);
      return u === BDD_FALSE ? { result: false } : this.withWitness(true, u, BDD_TRUE, false, f);
    });
  }

  valid(f: Formula): CheckResult {
    return this.run((): CheckResult => {
      const u = this.encode(f);
      if (u === BDD_TRUE) return { result: true };
      return this.withWitness(false, BDD_TRUE, u, true, f);
    });
  }

  implies(a: Formula, b: Formula): CheckResult {
    return this.run((): CheckResult => {
      const u = this.encode(a);
      const v = this.encode(b);
      if (!this.bdd.andNotSat(u, v)) return { result: true };
      return this.withWitness(false, u, v, true, a, b);
    });
  }

  disjoint(a: Formula, b: Formula): CheckResult {
    return this.run((): CheckResult => {
      const u = this.encode(a);
      const v = this.encode(b);
      if (!this.bdd.andSat(u, v)) return { result: true };
      return this.withWitness(false, u, v, false, a, b);
    });
  }

  equivalent(a: Formula, b: Formula): CheckResult {
    return this.run((): CheckResult => {
      const u = this.encode(a);
      const v = this.encode(b);
      if (u === v) return { result: true };
      if (this.bdd.andNotSat(u, v)) return this.withWitness(false, u, v, true, a, b);
      // INVARIANT: u ≠ v and u ⇒ v, so v ∧ ¬u is satisfiable; checked anyway so the witness search stays bounded.
      return this.bdd.andNotSat(v, u) ? this.withWitness(false, v, u, true, a, b) : { result: true };
    });
  }

  witnessFor(f: Formula): Identity | undefined {
    const r = this.satisfiable(f);
    return r.result === true ? r.witness : undefined;
  }

  /**
   * Which attributes every request has (a source IP, a user's risk level) a formula mentions, groups expanded:
   * a witness must then carry them, even where its path leaves them free. Iterative and memoised.
   */
  private mentions(root: Formula): Mentions {
    const hit = this.mentionMemo.get(root);
    if (hit !== undefined) return hit;
    let mask = 0;
    const seen = new Set<Formula | string>();
    const stack: Formula[] = [root];
    for (let f = stack.pop(); f; f = stack.pop()) {
      const known = this.mentionMemo.get(f);
      if (known !== undefined) mask |= known;
      else if (seen.has(f)) continue;
      else if (f.op === 'atom')
        mask |= f.atom.sel === 'ip' ? MENTIONS_IP : f.atom.sel === 'user_risk_score' ? MENTIONS_RISK : 0;
      else if (f.op === 'not') stack.push(f.arg);
      else if (f.op === 'and' || f.op === 'or') for (const arg of f.args) stack.push(arg);
      else if (f.op === 'group' && !seen.has(f.name)) {
        seen.add(f.name);
        const body = this.lookup(f.name);
        if (body) stack.push(body);
      }
      seen.add(f);
    }
    this.mentionMemo.set(root, mask);
    return mask;
  }

  equivalenceClasses(formulas: readonly Formula[]): { classes: number[][]; incomplete: number[] } {
    // Node ids are only comparable within one manager: encode until a whole pass ran without a reset (a pass
    // registers every value it meets, so the next one rarely needs a wider layout).
    for (let pass = 0; ; pass++) {
      const generation = this.resets;
      const nodes: (number | undefined)[] = formulas.map((f) => {
        const r = this.run(() => this.encode(f));
        return typeof r === 'number' ? r : undefined;
      });
      if (this.resets !== generation && pass < 3) continue;
      const byNode = new Map<number, number[]>();
      const incomplete: number[] = [];
      nodes.forEach((u, i) => {
        if (u === undefined || this.resets !== generation) incomplete.push(i);
        else {
          const cls = byNode.get(u);
          if (cls) cls.push(i);
          else byNode.set(u, [i]);
        }
      });
      return { classes: [...byNode.values()], incomplete };
    }
  }

  stats(): AnalyzerStats {
    return {
      nodes: this.bdd.nodeCount,
      resets: this.resets,
      variables: this.layout.variableCount,
      steps: this.spent,
      questions: this.questions,
    };
  }
}

/** `op` over `vals` combined pairwise, level by level (a balanced tree); `unit` when there are none. */
function balanced(vals: number[], unit: number, op: (a: number, b: number) => number): number {
  if (vals.length === 0) return unit;
  let level = vals;
  while (level.length > 1) {
    const up: number[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const b = level[i + 1];
      up.push(b === undefined ? (level[i] as number) : op(level[i] as number, b));
    }
    level = up;
  }
  return level[0] as number;
}

/** A fresh analyzer; keep one per project (or per app) so its caches serve every question about it. */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  return new Engine(options);
}
