import { decidedVerb, decidingPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, groupLookup, spanInApp } from '../semantics.js';

/**
 * An allow policy evaluated before a deny that it overlaps: for the identities in the overlap the allow wins, which
 * a deny written for them rarely intends, and swapping their precedence would change the outcome. A deny that comes
 * first is the usual way to carve out exceptions and is not reported; neither is a closing `deny … if everyone`.
 * Bypass and service_auth policies run before every deny whatever the precedence, so their overlaps do not depend
 * on the order (a bypass *written* below a deny is `order-misleading`).
 */
export const conflictingPolicies = defineRule({
  meta: {
    id: 'conflicting-policies',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'an allow evaluated before a deny overlaps it, so the deny misses some identities',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    conflict: '{who} is {verb} by {winner} before {deny} can deny them',
  },
  check(ctx) {
    const groups = groupLookup(ctx);
    const analyzer = ctx.analyzer();
    for (const a of appAnalyses(ctx)) {
      a.policies.forEach((d, k) => {
        if (d.policy.decision !== 'deny' || a.sat(k).result !== true) return;
        const shadow = a.shadowed(k);
        if (shadow.result !== false) return; // shadowed (reported as such) or unknown
        const catchAll = analyzer.valid(d.policy.formula);
        if (catchAll.result !== false) return; // `deny if everyone` closes the list on purpose
        for (let j = 0; j < k; j++) {
          const g = a.policies[j];
          if (g?.policy.decision !== 'allow') continue;
          const quick = analyzer.disjoint(g.policy.formula, d.policy.formula);
          if (quick.result === true) continue;
          const overlap = analyzer.disjoint(a.effective(j), d.policy.formula);
          if (overlap.result === 'incomplete' || quick.result === 'incomplete') {
            a.incomplete(`the overlap of \`${g.policy.displayName}\` and \`${d.policy.displayName}\``);
            continue;
          }
          if (overlap.result === true) continue;
          const winner = decidingPolicy(a.order, overlap.witness, groups);
          if (winner !== g) continue; // INVARIANT: the witness is in g's effective region
          ctx.report({
            messageId: 'conflict',
            data: {
              who: describeWho(overlap.witness),
              verb: decidedVerb(g.policy.decision),
              winner: policyLabel(g),
              deny: policyLabel(d),
            },
            span: spanInApp(d),
            related: [{ span: spanInApp(g), message: `${policyLabel(g)} decides first for them` }],
            witness: overlap.witness,
            help:
              `if they should be denied, give ${policyLabel(d)} a lower precedence than ${policyLabel(g)}; ` +
              `otherwise narrow ${policyLabel(d)} to the identities it can still deny`,
          });
        }
      });
    }
  },
});
