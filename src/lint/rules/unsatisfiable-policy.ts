import { defineRule } from '../rule.js';
import { policySat } from '../semantics.js';

/** A policy or group whose condition no identity can satisfy. */
export const unsatisfiablePolicy = defineRule({
  meta: {
    id: 'unsatisfiable-policy',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'a policy or group matches nobody: its condition can never be true',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    policy: 'policy `{name}` matches nobody: no identity can satisfy its condition',
    group: 'group `{name}` matches nobody: no identity can satisfy its condition',
  },
  check(ctx) {
    const help =
      'look for contradictions such as two countries or two emails joined by `and` (a request has one of each), ' +
      'or a selector and its negation';
    for (const group of ctx.project.groups.values()) {
      if (!group.formula) continue;
      const r = policySat(ctx, group.formula);
      if (r.result === 'incomplete') ctx.incomplete(group.nameSpan, `group \`${group.name}\``);
      else if (r.result === false)
        ctx.report({ messageId: 'group', data: { name: group.name }, span: group.nameSpan, help });
    }
    for (const policy of ctx.project.policies.values()) {
      const r = policySat(ctx, policy.formula);
      if (r.result === 'incomplete') ctx.incomplete(policy.nameSpan, `policy \`${policy.displayName}\``);
      else if (r.result === false) {
        ctx.report({ messageId: 'policy', data: { name: policy.displayName }, span: policy.exprSpan, help });
      }
    }
  },
});
