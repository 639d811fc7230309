import { type Analyzer, type AnalyzerBudget, createAnalyzer } from '../analysis/engine.js';
import { CompiledDocument, evaluateCompiledApp } from '../eval/compiled.js';
import { evaluateFormula } from '../eval/formula.js';
import type { CompiledProject, WireGroup } from '../model/compiled.js';
import type { Decision } from '../model/decision.js';
import type { Atom, Formula } from '../model/formula.js';
import { atomKey, FALSE, TRUE } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { refFromWire, refToWire, type WireRule } from '../selectors/wire.js';
import { CompiledModel, type ModelApp } from '../testing/model.js';
import type { Access } from './types.js';

/** The access level of a decision (`none`: no policy matched, which Access denies). */
export function accessOf(decision: Decision | 'none'): Access {
  if (decision === 'non_identity') return 'service_auth';
  return decision === 'allow' || decision === 'bypass' ? decision : 'denied';
}

type Body = { include: WireRule[]; exclude: WireRule[]; require: WireRule[] };

/**
 * The document with its own groups renamed `<prefix><name>` (and every rule naming them), so that the groups of
 * both sides, which may share names with different bodies, live in one engine without clashing. Account groups
 * (not defined in the document) keep their keys: they are the same object on both sides.
 */
function prefixGroups(doc: CompiledProject, prefix: string): CompiledProject {
  const own = new Set(doc.groups.map((g) => g.name));
  const rule = (r: WireRule): WireRule => {
    const id = Object.keys(r).length === 1 ? r.group?.id : undefined;
    if (typeof id !== 'string') return r;
    const ref = refFromWire('group', id);
    if (ref.name === undefined || !own.has(ref.name)) return r;
    return { group: { id: refToWire({ kind: 'group', name: `${prefix}${ref.name}` }) } };
  };
  const body = <T extends Body>(b: T): T => ({
    ...b,
    include: b.include.map(rule),
    exclude: b.exclude.map(rule),
    require: b.require.map(rule),
  });
  return {
    groups: doc.groups.map((g) => ({ ...body(g), name: `${prefix}${g.name}` })),
    policies: doc.policies.map(body),
    apps: doc.apps,
    // Lists declared in code decide on their members (`wireToAtom`); both sides name them alike.
    ...(doc.lists ? { lists: doc.lists } : {}),
  };
}

/** One configuration as the diff sees it: its compiled document and its formulas in the shared engine. */
export class Side {
  readonly model: CompiledModel;
  private readonly keys = new Map<string, string>();
  private readonly groupKeys = new Map<string, string>();
  private readonly groups: Map<string, WireGroup>;
  private compiledDoc: CompiledDocument | undefined;

  constructor(
    readonly doc: CompiledProject,
    private readonly prefix: string,
    analyzer: Analyzer,
  ) {
    this.model = new CompiledModel(prefixGroups(doc, prefix), analyzer);
    this.groups = new Map(doc.groups.map((g) => [g.name, g]));
  }

  app(name: string): ModelApp | undefined {
    return this.model.byName.get(name);
  }

  /**
   * A key equal for two apps whose policies (groups expanded) and order of execution are written alike: such an
   * app decides as before for everyone, with nothing to analyse. A syntactic shortcut only; apps whose keys differ
   * go to the engine, which may still prove them the same.
   */
  appKey(name: string): string {
    const hit = this.keys.get(name);
    if (hit !== undefined) return hit;
    const app = this.doc.apps.find((a) => a.name === name);
    const model = this.app(name);
    const key = JSON.stringify([
      app?.type,
      model?.entries.map((e) => [e.decision, this.bodyKey(e.policy, new Set())]),
    ]);
    this.keys.set(name, key);
    return key;
  }

  /** The members of a declared list a rule names (a change of members changes the key), else `''`. */
  private listMembersKey(r: WireRule): string {
    for (const kind of ['ip_list', 'email_list'] as const) {
      const id = r[kind]?.id;
      if (typeof id !== 'string') continue;
      const name = refFromWire(kind, id).name;
      const members = name !== undefined ? this.model.lists.get(`${kind}:${name}`) : undefined;
      if (members) return JSON.stringify(members);
    }
    return '';
  }

