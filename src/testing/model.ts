import { type Analyzer, createAnalyzer } from '../analysis/engine.js';
import { executionOrder } from '../eval/order.js';
import type { CompiledProject, WireApp, WireGroup, WirePolicy } from '../model/compiled.js';
import type { Decision } from '../model/decision.js';
import type { Atom, Formula } from '../model/formula.js';
import {
  type ListMembers,
  listMembersOf,
  refFromWire,
  type WireRule,
  wireToAtom,
} from '../selectors/wire.js';

/** What Access decides: a policy's decision, or `none` when no policy matched (Access then denies). */
export type Outcome = Decision | 'none';

/** One policy of an app, in the order Access runs them. */
export interface ModelEntry {
  policy: WirePolicy;
  decision: Decision;
  precedence: number;
  /** The policy's compiled include / require / exclude lists as one condition. */
  formula: Formula;
}

/** One compiled app with its policies in execution order and, built on first use, its decision regions. */
export interface ModelApp {
  app: WireApp;
  name: string;
  tags: string[];
  entries: ModelEntry[];
}

/** The identities for which each outcome is reached, as conditions for the analysis engine. */
export interface Regions {
  /** Per entry (execution order): the identities that entry decides for (it matches, none before it does). */
  decides: Formula[];
  /** Per outcome: the identities with that outcome. */
  outcome: Record<Outcome, Formula>;
}

const FALSE: Formula = { op: 'const', value: false };

/**
 * The compiled configuration as the tests see it: Cloudflare's meaning of the rule lists (any include, every
 * require, no exclude; `group` rules naming a group of the document expand to its lists, others are account
 * groups) turned into `Formula`s, so the analysis engine proves invariants about exactly what will be deployed.
 */
export class CompiledModel {
  readonly apps: ModelApp[];
  readonly byName: Map<string, ModelApp>;
  readonly groups: Map<string, WireGroup>;
  /** The members of the document's lists: a rule naming one decides on them. */
  readonly lists: ListMembers;
  readonly analyzer: Analyzer;
  private readonly groupFormulas = new Map<string, Formula>();
  /** Each rule object read once: the document group it names, or its atom. */
  private readonly rules = new WeakMap<WireRule, { group?: string; atom?: Atom }>();
  private readonly regionCache = new Map<string, Regions>();
  private primed = false;

  /**
   * `analyzer`: an engine to share with other models (the access diff asks questions across two configurations,
   * so both must be encoded by one engine); its group lookup must reach this model's `groupFormula`.
   */
  constructor(
    readonly doc: CompiledProject,
    analyzer?: Analyzer,
  ) {
    this.groups = new Map(doc.groups.map((g) => [g.name, g]));
    this.lists = listMembersOf(doc);
    const policies = new Map(doc.policies.map((p) => [p.name, p]));
    const formulas = new Map<WirePolicy, Formula>();
    this.apps = doc.apps.map((app) => {
      const found = app.policies.flatMap((link) => {
        const ref = refFromWire('policy', link.id);
        const policy = ref.name !== undefined ? policies.get(ref.name) : undefined;
        if (!policy) return [];
        let formula = formulas.get(policy);
        if (!formula) {
          formula = this.body(policy);
          formulas.set(policy, formula);
        }
        return [{ policy, decision: policy.decision, precedence: link.precedence, formula }];
      });
      const tags = Array.isArray(app.tags)
        ? (app.tags as unknown[]).filter((t) => typeof t === 'string')
        : [];
      return { app, name: app.name, tags: tags as string[], entries: executionOrder(found) };
    });
    this.byName = new Map(this.apps.map((a) => [a.name, a]));
    this.analyzer = analyzer ?? createAnalyzer({ groups: (name) => this.groupFormula(name) });
  }

  /** A document group's lists as a condition; any other name is an account group (`accessGroups`). */
  groupFormula(name: string): Formula {
    let f = this.groupFormulas.get(name);
    if (!f) {
      const g = this.groups.get(name);
      f = g ? this.body(g) : { op: 'atom', atom: { sel: 'group', args: { id: { kind: 'group', name } } } };
      this.groupFormulas.set(name, f);
    }
    return f;
  }

  /** The name of the document group a rule refers to, if it is such a rule. */
  documentGroup(rule: WireRule): string | undefined {
    return this.read(rule).group;
  }

  /** The atom of a rule that is not a document group (`undefined` for an unknown rule type). */
  atom(rule: WireRule): Atom | undefined {
    return this.read(rule).atom;
  }

  private read(rule: WireRule): { group?: string; atom?: Atom } {
    let r = this.rules.get(rule);
    if (!r) {
      r = {};
      const id = Object.keys(rule).length === 1 ? rule.group?.id : undefined;
      const ref = typeof id === 'string' ? refFromWire('group', id) : undefined;
      if (ref?.name !== undefined && this.groups.has(ref.name)) r.group = ref.name;
      else {
        const atom = wireToAtom(rule, this.lists);
        if (atom) r.atom = atom;
      }
      this.rules.set(rule, r);
    }
    return r;
  }

  rule(rule: WireRule): Formula {
    const { group, atom } = this.read(rule);
    if (group !== undefined) return { op: 'group', name: group };
    return atom ? { op: 'atom', atom } : FALSE;
  }

  body(b: { include: WireRule[]; require: WireRule[]; exclude: WireRule[] }): Formula {
    const args: Formula[] = [{ op: 'or', args: b.include.map((r) => this.rule(r)) }];
    for (const r of b.require) args.push(this.rule(r));
    if (b.exclude.length > 0)
      args.push({ op: 'not', arg: { op: 'or', args: b.exclude.map((r) => this.rule(r)) } });
    return args.length === 1 ? (args[0] as Formula) : { op: 'and', args };
  }

  /**
   * Show the engine every policy once before the first region is built. The engine widens its layout (and drops
   * its caches) when it meets values it has not seen; meeting them all up front means that happens a few times
   * here, on small questions, instead of between invariants that would then rebuild every app's regions.
   */
  private prime(): void {
    this.primed = true;
    const seen = new Set<Formula>();
    for (const app of this.apps)
      for (const e of app.entries)
        if (!seen.has(e.formula)) {
          seen.add(e.formula);
          this.analyzer.satisfiable(e.formula);
        }
  }

  regions(app: ModelApp): Regions {
    const hit = this.regionCache.get(app.name);
    if (hit) return hit;
    if (!this.primed) this.prime();
    const decides: Formula[] = [];
    const parts: Record<Outcome, Formula[]> = { allow: [], deny: [], bypass: [], non_identity: [], none: [] };
    let before: Formula = FALSE;
    for (const entry of app.entries) {
      const d: Formula =
        before === FALSE ? entry.formula : { op: 'and', args: [entry.formula, { op: 'not', arg: before }] };
      decides.push(d);
      parts[entry.decision].push(d);
      // Nested binary unions, so the engine reuses the previous prefix's BDD.
      before = before === FALSE ? entry.formula : { op: 'or', args: [before, entry.formula] };
    }
    const outcome = {} as Record<Outcome, Formula>;
    for (const k of Object.keys(parts) as Outcome[]) outcome[k] = { op: 'or', args: parts[k] };
    outcome.none = before === FALSE ? { op: 'const', value: true } : { op: 'not', arg: before };
    const regions = { decides, outcome };
    this.regionCache.set(app.name, regions);
    return regions;
  }
}
