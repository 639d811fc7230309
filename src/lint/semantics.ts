import type { CheckResult, Incomplete, SatResult } from '../analysis/engine.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { GroupLookup } from '../eval/formula.js';
import { projectGroups } from '../eval/source.js';
import { evaluatedFirst } from '../model/decision.js';
import { FALSE, type Formula } from '../model/formula.js';
import type { AppOrder, OrderedPolicy } from './order.js';
import type { RuleContext } from './rule.js';

/** Whether a decision lets the request through (allow, bypass, service_auth). */
export const grants = (p: OrderedPolicy): boolean => p.policy.decision !== 'deny';

/** Where to point at a policy inside an app: the inline policy's name, or the `use` line. */
export function spanInApp(p: OrderedPolicy): Span {
  return p.policy.inlineIn !== undefined ? p.policy.nameSpan : p.entry.span;
}

/** A nested binary `or`, so the engine reuses the BDD of `left` (it caches per formula object). */
const or2 = (left: Formula, right: Formula): Formula => ({ op: 'or', args: [left, right] });
const andNot = (f: Formula, not: Formula): Formula => ({ op: 'and', args: [f, { op: 'not', arg: not }] });

/**
 * Encode `f` in the engine without asking anything of it (`f ⇒ f` holds and needs no witness). Long chains of nested
 * binary nodes are warmed link by link, so that encoding never recurses deeper than one link.
 */
export function warm(ctx: RuleContext<unknown>, f: Formula): void {
  ctx.analyzer().implies(f, f);
}

export const isIncomplete = (r: SatResult | CheckResult): r is Incomplete => r.result === 'incomplete';

/**
 * The questions several rules ask about one app, each answered once per run: whether each policy can match, what
 * is decided before it, what it decides itself (its *effective* region), and who gets through.
 */
export class AppAnalysis {
  /** `before[i]`: the identities decided by the policies evaluated before policy i. */
  readonly before: Formula[] = [];
  private readonly shadows: (CheckResult | undefined)[] = [];
  private readonly effectives: Formula[] = [];
  private granted: Formula | undefined;
  private bypassed: Formula | undefined;
  private grantAll: Formula | undefined;
  /** `before[0..warmed)` are encoded in the engine. */
  private warmed = 0;

  constructor(
    readonly order: AppOrder,
    private readonly ctx: RuleContext<unknown>,
  ) {
    let union: Formula = FALSE;
    for (const p of order.policies) {
      this.before.push(union);
      union = or2(union, p.policy.formula);
    }
  }

  get policies(): readonly OrderedPolicy[] {
    return this.order.policies;
  }

  /** Does policy i match anyone at all? */
  sat(i: number): SatResult {
    return policySat(this.ctx, (this.policies[i] as OrderedPolicy).policy.formula);
  }

  /** Encode `before[0..i]` link by link (see `warm`). */
  private warmBefore(i: number): void {
    for (; this.warmed <= i && this.warmed < this.before.length; this.warmed++) {
      warm(this.ctx, this.before[this.warmed] as Formula);
    }
  }

  /** Is everyone policy i matches decided before it? (`true`: shadowed.) */
  shadowed(i: number): CheckResult {
    let r = this.shadows[i];
    if (!r) {
      this.warmBefore(i);
      r = this.ctx
        .analyzer()
        .implies((this.policies[i] as OrderedPolicy).policy.formula, this.before[i] as Formula);
      this.shadows[i] = r;
    }
    return r;
  }

  /** The identities policy i decides: it matches them and no earlier policy does. */
  effective(i: number): Formula {
    let f = this.effectives[i];
    if (!f) {
      this.warmBefore(i);
      f = andNot((this.policies[i] as OrderedPolicy).policy.formula, this.before[i] as Formula);
      this.effectives[i] = f;
    }
    return f;
  }

  /** Everyone a policy lets through (allow, bypass or service_auth decides them). */
  grantedRegion(): Formula {
    if (!this.granted) {
      let union: Formula = FALSE;
      this.policies.forEach((p, i) => {
        if (!grants(p)) return;
        union = or2(union, this.effective(i));
        warm(this.ctx, union);
      });
      this.granted = union;
    }
    return this.granted;
  }

  /**
   * Everyone some allow, bypass or service_auth policy matches, decided by it or not: a superset of
   * `grantedRegion()` that is cheap to build, for quick negative answers.
   */
  grantUnion(): Formula {
    if (!this.grantAll) {
      let union: Formula = FALSE;
      for (const p of this.policies) {
        if (!grants(p)) continue;
        union = or2(union, p.policy.formula);
        warm(this.ctx, union);
      }
      this.grantAll = union;
    }
    return this.grantAll;
  }

  /** Everyone a bypass or service_auth policy lets through without signing in. */
  bypassedRegion(): Formula {
    if (!this.bypassed) {
      let union: Formula = FALSE;
      for (const p of this.policies)
        if (evaluatedFirst(p.policy.decision)) union = or2(union, p.policy.formula);
      this.bypassed = union;
    }
    return this.bypassed;
  }

  /** Report that a question about this app gave up on its budget. */
  incomplete(what: string): void {
    this.ctx.incomplete(this.order.app.nameSpan, `${what} in app \`${this.order.app.name}\``);
  }
}

/** The analysis of every app, shared by all rules of a run. */
export function appAnalyses(ctx: RuleContext<unknown>): AppAnalysis[] {
  return ctx.shared('app-analyses', () => ctx.appOrders().map((order) => new AppAnalysis(order, ctx)));
}

/** Whether a policy's condition matches nobody; answered once per policy of the project. */
export function policySat(ctx: RuleContext<unknown>, formula: Formula): SatResult {
  const cache = ctx.shared('policy-sat', () => new WeakMap<Formula, SatResult>());
  let r = cache.get(formula);
  if (!r) {
    r = ctx.analyzer().satisfiable(formula);
    cache.set(formula, r);
  }
  return r;
}

/** The project's group lookup, as the evaluator expands groups. */
export function groupLookup(ctx: RuleContext<unknown>): GroupLookup {
  return ctx.shared('group-lookup', () => projectGroups(ctx.project));
}