  private bodyKey(b: Body, open: Set<string>): string {
    const rule = (r: WireRule): string => {
      const id = Object.keys(r).length === 1 ? r.group?.id : undefined;
      const ref = typeof id === 'string' ? refFromWire('group', id) : undefined;
      // The model's rules name the side's own groups with its prefix.
      const name = ref?.name?.startsWith(this.prefix) ? ref.name.slice(this.prefix.length) : undefined;
      const group = name !== undefined ? this.groups.get(name) : undefined;
      if (!group) return JSON.stringify(r) + this.listMembersKey(r);
      const known = this.groupKeys.get(group.name);
      if (known !== undefined) return known;
      if (open.has(group.name)) return `cycle:${group.name}`;
      open.add(group.name);
      const k = `(${this.bodyKey(group, open)})`;
      open.delete(group.name);
      this.groupKeys.set(group.name, k);
      return k;
    };
    return `${b.include.map(rule).join('|')}&${b.require.map(rule).join('&')}!${b.exclude.map(rule).join('|')}`;
  }

  /** Per access level, the requests that reach it on `app` (no app: everyone is `denied`, Access is not there). */
  levels(app: ModelApp | undefined): Record<Access, Formula> {
    if (!app) return { allow: FALSE, bypass: FALSE, service_auth: FALSE, denied: TRUE };
    const r = this.model.regions(app);
    return {
      allow: r.outcome.allow,
      bypass: r.outcome.bypass,
      service_auth: r.outcome.non_identity,
      denied: { op: 'or', args: [r.outcome.deny, r.outcome.none] },
    };
  }

  /**
   * The access `identity` gets on app `name`, by both evaluators: the compiled JSON's (src/eval/compiled) and the
   * model's formulas (src/eval/formula). `undefined` when they disagree, which would be a bug.
   */
  decide(name: string, identity: Identity): Access | undefined {
    const compiled = accessOf(evaluateCompiledApp(this.compiled(), name, identity).decision);
    const app = this.app(name);
    let modelled: Access = 'denied';
    if (app) {
      const lookup = (g: string) => this.model.groupFormula(g);
      const hit = app.entries.find((e) => evaluateFormula(e.formula, identity, lookup));
      if (hit) modelled = accessOf(hit.decision);
    }
    return compiled === modelled ? compiled : undefined;
  }

  /** The document read once for every witness checked against it. */
  private compiled(): CompiledDocument {
    this.compiledDoc ??= new CompiledDocument(this.doc);
    return this.compiledDoc;
  }

  /** Every atom the app's policies mention, groups expanded, once each. */
  atoms(app: ModelApp | undefined, into: Map<string, Atom>): void {
    if (!app) return;
    // In the order the source writes them (depth first, left to right), so descriptions read in that order.
    const seen = new Set<Formula | string>();
    const stack: Formula[] = app.entries.map((e) => e.formula).reverse();
    for (let f = stack.pop(); f; f = stack.pop()) {
      if (seen.has(f)) continue;
      seen.add(f);
      if (f.op === 'atom') {
        const k = atomKey(f.atom);
        if (!into.has(k)) into.set(k, f.atom);
      } else if (f.op === 'not') stack.push(f.arg);
      else if (f.op === 'and' || f.op === 'or') stack.push(...[...f.args].reverse());
      else if (f.op === 'group' && !seen.has(f.name)) {
        seen.add(f.name);
        stack.push(this.model.groupFormula(f.name));
      }
    }
  }
}

/** Both sides in one engine (their questions mix formulas of both). */
export function sides(
  before: CompiledProject,
  after: CompiledProject,
  budget?: AnalyzerBudget,
): { before: Side; after: Side; analyzer: Analyzer } {
  let b: Side | undefined;
  let a: Side | undefined;
  const analyzer = createAnalyzer({
    groups: (name) => (name.startsWith('0:') ? b?.model.groupFormula(name) : a?.model.groupFormula(name)),
    ...(budget ? { budget } : {}),
  });
  b = new Side(before, '0:', analyzer);
  a = new Side(after, '1:', analyzer);
  return { before: b, after: a, analyzer };
}
