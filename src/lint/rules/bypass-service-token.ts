import type { Span } from '../../diagnostics/diagnostic.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { visitAtoms } from '../walk.js';

const TOKEN_SELECTORS = new Set(['service_token', 'any_service_token']);

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
      let span: Span | undefined;
      let token: Parameters<Parameters<typeof visitAtoms>[2]>[0] | undefined;
      visitAtoms(policy.formula, ctx.project, (v) => {
        if (!token && v.positive && TOKEN_SELECTORS.has(v.atom.sel)) {
          token = v;
          span = v.via?.span ?? v.span;
        }
      });
      if (!token) continue;
      const r = ctx.analyzer().satisfiable({
        op: 'and',
        args: [policy.formula, { op: 'atom', atom: token.atom }],
      });
      if (r.result === 'incomplete') {
        ctx.incomplete(policy.nameSpan, `the service-token check of bypass \`${policy.displayName}\``);
        continue;
      }
      if (r.result === false) continue; // the token part can never match: nothing to warn about
      const witness = r.witness;
      ctx.report({
        messageId: 'token',
        data: { policy: policy.displayName, who: describeWho(witness) },
        span: span ?? policy.exprSpan,
        witness,
        help: 'write `service_auth` instead of `bypass`: it checks the token and logs the request, a bypass does neither',
      });
    }
  },
});
