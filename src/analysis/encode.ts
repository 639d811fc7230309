/**
 * Formulas to BDDs on one manager and layout (`engine.ts` makes a new encoder with each new manager): every
 * sub-formula's BDD cached by object and every group's by name.
 */

import type { Formula } from '../model/formula.js';
import { BDD_FALSE, BDD_TRUE, type Bdd, BddBudgetExceeded, balanced } from './bdd.js';
import type { Layout } from './layout.js';

/** Thrown when a code-defined group contains itself. */
export class GroupCycle extends Error {}

/** Formula depth encoded by recursion; deeper levels are walked iteratively (`encodeDeep`). */
const RECURSION_LIMIT = 200;

/** Formulas whose encoding alone exceeded the step budget or the stack, kept across managers. */
export class FailedFormulas {
  private readonly failed = new WeakMap<Formula, Error>();
  /** Whether anything failed (most runs: never, so encoding skips the lookup). */
  private any = false;

  get(f: Formula): Error | undefined {
    return this.any ? this.failed.get(f) : undefined;
  }

  set(f: Formula, e: Error): void {
    this.failed.set(f, e);
    this.any = true;
  }
}

export class Encoder {
  /**
   * A `Map`, not a `WeakMap`: the encoder lives for one run (or one manager), whose formulas are alive anyway, and a
   * map of a million entries is cheaper to keep without ephemerons.
   */
  private readonly formulas = new Map<Formula, number>();
  private readonly groupNodes = new Map<string, number>();
  private readonly expanding = new Set<string>();
  /** Operand BDDs of the nodes being combined, a stack shared by every level of `encodeRec` and by `combine`. */
  private readonly values: number[] = [];

  constructor(
    private readonly bdd: Bdd,
    private readonly layout: Layout,
    private readonly lookup: (name: string) => Formula | undefined,
    private readonly failed: FailedFormulas,
    private readonly stepBudget: number,
  ) {}

  /** Forgets the groups being expanded by an interrupted question (call before each question). */
  startQuestion(): void {
    if (this.expanding.size > 0) this.expanding.clear();
    // An interrupted question may have left operands behind.
    this.values.length = 0;
  }

  /**
   * The BDD of `root`; every sub-formula's BDD is cached by object and every group's by name, so a group used many
   * times (or by many groups) is encoded once. Shallow formulas (nearly all of them) are encoded by plain recursion,
   * which allocates nothing; past `RECURSION_LIMIT` levels the iterative walk (`encodeDeep`) takes over, so neither
   * long chains of groups nor deep formulas can overflow the stack. Both visit operands in order and combine them
   * alike (`combine`), so they build the same nodes in the same order. A formula whose encoding alone ran out of steps
   * or stack is remembered, so later questions about it give up at once.
   */
  encode(root: Formula): number {
    return this.encodeRec(root, 0);
  }

  private encodeRec(f: Formula, depth: number): number {
    // Leaves are not kept in `formulas`: an atom is quicker to encode again (its layout caches its parts) than to
    // look up among a million formulas.
    if (f.op === 'atom') return this.layout.encodeAtom(f.atom);
    if (f.op === 'const') return f.value ? BDD_TRUE : BDD_FALSE;
    // A group reference is looked up by name only: every `group("…")` written is an object of its own, and keeping
    // each in `formulas` too would add hundreds of thousands of entries that are never looked up again.
    if (f.op === 'group') {
      const g = this.groupNodes.get(f.name);
      if (g !== undefined) return g;
    }
    const cached = this.formulas.get(f);
    if (cached !== undefined) return cached;
    const failure = this.failed.get(f);
    if (failure) throw failure;
    let group: string | undefined;
    if (f.op === 'group') {
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
        return value;
      } else if (f.op === 'not') value = this.bdd.not(this.encodeRec(f.arg, depth + 1));
      else {
        // The operands' BDDs go on `this.values` (each level above the ones below it, so nothing is allocated).
        const values = this.values;
        const base = values.length;
        for (let i = 0; i < f.args.length; i++) {
          const a = f.args[i] as Formula;
          const v = this.encodeRec(f.op === 'and' && a.op === 'not' ? a.arg : a, depth + 1);
          values.push(v);
        }
        value = this.combine(f, values, base);
        values.length = base;
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
    const ownFailure =
      (e instanceof BddBudgetExceeded && e.kind === 'steps') ||
      (e instanceof RangeError && /call stack/i.test(e.message));
    if (ownFailure && started <= this.stepBudget / 8) this.failed.set(f, e as Error);
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
        value = this.combine(top.f, top.vals, 0);
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

  /**
   * The BDD of a node from its operands' BDDs, `vals[base ..]` (see `encode` for `and`'s negated operands). Works in
   * place on `vals` from `base` on, which it may overwrite.
   */
  private combine(f: Formula, vals: number[], base: number): number {
    const bdd = this.bdd;
    switch (f.op) {
      case 'group':
        return vals[base] as number;
      case 'not':
        return bdd.not(vals[base] as number);
      case 'or':
        return balanced(bdd, vals, base, vals.length, BDD_FALSE, false);
      case 'and': {
        // Negated operands move to the end of `vals` (in order), the others to the front, also in order.
        const n = vals.length - base;
        let negatives = 0;
        for (let i = 0; i < n; i++) {
          if ((f.args[i] as Formula).op === 'not') {
            vals.push(vals[base + i] as number);
            negatives++;
          }
        }
        let kept = base;
        for (let i = 0; i < n; i++) {
          if ((f.args[i] as Formula).op !== 'not') vals[kept++] = vals[base + i] as number;
        }
        let r = balanced(bdd, vals, base, kept, BDD_TRUE, true);
        for (let i = vals.length - negatives; i < vals.length; i++) {
          if (r === BDD_FALSE) break;
          r = bdd.andNot(r, vals[i] as number);
        }
        return r;
      }
      default:
        // INVARIANT: leaves never reach `combine`.
        return BDD_FALSE;
    }
  }
}
