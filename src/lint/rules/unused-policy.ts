import { defineRule } from '../rule.js';

/** A top-level policy that no app uses. */
export const unusedPolicy = defineRule({
  meta: {
    id: 'unused-policy',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary: 'a reusable policy that no app uses',
    fixable: false,
  },
  messages: {
    unused: 'policy `{name}` is not used by any app',
  },
  check(ctx) {
    const used = new Set(ctx.project.apps.flatMap((app) => app.policies.map((e) => e.policy)));
    for (const policy of ctx.project.policies.values()) {
      if (policy.inlineIn !== undefined || used.has(policy.name)) continue;
      ctx.report({
        messageId: 'unused',
        data: { name: policy.displayName },
        span: policy.nameSpan,
        help: `remove it, or add \`use "${policy.displayName}"\` to the apps it is for`,
      });
    }
  },
});
