import { decidingPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, grants, groupLookup } from '../semantics.js';

/** An app that no identity can reach. */
export const noAllow = defineRule({
  meta: {
    id: 'no-allow',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'an app nobody can reach: no allow, bypass or service_auth policy ever decides',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    none: 'app `{app}` has no allow, bypass or service_auth policy, so Access denies every request',
    empty: 'nobody can reach app `{app}`: its allow, bypass and service_auth policies match nobody',
    denied:
      'nobody can reach app `{app}`: everyone its allow policies match is denied first, e.g. {who} by {deny}',
  },
  check(ctx) {
    const analyzer = ctx.analyzer();
    for (const a of appAnalyses(ctx)) {
      const app = a.order.app;
      // A `use extern` policy lives in the account: its condition is unknown, so it may let people in.
      if ((app.externPolicies?.length ?? 0) > 0) continue;
      // A bookmark is an App Launcher tile that takes no policies: nothing to reach through Access.
      if (app.settings.type === 'bookmark') continue;
      const grantIdx = a.policies.flatMap((p, i) => (grants(p) ? [i] : []));
      if (grantIdx.length === 0) {
        ctx.report({
          messageId: 'none',
          data: { app: app.name },
          span: app.nameSpan,
          help: 'add an allow policy saying who may use the app',
        });
        continue;
      }
      // Quick positive answer: an allow that matches someone and is not shadowed decides for someone.
      if (grantIdx.some((i) => a.sat(i).result === true && a.shadowed(i) === false)) continue;
      const r = analyzer.satisfiable(a.grantedRegion());
      if (r.result === 'incomplete') a.incomplete('the reachability check');
      if (r.result !== false) continue;
      const help =
        'give the allow policies a lower precedence than the deny policies that cover them, or widen them';
      const first = grantIdx.map((i) => a.sat(i)).find((s) => s.result === true);
      if (first?.result !== true) {
        ctx.report({
          messageId: 'empty',
          data: { app: app.name },
          span: app.nameSpan,
          help: 'their conditions can never be true (see `unsatisfiable-policy`); fix them',
        });
        continue;
      }
      const decider = decidingPolicy(a.order, first.witness, groupLookup(ctx));
      if (!decider) continue;
      ctx.report({
        messageId: 'denied',
        data: { app: app.name, who: describeWho(first.witness), deny: policyLabel(decider) },
        span: app.nameSpan,
        related: [{ span: decider.policy.nameSpan, message: `${policyLabel(decider)} denies them first` }],
        witness: first.witness,
        help,
      });
    }
  },
});
