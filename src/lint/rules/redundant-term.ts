import type { Span } from '../../diagnostics/diagnostic.js';
import type { Formula } from '../../model/formula.js';
import { describeWho } from '../phrase.js';
import { defineRule, type RuleContext } from '../rule.js';
import { policySat } from '../semantics.js';

type Node = Extract<Formula, { op: 'and' | 'or' }>;

/** `root` with `target` taken out of its `and` / `or` parent (ancestors rebuilt, everything else shared). */
function without(root: Formula, target: Formula): { formula: Formula; parent: Node } | undefined {
  if (root.op === 'not') {
    const inner = without(root.arg, target);
    return inner && { formula: { ...root, arg: inner.formula }, parent: inner.parent };
  }
  if (root.op !== 'and' && root.op !== 'or') return undefined;
  const at = root.args.indexOf(target);
  if (at >= 0) {
    const rest = root.args.filter((_, i) => i !== at);
    return { formula: rest.length === 1 ? (rest[0] as Formula) : { ...root, args: rest }, parent: root };
  }
  for (let i = 0; i < root.args.length; i++) {
    const inner = without(root.args[i] as Formula, target);
    if (inner) {
      const args = [...root.args];
      args[i] = inner.formula;
      return { formula: { ...root, args }, parent: inner.parent };
    }
  }
  return undefined;
}

/** Terms of `and` / `or` nodes with at least two operands, outermost first. */
function candidates(f: Formula, out: Formula[] = []): Formula[] {
  if (f.op === 'not') candidates(f.arg, out);
  else if (f.op === 'and' || f.op === 'or') {
    for (const arg of f.args) {
      if (f.args.length > 1 && arg.span) out.push(arg);
      candidates(arg, out);
    }
  }
  return out;
}

/** A term that can be removed without changing who a condition matches (greedily: each removal is kept). */
function check(ctx: RuleContext<unknown>, formula: Formula, owner: string, ownerSpan: Span): void {
  if (policySat(ctx, formula).result !== true) return; // nothing to simplify in a condition nobody matches
  const analyzer = ctx.analyzer();
  const file = ctx.files.get(ownerSpan.file);
  let current = formula;
  for (const term of candidates(formula)) {
    const removed = without(current, term);
    if (!removed) continue;
    const r = analyzer.equivalent(current, removed.formula);
    if (r.result === 'incomplete') {
      ctx.incomplete(ownerSpan, `the terms of ${owner}`);
      return;
    }
    if (r.result !== true) continue;
    const span = term.span as Span;
    const text = file?.text.slice(span.start, span.end) ?? '';
    const witness = analyzer.witnessFor(
      removed.parent.op === 'and' ? current : { op: 'and', args: [term, current] },
    );
    ctx.report({
      messageId: !witness ? 'empty' : removed.parent.op === 'and' ? 'implied' : 'covered',
      data: {
        term: text.length > 60 ? `${text.slice(0, 57)}…` : text,
        owner,
        ...(witness ? { who: describeWho(witness) } : {}),
      },
      span,
      ...(witness ? { witness } : {}),
      help: 'remove it (and its `and` / `or`): the condition matches exactly the same identities without it',
    });
    current = removed.formula;
  }
}

export const redundantTerm = defineRule({
  meta: {
    id: 'redundant-term',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'a term of a condition can be removed without changing who the condition matches',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    implied: '`{term}` is redundant in {owner}: whoever matches the rest also matches it (e.g. {who})',
    covered:
      '`{term}` is redundant in {owner}: everyone it matches is matched by the rest anyway (e.g. {who})',
    empty: '`{term}` is redundant in {owner}: it matches nobody',
  },
  check(ctx) {
    for (const group of ctx.project.groups.values()) {
      if (group.formula) check(ctx, group.formula, `group \`${group.name}\``, group.nameSpan);
    }
    for (const policy of ctx.project.policies.values()) {
      check(ctx, policy.formula, `policy \`${policy.displayName}\``, policy.nameSpan);
    }
  },
});
