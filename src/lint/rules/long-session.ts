import type { Setting, SettingsBlock } from '../../parser/ast.js';
import { DURATION } from '../../selectors/values.js';
import { durationNanos } from '../../settings/duration.js';
import { defineRule } from '../rule.js';

interface Options {
  /** The longest session allowed. */
  max: string;
}

/** The `session_duration` settings of apps and policies (not the MFA block's own). */
function sessionSettings(
  items: readonly (Setting | { kind: string; settings?: SettingsBlock })[],
): Setting[] {
  const out: Setting[] = [];
  for (const item of items) {
    if (item.kind === 'Setting' && (item as Setting).key.name === 'session_duration')
      out.push(item as Setting);
    else if (item.kind === 'InlinePolicy' && item.settings)
      out.push(...sessionSettings(item.settings.settings));
  }
  return out;
}

/** A session that lasts longer than the configured maximum. */
export const longSession = defineRule<Options>({
  meta: {
    id: 'long-session',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary: 'an app or policy session lasts longer than the configured maximum (24h by default)',
    fixable: false,
    options: {
      type: 'object',
      properties: {
        max: {
          description: 'The longest session allowed, as a duration such as `24h`',
          type: 'string',
          pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$',
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { max: '24h' },
  messages: {
    long: 'session duration `{value}` is longer than {max}',
  },
  check(ctx) {
    const max = DURATION.test(ctx.options.max) ? ctx.options.max : '24h';
    const limit = durationNanos(max);
    for (const file of ctx.asts) {
      for (const decl of file.decls) {
        const settings =
          decl.kind === 'App'
            ? sessionSettings(decl.items)
            : decl.kind === 'Policy' && decl.settings
              ? sessionSettings(decl.settings.settings)
              : [];
        for (const s of settings) {
          const text =
            s.value.kind === 'Duration'
              ? s.value.text
              : s.value.kind === 'String'
                ? s.value.value
                : undefined;
          if (text === undefined || !DURATION.test(text) || durationNanos(text) <= limit) continue;
          ctx.report({
            messageId: 'long',
            data: { value: text, max },
            span: s.value.span,
            help: `a stolen session stays valid that long; shorten it, or raise \`max\` of \`long-session\` in aclc.config.json`,
          });
        }
      }
    }
  },
});
