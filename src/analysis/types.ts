import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';

/** The analysis engine's public vocabulary: its questions, answers, budgets (implemented by `engine.ts`). */

/** Why a question could not be answered. */
export type IncompleteReason =
  /** The BDD for the question needs more new nodes than `budget.nodes`. */
  | 'node-budget'
  /** The question needs more than `budget.steps` BDD steps. */
  | 'step-budget'
  /** The analyzer has spent `budget.totalSteps` on earlier questions. */
  | 'run-budget'
  /** A code-defined group contains itself. */
  | 'group-cycle'
  /** A formula or BDD is nested too deeply for the stack. */
  | 'too-deep'
  /** More than 2^29 distinct values of one attribute (e.g. emails). */
  | 'too-many-values'
  /** An unexpected internal error (a bug); reported rather than thrown. */
  | 'internal-error';

export interface Incomplete {
  result: 'incomplete';
  reason: IncompleteReason;
}

/**
 * The answer to "does some identity match?". A witness accompanies every answer that asserts existence: here the
 * positive one, an identity that matches.
 */
export type SatResult = { result: true; witness: Identity } | { result: false } | Incomplete;

/**
 * The answer to a universal question (`implies`, `disjoint`, `equivalent`, `valid`): `true` when the property holds,
 * else `false` with a counterexample `witness` (an identity that exists and breaks the property).
 */
export type CheckResult = { result: true } | { result: false; witness: Identity } | Incomplete;

/** Limits of the engine's work; a question that needs more answers `incomplete`. */
export interface AnalyzerBudget {
  /**
   * Most BDD nodes one question may add (default 1,000,000; about 20 bytes each). The manager holds this many, or
   * with `sizeFor` as many as those formulas are expected to need (up to 8,000,000), and is dropped when full.
   */
  nodes?: number;
  /** Most BDD steps one question may take (default 4,000,000; roughly 100 ns each). */
  steps?: number;
  /**
   * Most BDD steps all questions of this analyzer may take together (default: no limit; `aclc lint` sets one). Past
   * it, every question answers `incomplete` (`run-budget`) at once, so a whole run is bounded whatever its input.
   */
  totalSteps?: number;
}

export interface AnalyzerOptions {
  /** Resolves a code-defined group to its formula (`undefined`: unknown or extern, matches nothing). */
  groups: (name: string) => Formula | undefined;
  /** The budget; a number is the node budget. */
  budget?: number | AnalyzerBudget;
  /**
   * The formulas the questions will be about (e.g. every group and policy of a project), when known up front: the
   * layout is sized for their values at once instead of widening, with a fresh manager each time, as they are met.
   * Answers do not depend on it.
   */
  sizeFor?: Iterable<Formula>;
}

export interface AnalyzerStats {
  /** Nodes in the current manager. */
  nodes: number;
  /** Times the manager was dropped (full, or a wider layout was needed). */
  resets: number;
  /** Identity variables allocated. */
  variables: number;
  /** BDD steps taken by every question so far. */
  steps: number;
  /** Questions asked so far (retries not counted twice). */
  questions: number;
}

export interface Analyzer {
  /** Does some identity match `f`? The witness matches `f`. */
  satisfiable(f: Formula): SatResult;
  /** Does every identity match `f`? The witness does not match `f`. */
  valid(f: Formula): CheckResult;
  /** Does every identity that matches `a` match `b`? The witness matches `a` and not `b`. */
  implies(a: Formula, b: Formula): CheckResult;
  /** Does no identity match both? The witness matches both. */
  disjoint(a: Formula, b: Formula): CheckResult;
  /** Do `a` and `b` match the same identities? The witness matches exactly one of them. */
  equivalent(a: Formula, b: Formula): CheckResult;
  /** An identity matching `f`, or `undefined` when none exists or the question is incomplete. */
  witnessFor(f: Formula): Identity | undefined;
  /**
   * Does the plainest identity match `f`: a user request from 0.0.0.0 with the first risk level, no service token,
   * certificate, group, claim, posture or list membership, and none of the emails, domains, countries or identity
   * providers the formulas name (the identity whose every variable in the encoding is false)?
   * Cheap (no node is built beyond `f`'s own) and exact: a formula it does not match is not valid, nor is any union
   * of such formulas. `undefined` when encoding `f` is incomplete.
   */
  plainestMatches(f: Formula): boolean | undefined;
  /**
   * `implies(f, or(parts[0 .. count)))` without building the union: the plainest identity left in `f` is tested
   * against each part, and a part that matches it is taken out of `f` before looking again, so only the parts that
   * overlap `f` are built on. The witness matches `f` and none of the parts (not necessarily the one `implies` gives).
   * Cheaper than the union for a few parts (each costs a walk per look), not for hundreds. Asking about one list
   * with a growing `count` reuses the parts' BDDs: do not change a list once asked about.
   */
  impliesUnion(f: Formula, parts: readonly Formula[], count?: number): CheckResult;
  /**
   * Partitions `formulas` into classes of equivalent ones (indices, each class ascending, classes by first index;
   * singletons included). Linear: equivalent formulas have the same BDD, so no pair is ever compared. Formulas
   * whose encoding is incomplete are left out of every class and listed in `incomplete`.
   */
  equivalenceClasses(formulas: readonly Formula[]): { classes: number[][]; incomplete: number[] };
  stats(): AnalyzerStats;
}
