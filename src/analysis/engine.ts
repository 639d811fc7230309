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
 * - BDDs are cached per formula object (a `Map` for the manager's life, every sub-formula but atoms, which the
 *   layout encodes again from its own caches faster than a lookup) and per group name, so the O(n²) pairwise
 *   questions of a linter cost one memoised apply each. `implies` and `disjoint` never build the
 *   conjunction; equivalence is a node-id comparison. Build a union of many policies incrementally as nested binary
 *   `or`s (`{ op: 'or', args: [previousUnion, next] }`) to reuse the previous union's BDD, or ask `impliesUnion`,
 *   which never builds it: it takes out of `f` only the parts that match its plainest remaining identity.
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
import { Encoder, FailedFormulas, GroupCycle } from './encode.js';
import { Layout, LayoutTooNarrow } from './layout.js';
import { LazyWitness, PlainestWitness, type WitnessSource } from './lazy-witness.js';
import { MentionsMemo } from './mentions.js';
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
import type { Mentions } from './witness.js';

export type * from './types.js';

/** The questions `run` asks; `encode` only encodes (its answer is the node). */
type Question = 'encode' | 'satisfiable' | 'valid' | 'implies' | 'disjoint' | 'equivalent' | 'implies-union';
type Answer = number | SatResult | CheckResult;
const NO_PARTS: readonly Formula[] = [];

const DEFAULT_BUDGET = 1_000_000;
const DEFAULT_STEPS = 4_000_000;
/**
 * With `sizeFor`, the manager holds this many nodes per atom of those formulas (a lint run of the generated bench
 * projects takes about 3.3)…
 */
const NODES_PER_ATOM = 32;
/** …up to this many (160 MB)… */
const MAX_SIZED_NODES = 8_000_000;
/**
 * …with room for this many per atom from the start (the unique table is as long as the room: a shorter one is read
 * with fewer cache misses, and grows when needed).
 */
const INITIAL_NODES_PER_ATOM = 4;
const MAX_RELAYOUTS = 64;
const MAX_CACHE_BITS = 18;

function reasonOf(e: unknown): IncompleteReason {
  if (e instanceof BddBudgetExceeded) return e.kind === 'nodes' ? 'node-budget' : 'step-budget';
  if (e instanceof GroupCycle) return 'group-cycle';
  if (e instanceof TheoryLimitExceeded) return 'too-many-values';
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'too-deep';
  return 'internal-error';
}

class Engine implements Analyzer, WitnessSource {
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
  readonly theory = new Theory();
  private layout: Layout;
  /** Formulas to BDDs on the current manager (replaced with it). */
  private encoder: Encoder;
  private readonly mentioned: MentionsMemo;
  /** Formulas whose encoding alone exceeded the step budget or the stack (kept across resets). */
  private readonly failed = new FailedFormulas();
  private resets = 0;
  /** The parts of the `impliesUnion` question being answered, and their BDDs. */
  private unionParts: readonly Formula[] = NO_PARTS;
  private unionCount = 0;
  private readonly partNodes: number[] = [];
  /** Which list and which encoder (so which manager) `partNodes` belong to. */
  private partsOf: readonly Formula[] | undefined;
  private partsEncoder: Encoder | undefined;
  private readonly expected: DomainSizes | undefined;

  constructor(options: AnalyzerOptions) {
    this.lookup = options.groups;
    this.mentioned = new MentionsMemo(this.lookup);
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
    this.encoder = this.newEncoder();
  }

  private newEncoder(): Encoder {
    return new Encoder(this.bdd, this.layout, this.lookup, this.failed, this.stepBudget);
  }

  private newBdd(): Bdd {
    // A quarter as many cache entries as nodes the manager may hold, at most 2^18 (4 MB): on the 10 MB bench file a
    // cache four times longer saved 5 % of the steps and took 12 MB more, most of it read with cache misses.
    const cacheBits = Math.max(10, Math.min(MAX_CACHE_BITS, Math.ceil(Math.log2(this.capacity)) - 2));
    // Room from the start for the nodes the expected formulas take, instead of doubling up to it.
    const initialNodes = this.expected ? INITIAL_NODES_PER_ATOM * this.expected.atoms : undefined;
    return new Bdd({ maxNodes: this.capacity, maxSteps: this.stepBudget, cacheBits, initialNodes });
  }

  /** Drops the manager and every cached BDD; the new layout is sized for the values seen so far. */
  private reset(): void {
    this.bdd = this.newBdd();
    this.layout = new Layout(this.theory, this.bdd, this.expected);
    this.encoder = this.newEncoder();
    this.resets++;
  }

