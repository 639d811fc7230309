import type { CompiledProject, WireGroup, WirePolicy } from '../model/compiled.js';
import type { Decision } from '../model/decision.js';
import type { Atom } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { atomMatches } from '../selectors/table.js';
import {
  type ListMembers,
  listMembersOf,
  refFromWire,
  type WireRule,
  wireToAtom,
} from '../selectors/wire.js';
import { type AppDecision, executionOrder } from './order.js';

export type { AppDecision } from './order.js';

/** Rule lists as Access reads them: any include, every require, no exclude. */
interface Body {
  include: WireRule[];
  exclude: WireRule[];
  require: WireRule[];
}

/**
 * A compiled document read once for many evaluations: its objects by name, each rule's atom (or the group it names),
 * each app's policies in execution order. Evaluating one app for many identities (the import's proof, the access
 * diff) then costs only the rules it reads. The document must not change while it is in use.
 */
export class CompiledDocument {
  private readonly groups: Map<string, WireGroup>;
  private readonly apps: Map<string, CompiledProject['apps'][number]>;
  private readonly policies: Map<string, WirePolicy>;
  private readonly lists: ListMembers;
  /** What each rule object is: a group of the document, or an atom (`undefined`: matches nothing). */
  private readonly rules = new Map<WireRule, WireGroup | Atom | undefined>();
  private readonly orders = new Map<
    string,
    { policy: WirePolicy; decision: Decision; precedence: number }[]
  >();

  constructor(readonly doc: CompiledProject) {
    this.groups = new Map(doc.groups.map((g) => [g.name, g]));
    this.policies = new Map(doc.policies.map((p) => [p.name, p]));
    this.apps = new Map();
    for (const a of doc.apps) if (!this.apps.has(a.name)) this.apps.set(a.name, a);
    this.lists = listMembersOf(doc);
  }

  /** The group a rule names (`$ref:group:<name>` of this document) or the atom it is. */
  ruleMeaning(rule: WireRule): WireGroup | Atom | undefined {
    if (this.rules.has(rule)) return this.rules.get(rule);
    let meaning: WireGroup | Atom | undefined;
    const id = Object.keys(rule).length === 1 ? rule.group?.id : undefined;
    if (typeof id === 'string') {
      const ref = refFromWire('group', id);
      meaning = ref.name !== undefined ? this.groups.get(ref.name) : undefined;
    }
    meaning ??= wireToAtom(rule, this.lists);
    this.rules.set(rule, meaning);
    return meaning;
  }

  /** App `name`'s policies in Access's order of execution (its `$ref:policy:<name>` links resolved). */
  executionOrder(name: string): { policy: WirePolicy; decision: Decision; precedence: number }[] | undefined {
    let order = this.orders.get(name);
    if (!order) {
      const app = this.apps.get(name);
      if (!app) return undefined;
      const entries = app.policies.flatMap((link) => {
        const ref = refFromWire('policy', link.id);
        const policy = ref.name !== undefined ? this.policies.get(ref.name) : undefined;
        return policy ? [{ policy, decision: policy.decision, precedence: link.precedence }] : [];
      });
      order = executionOrder(entries);
      this.orders.set(name, order);
    }
    return order;
  }
}

/** A `WireGroup` is told from an atom by its rule lists. */
const isGroup = (m: WireGroup | Atom): m is WireGroup => 'include' in m;

/**
 * Evaluates compiled JSON with Cloudflare's meaning, for one identity. A `group` rule naming (`$ref:group:<name>`)
 * a group of the document matches when that group's lists do; any other `group` rule is an account group, matched
 * through `identity.accessGroups`. A group cycle (only possible in a hand-written document) matches nothing.
 */
class CompiledEvaluator {
  private readonly memo = new Map<string, boolean>();
  private readonly active = new Set<string>();

  constructor(
    private readonly doc: CompiledDocument,
    private readonly identity: Identity,
  ) {}

  body(b: Body): boolean {
    return (
      b.include.some((r) => this.rule(r)) &&
      b.require.every((r) => this.rule(r)) &&
      !b.exclude.some((r) => this.rule(r))
    );
  }

  private rule(rule: WireRule): boolean {
    const meaning = this.doc.ruleMeaning(rule);
    if (meaning === undefined) return false;
    return isGroup(meaning) ? this.group(meaning) : atomMatches(meaning, this.identity);
  }

  private group(group: WireGroup): boolean {
    const known = this.memo.get(group.name);
    if (known !== undefined) return known;
    if (this.active.has(group.name)) return false;
    this.active.add(group.name);
    const result = this.body(group);
    this.active.delete(group.name);
    this.memo.set(group.name, result);
    return result;
  }
}

const prepared = (doc: CompiledProject | CompiledDocument): CompiledDocument =>
  doc instanceof CompiledDocument ? doc : new CompiledDocument(doc);

/** Whether a compiled policy matches an identity, with Cloudflare's meaning of the rule lists. */
export function evaluateCompiledPolicy(
  doc: CompiledProject | CompiledDocument,
  policy: WirePolicy,
  identity: Identity,
): boolean {
  return new CompiledEvaluator(prepared(doc), identity).body(policy);
}

/** Whether a group body (of a compiled group, or any include/exclude/require lists) matches an identity. */
export function evaluateCompiledBody(
  doc: CompiledProject | CompiledDocument,
  body: Body,
  identity: Identity,
): boolean {
  return new CompiledEvaluator(prepared(doc), identity).body(body);
}

/**
 * What Access would decide for `identity` on the compiled app `appName`: its `$ref:policy:<name>` links resolved
 * in `doc.policies`, Bypass and Service Auth first by precedence, then Allow and Block; the first match decides.
 * Pass a `CompiledDocument` to evaluate many identities against one document.
 */
export function evaluateCompiledApp(
  doc: CompiledProject | CompiledDocument,
  appName: string,
  identity: Identity,
): AppDecision {
  const document = prepared(doc);
  const order = document.executionOrder(appName);
  if (!order) return { decision: 'none' };
  const evaluator = new CompiledEvaluator(document, identity);
  for (const entry of order) {
    if (evaluator.body(entry.policy))
      return { decision: entry.decision, policy: entry.policy.name, precedence: entry.precedence };
  }
  return { decision: 'none' };
}
