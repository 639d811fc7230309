import { DECISION_DISPLAY, evaluatedFirst } from '../../model/decision.js';
import { decidingPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, groupLookup } from '../semantics.js';

/** An app whose bypass / service_auth policies let every request through without signing in. */
export const bypassEveryone = defineRule({
  meta: {
    id: 'bypass-everyone',
    category: 'semantics',
    // An app open to every request without sign-in is almost never meant: an error unless configured down.
    defaultSeverity: 'error',
    summary: 'an app is bypassed for everyone: every request gets through without signing in',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    everyone:
      'app `{app}` is open to every request without signing in: e.g. {who} gets through by {decision} {policy}',
  },
  check(ctx) {
    const analyzer = ctx.analyzer();
    for (const a of appAnalyses(ctx)) {
      if (a.policies.length === 0) continue;
      // Quick negative answer: no bypass or service_auth policy lets the plainest identity through.
      if (a.plainestMissedBy((p) => evaluatedFirst(p.policy.decision))) continue;
      const region = a.bypassedRegion();
      const r = analyzer.valid(region);
      if (r.result === 'incomplete') a.incomplete('the bypass check');
      if (r.result !== true) continue;
      const witness = analyzer.witnessFor(region) ?? {};
      const decider = decidingPolicy(a.order, witness, groupLookup(ctx));
      if (!decider) continue;
      ctx.report({
        messageId: 'everyone',
        data: {
          app: a.order.app.name,
          who: describeWho(witness),
          decision: DECISION_DISPLAY[decider.policy.decision],
          policy: policyLabel(decider),
        },
        span: a.order.app.nameSpan,
        related: [
          { span: decider.policy.nameSpan, message: `${policyLabel(decider)} matches every request` },
        ],
        witness,
        help: 'if the app is public, remove it from Access; otherwise narrow the bypass (e.g. to a path or an IP range)',
      });
    }
  },
});
