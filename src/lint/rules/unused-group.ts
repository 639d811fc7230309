import { type Atom, type Formula, refKey } from '../../model/formula.js';
import { defineRule } from '../rule.js';
import { shallow } from '../walk.js';

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
    const atom = (a: Atom) => {
      const ref = a.args.id;
      if (a.sel === 'group' && ref && typeof ref === 'object' && !Array.isArray(ref)) used.add(refKey(ref));
    };
    const group = (name: string) => used.add(name);
    // Every group body is noted too, so nothing needs expanding.
    const note = (formula: Formula) => shallow(formula, atom, group);
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
