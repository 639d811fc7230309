import type { Formula } from '../../model/formula.js';
import type { Project } from '../../model/project.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { policySat } from '../semantics.js';

/**
 * Whether a condition names someone positively: a selector that is not negated, in every alternative of an `or`
 * and in at least one operand of an `and` (after pushing `not` inwards; code-defined groups are expanded, each
 * once per polarity, and a group met again inside itself names nobody). Iterative, so long chains of groups
 * cannot overflow the stack.
 */
export function includes(root: Formula, project: Project): boolean {
  const memo = new Map<string, boolean>();
  const open = new Set<string>();
  type Frame = { f: Formula; positive: boolean; i: number; key?: string };
  type Next = { f: Formula; positive: boolean };
  const stack: Frame[] = [];
  let value = false;
  let next: Next | undefined = { f: root, positive: true };
  for (;;) {
    if (next) {
      const { f, positive }: Next = next;
      next = undefined;
      switch (f.op) {
        case 'const':
          value = false;
          break;
        case 'atom':
          value = positive;
          break;
        case 'group': {
          const body: Formula | undefined = project.groups.get(f.name)?.formula;
          const key = `${positive ? '+' : '-'}${f.name}`;
          const hit = memo.get(key);
          if (!body)
            value = positive; // an extern group names its members
          else if (hit !== undefined) value = hit;
          else if (open.has(key)) value = false;
          else {
            open.add(key);
            stack.push({ f, positive, i: 0, key });
            next = { f: body, positive };
          }
          break;
        }
        case 'not':
          next = { f: f.arg, positive: !positive };
          break;
        case 'and':
        case 'or': {
          const conjunction = (f.op === 'and') === positive;
          // `some` over no operands is false, `every` is true.
          if (f.args.length === 0) value = !conjunction;
          else {
            stack.push({ f, positive, i: 0 });
            next = { f: f.args[0] as Formula, positive };
          }
          break;
        }
      }
      if (next) continue;
    }
    const top = stack.pop();
    if (!top) return value;
    if (top.f.op === 'group') {
      open.delete(top.key as string);
      memo.set(top.key as string, value);
      continue;
    }
    const args = (top.f as Extract<Formula, { op: 'and' | 'or' }>).args;
    const conjunction = (top.f.op === 'and') === top.positive;
    // some: stop at the first true; every: stop at the first false.
    if (value === conjunction || top.i + 1 >= args.length) continue;
    top.i++;
    stack.push(top);
    next = { f: args[top.i] as Formula, positive: top.positive };
  }
}

/** An allow or bypass whose condition only excludes, so it matches everyone else. */
export const missingInclude = defineRule({
  meta: {
    id: 'missing-include',
    category: 'traps',
    defaultSeverity: 'warning',
    summary: 'an allow or bypass condition only excludes people, so it includes everyone else',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    negative:
      '`{policy}` names nobody to include: its condition only excludes, so it matches everyone else, e.g. {who}',
  },
  check(ctx) {
    for (const policy of ctx.project.policies.values()) {
      if (policy.decision !== 'allow' && policy.decision !== 'bypass') continue;
      if (includes(policy.formula, ctx.project)) continue;
      const sat = policySat(ctx, policy.formula);
      if (sat.result === 'incomplete')
        ctx.incomplete(policy.nameSpan, `the include check of policy \`${policy.displayName}\``);
      if (sat.result !== true) continue;
      ctx.report({
        messageId: 'negative',
        data: { policy: policy.displayName, who: describeWho(sat.witness) },
        span: policy.exprSpan,
        witness: sat.witness,
        help: 'say who it is for and keep the exclusion, e.g. `group("Employees") and not country("KP")`',
      });
    }
  },
});
