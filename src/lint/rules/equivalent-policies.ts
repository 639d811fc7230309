import type { PolicyDef } from '../../model/project.js';
import { equivalenceClasses } from '../equivalence.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { policySat } from '../semantics.js';

/** Two reusable policies with the same decision whose conditions match exactly the same identities. */
export const equivalentPolicies = defineRule({
  meta: {
    id: 'equivalent-policies',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'two reusable policies with the same decision match exactly the same identities',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    same: 'policy `{name}` matches exactly the same identities as `{other}` (both match e.g. {who}, and nobody matches only one)',
  },
  check(ctx) {
    const reusable = [...ctx.project.policies.values()].filter((p) => p.inlineIn === undefined);
    for (const decision of ['allow', 'deny', 'bypass', 'non_identity'] as const) {
      const skipped = (p: PolicyDef) =>
        ctx.incomplete(p.nameSpan, `the comparison of policy \`${p.displayName}\``);
      const items = reusable.filter((p) => {
        if (p.decision !== decision) return false;
        const sat = policySat(ctx, p.formula).result;
        if (sat === 'incomplete') skipped(p); // counted: this comparison is skipped too
        return sat === true;
      });
      const classes = equivalenceClasses(ctx, items, (p: PolicyDef) => p.formula, skipped);
      for (const [first, ...rest] of classes) {
        if (!first) continue;
        const sat = policySat(ctx, first.formula);
        if (sat.result !== true) continue;
        for (const p of rest) {
          ctx.report({
            messageId: 'same',
            data: { name: p.displayName, other: first.displayName, who: describeWho(sat.witness) },
            span: p.nameSpan,
            related: [{ span: first.nameSpan, message: `\`${first.displayName}\` is defined here` }],
            witness: sat.witness,
            help: `keep one of them and \`use\` it wherever \`${p.displayName}\` is used`,
          });
        }
      }
    }
  },
});
