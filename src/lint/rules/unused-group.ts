import { refKey } from '../../model/formula.js';
import { defineRule } from '../rule.js';
import { directAtoms, groupRefs } from '../walk.js';

/** A group (code-defined or extern) that no policy refers to. */
export const unusedGroup = defineRule({
  meta: {
    id: 'unused-group',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary: 'a group that no policy or other group refers to',
    fixable: false,
  },
  messages: {
    unused: 'group `{name}` is never used',
  },
  check(ctx) {
    const used = new Set<string>();
    const note = (formula: Parameters<typeof groupRefs>[0]) => {
      groupRefs(formula, used);
      // Every group body is noted too, so nothing needs expanding.
      for (const atom of directAtoms(formula)) {
        const ref = atom.args.id;
        if (atom.sel === 'group' && ref && typeof ref === 'object' && !Array.isArray(ref))
          used.add(refKey(ref));
      }
    };
    for (const policy of ctx.project.policies.values()) note(policy.formula);
    for (const group of ctx.project.groups.values()) if (group.formula) note(group.formula);
    for (const group of ctx.project.groups.values()) {
      if (used.has(group.name)) continue;
      ctx.report({
        messageId: 'unused',
        data: { name: group.name },
        span: group.nameSpan,
        help: 'remove it, or use it in a policy with `group("…")`',
      });
    }
  },
});
