import { DECISION_DISPLAY } from '../../model/decision.js';
import { selectorByName } from '../../selectors/table.js';
import { defineRule } from '../rule.js';
import { visitAtoms } from '../walk.js';

/** A selector that reads the user's identity, in a bypass or service_auth policy where Access checks none. */
export const identityInNonIdentity = defineRule({
  meta: {
    id: 'identity-in-non-identity',
    category: 'correctness',
    defaultSeverity: 'error',
    summary:
      'a bypass or service_auth policy uses a selector that reads the user identity, which Access does not check there',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    direct:
      '`{selector}` reads the user identity, which Access does not check in {decision} policy `{policy}`',
    group:
      'group `{group}` uses `{selector}`, which reads the user identity; Access does not check it in {decision} policy `{policy}`',
  },
  check(ctx) {
    for (const policy of ctx.project.policies.values()) {
      if (policy.decision !== 'bypass' && policy.decision !== 'non_identity') continue;
      const seen = new Set<string>();
      visitAtoms(policy.formula, ctx.project, (v) => {
        if (!selectorByName(v.atom.sel)?.identity) return;
        const span = v.via?.span ?? v.span ?? policy.exprSpan;
        const key = `${span.start}:${span.end}`;
        if (seen.has(key)) return;
        seen.add(key);
        const data = {
          selector: v.atom.sel,
          decision: DECISION_DISPLAY[policy.decision],
          policy: policy.displayName,
          group: v.via?.name ?? '',
        };
        ctx.report({
          messageId: v.via ? 'group' : 'direct',
          data,
          span,
          ...(v.via && v.span
            ? { related: [{ span: v.span, message: `\`${v.atom.sel}\` is used here` }] }
            : {}),
          help: 'bypass and service_auth policies see only the request (IP, country, certificate, service token, device posture); use an allow policy to check who the user is',
        });
      });
    }
  },
});
