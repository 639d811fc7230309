import { printArg } from '../../fmt/expr.js';
import type { Arg } from '../../parser/ast.js';
import { selectorByName } from '../../selectors/table.js';
import { checkValue } from '../../selectors/values.js';
import { defineRule } from '../rule.js';
import { writtenSelectors } from '../walk.js';

/** The key two arguments share when they mean the same value (canonical form where the value is valid). */
function valueKey(arg: Arg, kind: string | undefined): string {
  switch (arg.kind) {
    case 'String': {
      if (kind) {
        const checked = checkValue(kind as Parameters<typeof checkValue>[0], arg.value);
        if (checked.ok) return `s:${checked.value}`;
      }
      return `s:${arg.value}`;
    }
    case 'Ident':
      return `i:${arg.name}`;
    case 'Id':
      return `id:${arg.value}`;
    case 'Number':
      return `n:${arg.text}`;
  }
}

/** The same value listed twice in one selector, e.g. `country("US", "CA", "US")`. */
export const duplicateValue = defineRule({
  meta: {
    id: 'duplicate-value',
    category: 'traps',
    defaultSeverity: 'warning',
    summary: 'the same value is listed twice in one selector',
    fixable: true,
  },
  messages: {
    duplicate: '`{value}` is listed twice in `{selector}`',
  },
  check(ctx) {
    for (const sel of ctx.shared('written-selectors', () => writtenSelectors(ctx.asts))) {
      const spec = selectorByName(sel.name.name);
      const args = sel.args ?? [];
      if (!spec?.repeat || args.length < 2) continue;
      const fixed = spec.params.length - 1;
      const last = spec.params[spec.params.length - 1]?.type;
      const kind = last?.kind === 'value' ? last.value : undefined;
      const seen = new Map<string, Arg>();
      args.forEach((arg, i) => {
        if (i < fixed) return;
        const key = valueKey(arg, kind);
        if (!seen.has(key)) {
          seen.set(key, arg);
          return;
        }
        const previous = args[i - 1] as Arg;
        const text = printArg(arg);
        ctx.report({
          messageId: 'duplicate',
          data: { value: text, selector: sel.name.name },
          span: arg.span,
          related: [{ span: (seen.get(key) as Arg).span, message: 'first listed here' }],
          help: 'remove the repeated value',
          fix: {
            description: `remove the repeated \`${text}\``,
            edits: [{ span: { file: arg.span.file, start: previous.span.end, end: arg.span.end }, text: '' }],
          },
        });
      });
    }
  },
});
