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

/**
 * Up to this many earlier policies, a shadowing question is `Analyzer.impliesUnion` (a walk per earlier policy, and
 * nothing built for those that do not overlap) and an overlap search asks each earlier region in turn; past it, the
 * prefix unions, shared by every policy of the app, are cheaper.
 */
const FEW_PARTS = 32;

export const isIncomplete = (r: SatResult | CheckResult): r is Incomplete => r.result === 'incomplete';

/**
 * The questions several rules ask about one app, each answered once per run: whether each policy can match, what
 * is decided before it, what it decides itself (its *effective* region), and who gets through.
 */
export class AppAnalysis {
  /**
   * `before[i]`: the identities decided by the policies evaluated before policy i, as a chain of binary `or`s (each
   * link made when first needed: most apps never need the later ones).
   */
  private readonly before: Formula[] = [FALSE];
  private readonly shadows: (CheckResult['result'] | undefined)[] = [];
  private readonly effectives: Formula[] = [];
  private granted: Formula | undefined;
  private bypassed: Formula | undefined;
  private grantAll: Formula | undefined;
  private allowPrefix: Formula[] | undefined;
  /** `before[0..warmed)` are encoded in the engine. */
  private warmed = 0;

  /** The policies' conditions, in evaluation order. */
  private readonly formulas: Formula[] = [];
  /** `sat(i)`, kept here too: several rules ask it of every policy, and an array is quicker than the run's map. */
  private readonly sats: SatResult[] = [];

  constructor(
    readonly order: AppOrder,
    private readonly ctx: RuleContext<unknown>,
  ) {
    for (const p of order.policies) this.formulas.push(p.policy.formula);
  }

  get policies(): readonly OrderedPolicy[] {
    return this.order.policies;
  }

  /** Does policy i match anyone at all? */
  sat(i: number): SatResult {
    let r = this.sats[i];
    if (!r) {
      r = policySat(this.ctx, this.formulas[i] as Formula);
      this.sats[i] = r;
    }
    return r;
  }

  /** Make and encode `before[0..i]` link by link (see `warm`); `before[n]` is every policy of the app. */
  private warmBefore(i: number): void {
    const last = Math.min(i, this.formulas.length);
    for (let k = this.before.length; k <= last; k++) {
      this.before.push(or2(this.before[k - 1] as Formula, this.formulas[k - 1] as Formula));
    }
    for (; this.warmed <= i && this.warmed < this.before.length; this.warmed++) {
      warm(this.ctx, this.before[this.warmed] as Formula);
    }
  }

  /**
   * Is everyone policy i matches decided before it? (`true`: shadowed.) Only the answer is kept, not its witness:
   * every policy of every app is asked about, and the rules that ask look for the shadowers' own witness.
   */
  shadowed(i: number): CheckResult['result'] {
    let r = this.shadows[i];
    if (r === undefined) {
      const analyzer = this.ctx.analyzer();
      const f = this.formulas[i] as Formula;
      if (i <= FEW_PARTS) r = analyzer.impliesUnion(f, this.formulas, i).result;
      else {
        this.warmBefore(i);
        r = analyzer.implies(f, this.before[i] as Formula).result;
      }
      this.shadows[i] = r;
    }
    return r;
  }

  /** The identities policy i decides: it matches them and no earlier policy does. */
  effective(i: number): Formula {
    let f = this.effectives[i];
    if (!f) {
      this.warmBefore(i);
      f = andNot(this.formulas[i] as Formula, this.before[i] as Formula);
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

  /**
   * Whether no policy `pick` accepts matches the plainest identity (`Analyzer.plainestMatches`): then their union
   * is not everyone, known without building it. An incomplete answer counts as a match.
   */
  plainestMissedBy(pick: (p: OrderedPolicy) => boolean): boolean {
    const analyzer = this.ctx.analyzer();
    return this.policies.every((p) => !pick(p) || analyzer.plainestMatches(p.policy.formula) === false);
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

  /**
   * The policies j < `limit` among `among` (every policy, or the allow policies) whose effective region overlaps `f`,
   * in order, at most `max` of them; `more` tells whether there are others. `undefined` when a question is incomplete.
   * The regions are disjoint, so with few policies before `limit` each region is asked about in turn and nothing is
   * built; with many, binary searches over the prefix unions (the union of the regions before m grows with m, so "f
   * overlaps it" is monotone in m) find each policy in O(log n) questions instead of one per earlier policy.
   * `search` forces one way (a test checks both find the same).
   */
  overlapping(
    f: Formula,
    among: 'policies' | 'allows',
    limit: number,
    max: number,
    search: 'regions' | 'prefixes' = limit <= FEW_PARTS ? 'regions' : 'prefixes',
  ): { found: number[]; more: boolean } | undefined {
    const analyzer = this.ctx.analyzer();
    const found: number[] = [];
    if (search === 'regions') {
      for (let j = 0; j < limit; j++) {
        if (among === 'allows' && (this.policies[j] as OrderedPolicy).policy.decision !== 'allow') continue;
        const met = analyzer.disjoint(f, this.effective(j));
        if (met.result === 'incomplete') return undefined;
        if (met.result === true) continue;
        if (found.length >= max) return { found, more: true };
        found.push(j);
      }
      return { found, more: false };
    }
    const prefix = (m: number): Formula => (among === 'allows' ? this.allowedBefore(m) : this.beforeAt(m));
    let rest = f;
    let lo = 0;
    const meets = (m: number): boolean | undefined => {
      const r = analyzer.disjoint(rest, prefix(m));
      return r.result === 'incomplete' ? undefined : r.result === false;
    };
    for (;;) {
      const any = meets(limit);
      if (any === undefined) return undefined;
      if (!any) return { found, more: false };
      if (found.length >= max) return { found, more: true };
      // The smallest m in (lo, limit] with `rest` overlapping prefix(m): policy m - 1 is the next one found.
      // Galloping from `lo` (the next one is usually near), then a binary search in the last step.
      let low = lo + 1;
      let hi = limit;
      for (let step = 1; low < limit; step *= 2) {
        const probe = Math.min(limit, lo + step);
        const r = meets(probe);
        if (r === undefined) return undefined;
        if (r) {
          hi = probe;
          break;
        }
        low = probe + 1;
      }
      while (low < hi) {
        const mid = (low + hi) >>> 1;
        const r = meets(mid);
        if (r === undefined) return undefined;
        if (r) hi = mid;
        else low = mid + 1;
      }
      found.push(hi - 1);
      rest = andNot(rest, prefix(hi));
      lo = hi;
    }
  }

  /** `before[m]`, encoded (the union of every policy's region before policy m). */
  private beforeAt(m: number): Formula {
    this.warmBefore(m);
    return this.before[m] as Formula;
  }

  /** The union of the effective regions of the allow policies before policy m. */
  private allowedBefore(m: number): Formula {
    if (!this.allowPrefix) {
      this.allowPrefix = [FALSE];
    }
    for (let k = this.allowPrefix.length; k <= m; k++) {
      const prev = this.allowPrefix[k - 1] as Formula;
      const p = this.policies[k - 1] as OrderedPolicy;
      const next = p.policy.decision === 'allow' ? or2(prev, this.effective(k - 1)) : prev;
      if (next !== prev) warm(this.ctx, next);
      this.allowPrefix.push(next);
    }
    return this.allowPrefix[m] as Formula;
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

const newSatCache = () => new Map<Formula, SatResult>();

/** Whether a policy's condition matches anybody; answered once per policy of the project. */
export function policySat(ctx: RuleContext<unknown>, formula: Formula): SatResult {
  const cache = ctx.shared('policy-sat', newSatCache);
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
