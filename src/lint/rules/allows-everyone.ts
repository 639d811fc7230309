import { FALSE, type Formula } from '../../model/formula.js';
import { decidingPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, grants, groupLookup, warm } from '../semantics.js';

/** An app whose policies let every identity in (reported as `bypass-everyone` when bypass alone does it). */
export const allowsEveryone = defineRule({
  meta: {
    id: 'allows-everyone',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'an app is open to every identity: its policies allow whoever signs in',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    everyone: 'app `{app}` lets everyone in: every identity is allowed, e.g. {who} by {policy}',
  },
  check(ctx) {
    const analyzer = ctx.analyzer();
    for (const a of appAnalyses(ctx)) {
      if (a.policies.length === 0) continue;
      // Quick negative answers: if the grants together miss someone, so does the region they decide. The plainest
      // identity is missed by most.
      if (a.plainestMissedBy(grants)) continue;
      if (analyzer.valid(a.grantUnion()).result === false) continue;
      const granted = analyzer.valid(a.grantedRegion());
      if (granted.result === 'incomplete') a.incomplete('the open-app check');
      if (granted.result !== true) continue;
      const bypassed = analyzer.valid(a.bypassedRegion());
      if (bypassed.result === 'incomplete') a.incomplete('the open-app check');
      if (bypassed.result !== false) continue; // `bypass-everyone`
      let allowed: Formula = FALSE;
      a.policies.forEach((p, i) => {
        if (p.policy.decision !== 'allow') return;
        allowed = { op: 'or', args: [allowed, a.effective(i)] };
        warm(ctx, allowed);
      });
      const witness = analyzer.witnessFor(allowed) ?? bypassed.witness;
      const decider = decidingPolicy(a.order, witness, groupLookup(ctx));
      if (!decider) continue;
      ctx.report({
        messageId: 'everyone',
        data: { app: a.order.app.name, who: describeWho(witness), policy: policyLabel(decider) },
        span: a.order.app.nameSpan,
        related: [{ span: decider.policy.nameSpan, message: `${policyLabel(decider)} lets them in` }],
        witness,
        help: 'say who the app is for (a group, an email domain, an IdP); anyone who can sign in with any identity provider gets in as it is',
      });
    }
  },
});
