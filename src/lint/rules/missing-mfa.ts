import type { Formula } from '../../model/formula.js';
import type { WireSettings } from '../../model/project.js';
import { matchesPattern } from '../config.js';
import { policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses } from '../semantics.js';

interface Options {
  /** Names of sensitive apps (`*` wildcards), added to the configuration's `sensitiveApps`. */
  apps: string[];
}

const MFA: Formula = { op: 'atom', atom: { sel: 'auth_method', args: { auth_method: 'mfa' } } };

/** `true` / `false` when the settings turn Access's own MFA on or off, `undefined` when they say nothing. */
function mfaSetting(settings: WireSettings): boolean | undefined {
  const config = settings.mfa_config as { mfa_disabled?: boolean } | undefined;
  return config === undefined ? undefined : config.mfa_disabled !== true;
}

/** An allow policy of a sensitive app that lets someone in without MFA. */
export const missingMfa = defineRule<Options>({
  meta: {
    id: 'missing-mfa',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary: 'an allow policy of a sensitive app lets people in without MFA',
    fixable: false,
    needsValidProject: true,
    options: {
      type: 'object',
      properties: {
        apps: {
          description: 'Names of sensitive apps; `*` matches any run of characters',
          type: 'array',
          items: { type: 'string', minLength: 1 },
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { apps: [] },
  messages: {
    noMfa: '{policy} lets {who} into sensitive app `{app}` without MFA',
  },
  check(ctx) {
    const patterns = [...ctx.options.apps, ...ctx.sensitiveApps];
    if (patterns.length === 0) return;
    for (const a of appAnalyses(ctx)) {
      const app = a.order.app;
      if (!patterns.some((p) => matchesPattern(p, app.name))) continue;
      const appMfa = mfaSetting(app.settings);
      a.policies.forEach((p, i) => {
        if (p.policy.decision !== 'allow') return;
        const own = mfaSetting(p.policy.settings);
        if (own ?? appMfa) return; // Access asks for a second factor itself
        const r = ctx.analyzer().implies(a.effective(i), MFA);
        if (r.result === 'incomplete') {
          a.incomplete(`the MFA check of \`${p.policy.displayName}\``);
          return;
        }
        if (r.result === true) return;
        ctx.report({
          messageId: 'noMfa',
          data: { policy: policyLabel(p), who: describeWho(r.witness), app: app.name },
          span: p.policy.inlineIn !== undefined ? p.policy.nameSpan : p.entry.span,
          witness: r.witness,
          help: 'add `and auth_method("mfa")` to its condition, or an `mfa { … }` block to the policy or the app',
        });
      });
    }
  },
});
