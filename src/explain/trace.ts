import type { Span } from '../diagnostics/diagnostic.js';
import { SYNTH_PREFIX } from '../model/compiled.js';
import type { Decision } from '../model/decision.js';
import { atomKey, type Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { PolicyDef, Project } from '../model/project.js';
import { atomMatches } from '../selectors/table.js';
import { type WireRule, wireToAtom } from '../selectors/wire.js';
import type { CompiledModel, ModelApp, Outcome } from '../testing/model.js';
import { RuleText } from './text.js';

export type ListName = 'include' | 'require' | 'exclude';
const LISTS: readonly ListName[] = ['include', 'require', 'exclude'];

/** One include / require / exclude rule of a compiled policy, for one identity. */
export interface TermTrace {
  list: ListName;
  /** The rule in the language; a synthesized group is shown as the condition it stands for. */
  text: string;
  /** Whether the rule held for the identity. */
  held: boolean;
  /** Where the rule comes from in the source (the selector, group reference or sub-condition). */
  span?: Span;
  /** For a `group` rule: the group, and whether the compiler synthesized it. */
  group?: { name: string; synthesized: boolean };
}

/** One policy of the app, in Access's order. */
export interface PolicyTrace {
  /** The reusable policy's name in the account. */
  name: string;
  /** The name written in the source (an inline policy's own name). */
  source: string;
  decision: Decision;
  precedence: number;
  /** Whether Access got to it (no policy before it matched). */
  reached: boolean;
  matched: boolean;
  /** Whether it decided the request. */
  decided: boolean;
  span?: Span;
  terms: TermTrace[];
}

/** What Access decides for one identity on one app, and why. */
export interface AppTrace {
  app: string;
  outcome: Outcome;
  /** The deciding policy (account name). */
  policy?: string;
  /** The deciding policy as written in the source. */
  policySource?: string;
  policies: PolicyTrace[];
}

/** A rule to evaluate with its result negated (for "was this term decisive?"). */
export interface Flip {
  entry: number;
  list: ListName;
  index: number;
}

/** Evaluates compiled rules for one identity, memoising document groups. */
class RuleEvaluator {
  private readonly memo = new Map<string, boolean>();
  private readonly active = new Set<string>();
  constructor(
    private readonly model: CompiledModel,
    private readonly identity: Identity,
  ) {}

  rule(rule: WireRule): boolean {
    const group = this.model.documentGroup(rule);
    if (group !== undefined) return this.group(group);
    const atom = this.model.atom(rule);
    return atom !== undefined && atomMatches(atom, this.identity);
  }

  private group(name: string): boolean {
    const known = this.memo.get(name);
    if (known !== undefined) return known;
    if (this.active.has(name)) return false;
    this.active.add(name);
    const g = this.model.groups.get(name);
    const r = g ? this.body(g) : false;
    this.active.delete(name);
    this.memo.set(name, r);
    return r;
  }

  body(
    b: { include: WireRule[]; require: WireRule[]; exclude: WireRule[] },
    flip?: Omit<Flip, 'entry'>,
  ): boolean {
    const held = (list: ListName, i: number, r: WireRule): boolean => {
      const v = this.rule(r);
      return flip && flip.list === list && flip.index === i ? !v : v;
    };
    return (
      b.include.some((r, i) => held('include', i, r)) &&
      b.require.every((r, i) => held('require', i, r)) &&
      !b.exclude.some((r, i) => held('exclude', i, r))
    );
  }
}

/** The outcome Access reaches, and the index (execution order) of the deciding entry; fast, no trace. */
export function decide(
  model: CompiledModel,
  app: ModelApp,
  identity: Identity,
  flip?: Flip,
): { outcome: Outcome; entry?: number } {
  const ev = new RuleEvaluator(model, identity);
  for (let i = 0; i < app.entries.length; i++) {
    const e = app.entries[i] as (typeof app.entries)[number];
    if (ev.body(e.policy, flip && flip.entry === i ? flip : undefined))
      return { outcome: e.decision, entry: i };
  }
  return { outcome: 'none' };
}

/** Maps compiled policies and rules back to the source. */
export class SourceIndex {
  readonly text: RuleText;
  private readonly perPolicy = new Map<string, PolicySpans>();

  constructor(
    readonly project: Project,
    private readonly model: CompiledModel,
  ) {
    this.text = new RuleText(project, model.groups);
  }

  policy(name: string): PolicyDef | undefined {
    return this.project.policies.get(name);
  }

  /** Where a rule of policy `name` comes from. */
  span(policyName: string, rule: WireRule): Span | undefined {
    const def = this.policy(policyName);
    if (!def) return undefined;
    let spans = this.perPolicy.get(policyName);
    if (!spans) {
      spans = indexFormula(def.formula);
      this.perPolicy.set(policyName, spans);
    }
    const group = this.model.documentGroup(rule);
    if (group?.startsWith(SYNTH_PREFIX)) {
      const key = this.synthKey(group, 0);
      return spans.bySet.get(key) ?? def.exprSpan;
    }
    const atom = wireToAtom(rule, this.model.lists);
    if (!atom) return def.exprSpan;
    if (atom.sel === 'group') {
      const id = atom.args.id;
      const gname = id && typeof id === 'object' && !Array.isArray(id) ? id.name : undefined;
      if (gname !== undefined) return spans.groups.get(gname) ?? def.exprSpan;
    }
    return spans.atoms.get(atomKey(atom)) ?? def.exprSpan;
  }

  /** The atom set of a synthesized group (nested synthesized groups expanded), as `indexFormula` keys sets. */
  private synthKey(name: string, depth: number): string {
    const keys = new Set<string>();
    const add = (name: string, depth: number): void => {
      const g = this.model.groups.get(name);
      if (!g || depth > 16) return;
      for (const list of LISTS)
        for (const r of g[list]) {
          const inner = this.model.documentGroup(r);
          if (inner?.startsWith(SYNTH_PREFIX)) add(inner, depth + 1);
          else if (inner !== undefined) keys.add(`g:${inner}`);
          else {
            const atom = wireToAtom(r, this.model.lists);
            if (atom?.sel === 'group') {
              const id = atom.args.id;
              const gname = id && typeof id === 'object' && !Array.isArray(id) ? id.name : undefined;
              keys.add(`g:${gname ?? ''}`);
            } else if (atom) keys.add(atomKey(atom));
          }
        }
    };
    add(name, depth);
    return [...keys].sort().join('\u0000');
  }
}

interface PolicySpans {
  atoms: Map<string, Span>;
  groups: Map<string, Span>;
  /** Smallest sub-condition per set of atoms it mentions. */
  bySet: Map<string, Span>;
}

function indexFormula(formula: Formula): PolicySpans {
  const out: PolicySpans = { atoms: new Map(), groups: new Map(), bySet: new Map() };
  const visit = (f: Formula, depth: number): Set<string> => {
    const keys = new Set<string>();
    if (depth > 200) return keys;
    switch (f.op) {
      case 'const':
        break;
      case 'atom': {
        const k = atomKey(f.atom);
        keys.add(k);
        if (f.span && !out.atoms.has(k)) out.atoms.set(k, f.span);
        break;
      }
      case 'group':
        keys.add(`g:${f.name}`);
        if (f.span && !out.groups.has(f.name)) out.groups.set(f.name, f.span);
        break;
      case 'not':
        for (const k of visit(f.arg, depth + 1)) keys.add(k);
        break;
      default:
        for (const a of f.args) for (const k of visit(a, depth + 1)) keys.add(k);
    }
    if (f.span && (f.op === 'and' || f.op === 'or' || f.op === 'not')) {
      const key = [...keys].sort().join('\u0000');
      const prev = out.bySet.get(key);
      if (!prev || f.span.end - f.span.start < prev.end - prev.start) out.bySet.set(key, f.span);
    }
    return keys;
  };
  visit(formula, 0);
  return out;
}

/** The full trace: every policy in Access's order, every rule with whether it held and where it comes from. */
export function traceApp(
  model: CompiledModel,
  app: ModelApp,
  identity: Identity,
  index?: SourceIndex,
): AppTrace {
  const ev = new RuleEvaluator(model, identity);
  const text = index?.text;
  const out: AppTrace = { app: app.name, outcome: 'none', policies: [] };
  let decided = false;
  for (const e of app.entries) {
    const def = index?.policy(e.policy.name);
    const terms: TermTrace[] = [];
    for (const list of LISTS) {
      for (const rule of e.policy[list]) {
        const t: TermTrace = {
          list,
          text: text ? text.rule(rule) : JSON.stringify(rule),
          held: ev.rule(rule),
        };
        const span = index?.span(e.policy.name, rule);
        if (span) t.span = span;
        const group = model.documentGroup(rule);
        if (group !== undefined) t.group = { name: group, synthesized: group.startsWith(SYNTH_PREFIX) };
        terms.push(t);
      }
    }
    const matched = ev.body(e.policy);
    const p: PolicyTrace = {
      name: e.policy.name,
      source: def?.displayName ?? e.policy.name,
      decision: e.decision,
      precedence: e.precedence,
      reached: !decided,
      matched,
      decided: matched && !decided,
      terms,
    };
    if (def) p.span = def.nameSpan;
    if (p.decided) {
      decided = true;
      out.outcome = e.decision;
      out.policy = e.policy.name;
      out.policySource = p.source;
    }
    out.policies.push(p);
  }
  return out;
}
