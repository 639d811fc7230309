import type { Fix, Span } from '../../diagnostics/diagnostic.js';
import type { PolicyDef } from '../../model/project.js';
import type { AstFile } from '../../parser/ast.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { tokenMatch } from '../tokens.js';

/** Where each policy's decision keyword is written, by the start of its name. */
function decisionSpans(asts: readonly AstFile[]): Map<string, Span> {
  const out = new Map<string, Span>();
  const add = (name: Span, decision: Span) => out.set(`${name.file}:${name.start}`, decision);
  for (const file of asts) {
    for (const decl of file.decls) {
      if (decl.kind === 'Policy') add(decl.name.span, decl.decision.span);
      else if (decl.kind === 'App')
        for (const item of decl.items)
          if (item.kind === 'InlinePolicy') add(item.name.span, item.decision.span);
    }
  }
  return out;
}

/**
 * An allow policy that matches service tokens: Access answers a request an allow policy is for with its login
 * page, so a script holding only the token never gets in; `service_auth` is the decision that checks the token.
 */
export const serviceTokenInAllow = defineRule({
  meta: {
    id: 'service-token-in-allow',
    category: 'traps',
    defaultSeverity: 'warning',
    summary: 'an allow policy matches service tokens, which an allow never lets in; service_auth is meant',
    fixable: true,
    needsValidProject: true,
  },
  messages: {
    token:
      'allow `{policy}` matches service tokens (e.g. {who}), but Access sends a request that an allow policy is for to its login page: the token never gets in',
  },
  check(ctx) {
    const spans = () => ctx.shared('decision-spans', () => decisionSpans(ctx.asts));
    for (const policy of ctx.project.policies.values()) {
      if (policy.decision !== 'allow') continue;
      const found = tokenMatch(ctx, policy, `the service-token check of allow \`${policy.displayName}\``);
      if (!found) continue;
      const { witness } = found;
      const identity = found.readsIdentity;
      const fix = identity ? undefined : toServiceAuth(policy, spans);
      ctx.report({
        messageId: 'token',
        data: { policy: policy.displayName, who: describeWho(witness) },
        span: found.span,
        witness,
        help: identity
          ? 'move the service tokens into a `service_auth` policy of their own; keep the allow policy for signed-in users'
          : 'write `service_auth` instead of `allow`: it checks the token and lets the request in without a login page',
        ...(fix ? { fix } : {}),
      });
    }
  },
});

/** The fix when the condition reads no user identity: `allow` → `service_auth`, same condition. */
function toServiceAuth(policy: PolicyDef, spans: () => ReadonlyMap<string, Span>): Fix | undefined {
  const span = spans().get(`${policy.nameSpan.file}:${policy.nameSpan.start}`);
  if (!span) return undefined;
  return { description: 'make it a `service_auth` policy', edits: [{ span, text: 'service_auth' }] };
}
