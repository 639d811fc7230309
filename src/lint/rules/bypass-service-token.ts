import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { tokenMatch } from '../tokens.js';

/** A bypass policy used to let a service token in; that is what service_auth is for. */
export const bypassServiceToken = defineRule({
  meta: {
    id: 'bypass-service-token',
    category: 'traps',
    defaultSeverity: 'warning',
    summary: 'a bypass policy lets a service token in; service tokens belong in service_auth policies',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    token:
      'bypass `{policy}` matches service tokens (e.g. {who}); a bypass turns Access off for those requests instead of checking the token',
  },
  check(ctx) {
    for (const policy of ctx.project.policies.values()) {
      if (policy.decision !== 'bypass') continue;
      const found = tokenMatch(ctx, policy, `the service-token check of bypass \`${policy.displayName}\``);
      if (!found) continue;
      const { witness } = found;
      ctx.report({
        messageId: 'token',
        data: { policy: policy.displayName, who: describeWho(witness) },
        span: found.span,
        witness,
        help: 'write `service_auth` instead of `bypass`: it checks the token and logs the request, a bypass does neither',
      });
    }
  },
});
