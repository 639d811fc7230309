import type { CompiledProject, WireGroup, WirePolicy } from '../model/compiled.js';
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
 * Evaluates compiled JSON with Cloudflare's meaning, for one identity. A `group` rule naming (`$ref:group:<name>`)
 * a group of the document matches when that group's lists do; any other `group` rule is an account group, matched
 * through `identity.accessGroups`. A group cycle (only possible in a hand-written document) matches nothing.
 */
class CompiledEvaluator {
  private readonly groups: Map<string, WireGroup>;
  private readonly lists: ListMembers;
  private readonly memo = new Map<string, boolean>();
  private readonly active = new Set<string>();

  constructor(
    doc: CompiledProject,
    private readonly identity: Identity,
  ) {
    this.groups = new Map(doc.groups.map((g) => [g.name, g]));
    this.lists = listMembersOf(doc);
  }

  body(b: Body): boolean {
    return (
      b.include.some((r) => this.rule(r)) &&
      b.require.every((r) => this.rule(r)) &&
      !b.exclude.some((r) => this.rule(r))
    );
  }

  private rule(rule: WireRule): boolean {
    const id = Object.keys(rule).length === 1 ? rule.group?.id : undefined;
    if (typeof id === 'string') {
      const ref = refFromWire('group', id);
      const group = ref.name !== undefined ? this.groups.get(ref.name) : undefined;
      if (group) return this.group(group);
    }
    const atom = wireToAtom(rule, this.lists);
    return atom !== undefined && atomMatches(atom, this.identity);
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

/** Whether a compiled policy matches an identity, with Cloudflare's meaning of the rule lists. */
export function evaluateCompiledPolicy(
  doc: CompiledProject,
  policy: WirePolicy,
  identity: Identity,
): boolean {
  return new CompiledEvaluator(doc, identity).body(policy);
}

/** Whether a group body (of a compiled group, or any include/exclude/require lists) matches an identity. */
export function evaluateCompiledBody(doc: CompiledProject, body: Body, identity: Identity): boolean {
  return new CompiledEvaluator(doc, identity).body(body);
}

/**
 * What Access would decide for `identity` on the compiled app `appName`: its `$ref:policy:<name>` links resolved
 * in `doc.policies`, Bypass and Service Auth first by precedence, then Allow and Block; the first match decides.
 */
export function evaluateCompiledApp(doc: CompiledProject, appName: string, identity: Identity): AppDecision {
  const app = doc.apps.find((a) => a.name === appName);
  if (!app) return { decision: 'none' };
  const policies = new Map(doc.policies.map((p) => [p.name, p]));
  const entries = app.policies.flatMap((link) => {
    const ref = refFromWire('policy', link.id);
    const policy = ref.name !== undefined ? policies.get(ref.name) : undefined;
    return policy ? [{ policy, decision: policy.decision, precedence: link.precedence }] : [];
  });
  const evaluator = new CompiledEvaluator(doc, identity);
  for (const entry of executionOrder(entries)) {
    if (evaluator.body(entry.policy))
      return { decision: entry.decision, policy: entry.policy.name, precedence: entry.precedence };
  }
  return { decision: 'none' };
}
