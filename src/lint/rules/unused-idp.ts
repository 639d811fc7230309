import type { Arg, Value } from '../../parser/ast.js';
import { defineRule } from '../rule.js';
import { writtenSelectors } from '../walk.js';

/** Bare names in a setting value (`allowed_idps [okta, github]`), at any depth. */
function namesIn(value: Value | Arg, out: Set<string>): void {
  if (value.kind === 'Ident') out.add(value.name);
  else if (value.kind === 'List') for (const item of value.items) namesIn(item, out);
  else if (value.kind === 'Settings') for (const s of value.settings) namesIn(s.value, out);
}

/** An identity provider declared with `idp` that nothing refers to. */
export const unusedIdp = defineRule({
  meta: {
    id: 'unused-idp',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary: 'an identity provider that no selector or app setting refers to',
    fixable: false,
  },
  messages: {
    unused: 'identity provider `{name}` is never used',
  },
  check(ctx) {
    const used = new Set<string>();
    for (const sel of ctx.shared('written-selectors', () => writtenSelectors(ctx.asts))) {
      for (const arg of sel.args ?? []) namesIn(arg, used);
    }
    for (const file of ctx.asts) {
      for (const decl of file.decls) {
        if (decl.kind === 'App') {
          for (const item of decl.items) {
            if (item.kind === 'Setting') namesIn(item.value, used);
            else if (item.kind === 'InlinePolicy' && item.settings) namesIn(item.settings, used);
          }
        } else if (decl.kind === 'Policy' && decl.settings) namesIn(decl.settings, used);
      }
    }
    for (const idp of ctx.project.idps.values()) {
      if (used.has(idp.name)) continue;
      ctx.report({
        messageId: 'unused',
        data: { name: idp.name },
        span: idp.span,
        help: `remove it, or use it: \`login_method(${idp.name})\`, a group selector, or \`allowed_idps [${idp.name}]\``,
      });
    }
  },
});
