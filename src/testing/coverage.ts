import type { Span } from '../diagnostics/diagnostic.js';
import { decide, type ListName, type SourceIndex } from '../explain/trace.js';
import type { Identity } from '../model/identity.js';
import type { CompiledModel, Outcome } from './model.js';
import type { ExampleRun } from './run.js';

/** A region of an app's decision space: the identities one policy decides for, or that no policy matches. */
export interface RegionCoverage {
  /** The deciding policy (account name); absent for the no-match region. */
  policy?: string;
  /** The policy as written in the source. */
  source?: string;
  outcome: Outcome;
  span?: Span;
  /** How many examples land in the region. */
  examples: number;
  /** Whether any identity lands in it at all (an empty region needs no example). */
  reachable: boolean;
  /** An identity in the region, when no example reaches it. */
  witness?: Identity;
}

/** One rule of one policy: decisive when negating it changes some example's outcome. */
export interface TermCoverage {
  policy: string;
  list: ListName;
  text: string;
  span?: Span;
  decisive: boolean;
}

export interface AppCoverage {
  app: string;
  regions: RegionCoverage[];
  terms: TermCoverage[];
  /** Covered items (reached reachable regions + decisive terms) over all items, 0–100. */
  percent: number;
}

export interface CoverageReport {
  apps: AppCoverage[];
  covered: number;
  total: number;
  /** Over every app, 0–100 (100 for a project without items). */
  percent: number;
}

const percent = (covered: number, total: number): number =>
  total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10;

/**
 * Coverage of the decision space, not of lines: per app, which policies decided at least one example, which rules
 * were ever decisive (negating the rule's result changes that example's outcome or deciding policy), and which
 * reachable regions no example lands in, with a witness identity for each (proved reachable by the engine).
 */
export function computeCoverage(
  model: CompiledModel,
  index: SourceIndex,
  examples: readonly ExampleRun[],
): CoverageReport {
  const byApp = new Map<string, Identity[]>();
  for (const ex of examples)
    for (const app of ex.apps) {
      const list = byApp.get(app) ?? [];
      list.push(ex.identity);
      byApp.set(app, list);
    }
  const apps: AppCoverage[] = [];
  let covered = 0;
  let total = 0;
  for (const app of model.apps) {
    const ids = byApp.get(app.name) ?? [];
    const hits = new Array<number>(app.entries.length + 1).fill(0);
    const decided = ids.map((id) => decide(model, app, id));
    for (const d of decided) {
      const k = d.entry ?? app.entries.length;
      hits[k] = (hits[k] as number) + 1;
    }
    const regions = model.regions(app);
    const out: RegionCoverage[] = [];
    const region = (i: number): RegionCoverage => {
      const e = app.entries[i];
      const r: RegionCoverage = {
        outcome: e ? e.decision : 'none',
        examples: hits[i] as number,
        reachable: true,
      };
      if (e) {
        r.policy = e.policy.name;
        const def = index.policy(e.policy.name);
        r.source = def?.displayName ?? e.policy.name;
        if (def) r.span = def.nameSpan;
      }
      if (r.examples === 0) {
        const f = e ? (regions.decides[i] as (typeof regions.decides)[number]) : regions.outcome.none;
        const sat = model.analyzer.satisfiable(f);
        if (sat.result === true) r.witness = sat.witness;
        else r.reachable = sat.result === 'incomplete';
      }
      return r;
    };
    for (let i = 0; i <= app.entries.length; i++) out.push(region(i));
    const terms: TermCoverage[] = [];
    app.entries.forEach((e, entry) => {
      for (const list of ['include', 'require', 'exclude'] as const) {
        e.policy[list].forEach((rule, index_) => {
          const decisive = ids.some((id, k) => {
            const flipped = decide(model, app, id, { entry, list, index: index_ });
            const before = decided[k] as { outcome: Outcome; entry?: number };
            return flipped.outcome !== before.outcome || flipped.entry !== before.entry;
          });
          const t: TermCoverage = {
            policy: index.policy(e.policy.name)?.displayName ?? e.policy.name,
            list,
            text: index.text.rule(rule),
            decisive,
          };
          const span = index.span(e.policy.name, rule);
          if (span) t.span = span;
          terms.push(t);
        });
      }
    });
    const items = out.filter((r) => r.reachable).length + terms.length;
    const got =
      out.filter((r) => r.reachable && r.examples > 0).length + terms.filter((t) => t.decisive).length;
    covered += got;
    total += items;
    apps.push({ app: app.name, regions: out, terms, percent: percent(got, items) });
  }
  return { apps, covered, total, percent: percent(covered, total) };
}
