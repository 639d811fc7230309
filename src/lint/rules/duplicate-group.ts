import type { GroupDef } from '../../model/project.js';
import { equivalenceClasses } from '../equivalence.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { policySat } from '../semantics.js';

/** Two code-defined groups that match exactly the same identities. */
export const duplicateGroup = defineRule({
  meta: {
    id: 'duplicate-group',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'two groups match exactly the same identities',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    same: 'group `{name}` matches exactly the same identities as `{other}` (both match e.g. {who}, and nobody matches only one)',
  },
  check(ctx) {
    const skipped = (g: GroupDef) => ctx.incomplete(g.nameSpan, `the comparison of group \`${g.name}\``);
    const groups = [...ctx.project.groups.values()].filter(
      (g): g is GroupDef & { formula: NonNullable<GroupDef['formula']> } => {
        if (g.formula === undefined) return false;
        const sat = policySat(ctx, g.formula).result;
        if (sat === 'incomplete') skipped(g); // counted: this comparison is skipped too
        return sat === true;
      },
    );
    const classes = equivalenceClasses(ctx, groups, (g) => g.formula, skipped);
    for (const [first, ...rest] of classes) {
      if (!first) continue;
      const sat = policySat(ctx, first.formula);
      if (sat.result !== true) continue;
      for (const g of rest) {
        ctx.report({
          messageId: 'same',
          data: { name: g.name, other: first.name, who: describeWho(sat.witness) },
          span: g.nameSpan,
          related: [{ span: first.nameSpan, message: `\`${first.name}\` is defined here` }],
          witness: sat.witness,
          help: `keep one of them and refer to it wherever \`${g.name}\` is used`,
        });
      }
    }
  },
});