  /**
   * Runs one question. A full manager is dropped and the question retried once on a fresh one; a value that does
   * not fit the layout moves to a wider one (widths double, so this happens a few times per attribute at most).
   */
  private run(kind: Question, a: Formula, b: Formula = a): Answer | Incomplete {
    this.questions++;
    let retried = false;
    for (let relayouts = 0; ; ) {
      const remaining = this.totalSteps - this.spent;
      if (remaining <= 0) return { result: 'incomplete', reason: 'run-budget' };
      const limit = Math.min(this.stepBudget, remaining);
      const bdd = this.bdd; // a reset below replaces it; its steps still count
      const before = bdd.nodeCount;
      bdd.resetSteps(limit, this.questionNodes);
      this.encoder.startQuestion();
      try {
        return this.answer(kind, a, b);
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

  /** An answer whose witness (satisfying `u ∧ v`, or `u ∧ ¬v` when `negate`) is decoded when first read. */
  private withWitness<R extends boolean>(
    result: R,
    u: number,
    v: number,
    negate: boolean,
    a: Formula,
    b?: Formula,
  ): { result: R; witness: Identity } {
    // INVARIANT: called only after the satisfiability check that decided `result`, so a path exists.
    const answer = new LazyWitness(result, this, this.bdd, this.layout, u, v, negate, a, b);
    return answer as unknown as { result: R; witness: Identity };
  }

  /** @internal For `LazyWitness`. */
  mentions(f: Formula): Mentions {
    return this.mentioned.of(f);
  }

  /** One attempt at a question (`run` retries it on a fresh manager); no closure per question. */
  private answer(kind: Question, a: Formula, b: Formula): Answer {
    const u = this.encoder.encode(a);
    switch (kind) {
      case 'encode':
        return u;
      case 'satisfiable':
        return u === BDD_FALSE ? { result: false } : this.withWitness(true, u, BDD_TRUE, false, a);
      case 'valid':
        return u === BDD_TRUE ? { result: true } : this.withWitness(false, BDD_TRUE, u, true, a);
      case 'implies-union':
        return this.impliesParts(u, a);
      default:
    }
    const v = b === a ? u : this.encoder.encode(b);
    switch (kind) {
      case 'implies':
        return this.bdd.andNotSat(u, v) ? this.withWitness(false, u, v, true, a, b) : { result: true };
      case 'disjoint':
        return this.bdd.andSat(u, v) ? this.withWitness(false, u, v, false, a, b) : { result: true };
      default:
        if (u === v) return { result: true };
        if (this.bdd.andNotSat(u, v)) return this.withWitness(false, u, v, true, a, b);
        // INVARIANT: u ≠ v and u ⇒ v, so v ∧ ¬u is satisfiable; checked anyway so the witness search stays bounded.
        return this.bdd.andNotSat(v, u) ? this.withWitness(false, v, u, true, a, b) : { result: true };
    }
  }

  /**
   * Whether `u` (the BDD of `f`) implies the union of the current parts, without building it: take the plainest
   * identity left in `u` (low edges first); if no part matches it, it is the counterexample; else remove that part
   * from `u` and look again. Each part is removed at most once, and only parts that overlap `f` are ever built on.
   */
  private impliesParts(u: number, f: Formula): CheckResult {
    const bdd = this.bdd;
    const parts = this.unionParts;
    const count = this.unionCount;
    // The parts' BDDs are kept while the same list is asked about on the same manager (an app asks about each of
    // its policies against those before it, in order).
    const vs = this.partNodes;
    if (this.partsOf !== parts || this.partsEncoder !== this.encoder) {
      vs.length = 0;
      this.partsOf = parts;
      this.partsEncoder = this.encoder;
    }
    for (let j = vs.length; j < count; j++) vs.push(this.encoder.encode(parts[j] as Formula));
    for (let rest = u; rest !== BDD_FALSE; ) {
      const path = bdd.lowTruePath(rest);
      let hit = -1;
      for (let j = 0; j < count && hit < 0; j++) if (bdd.holdsOn(vs[j] as number, path)) hit = j;
      if (hit < 0) {
        const witness = new PlainestWitness(this, bdd, this.layout, rest, f, parts, count);
        return witness as unknown as CheckResult;
      }
      rest = bdd.andNot(rest, vs[hit] as number);
    }
    return { result: true };
  }

  satisfiable(f: Formula): SatResult {
    return this.run('satisfiable', f) as SatResult;
  }

  valid(f: Formula): CheckResult {
    return this.run('valid', f) as CheckResult;
  }

  implies(a: Formula, b: Formula): CheckResult {
    return this.run('implies', a, b) as CheckResult;
  }

  disjoint(a: Formula, b: Formula): CheckResult {
    return this.run('disjoint', a, b) as CheckResult;
  }

  equivalent(a: Formula, b: Formula): CheckResult {
    return this.run('equivalent', a, b) as CheckResult;
  }

  plainestMatches(f: Formula): boolean | undefined {
    const u = this.run('encode', f);
    // INVARIANT: every assignment of the encoding is an identity Access can see (theory.ts), the all-false one too.
    return typeof u === 'number' ? this.bdd.lowest(u) : undefined;
  }

  impliesUnion(f: Formula, parts: readonly Formula[], count = parts.length): CheckResult {
    this.unionParts = parts;
    this.unionCount = Math.min(count, parts.length);
    try {
      return this.run('implies-union', f) as CheckResult;
    } finally {
      this.unionParts = NO_PARTS;
    }
  }

  witnessFor(f: Formula): Identity | undefined {
    const r = this.satisfiable(f);
    return r.result === true ? r.witness : undefined;
  }

  equivalenceClasses(formulas: readonly Formula[]): { classes: number[][]; incomplete: number[] } {
    // Node ids are only comparable within one manager: encode until a whole pass ran without a reset (a pass
    // registers every value it meets, so the next one rarely needs a wider layout).
    for (let pass = 0; ; pass++) {
      const generation = this.resets;
      const nodes: (number | undefined)[] = formulas.map((f) => {
        const r = this.run('encode', f);
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

/** A fresh analyzer; keep one per project (or per app) so its caches serve every question about it. */
export function createAnalyzer(options: AnalyzerOptions): Analyzer {
  return new Engine(options);
}
