import type { Formula } from '../../model/formula.js';
import type { Project } from '../../model/project.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { policySat } from '../semantics.js';

/**
 * Whether a condition names someone positively: a selector that is not negated, in every alternative of an `or`
 * and in at least one operand of an `and` (after pushing `not` inwards; code-defined groups are expanded).
 */
function includes(f: Formula, positive: boolean, project: Project, open: Set<string>): boolean {
  switch (f.op) {
    case 'const':
      return false;
    case 'atom':
      return positive;
    case 'group': {
      const body = project.groups.get(f.name)?.formula;
      if (!body) return positive; // an extern group names its members
      if (open.has(f.name)) return false;
      open.add(f.name);
      const r = includes(body, positive, project, open);
      open.delete(f.name);
      return r;
    }
    case 'not':
      return includes(f.arg, !positive, project, open);
    case 'and':
    case 'or': {
      const conjunction = (f.op === 'and') === positive;
      return conjunction
        ? f.args.some((a) => includes(a, positive, project, open))
        : f.args.every((a) => includes(a, positive, project, open));
    }
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
  },
  messages: {
    negative:
      '`{policy}` names nobody to include: its condition only excludes, so it matches everyone else, e.g. {who}',
  },
  check(ctx) {
    for (const policy of ctx.project.policies.values()) {
      if (policy.decision !== 'allow' && policy.decision !== 'bypass') continue;
      if (includes(policy.formula, true, ctx.project, new Set())) continue;
      const sat = policySat(ctx, policy.formula);
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
