import { evaluatedFirst } from '../../model/decision.js';
import { decidedVerb, decidingPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, grants, groupLookup, spanInApp } from '../semantics.js';

/**
 * An allow, bypass or service_auth policy evaluated before a deny that it overlaps: for the identities in the
 * overlap the grant wins, which a deny written for them rarely intends. A deny that comes first is the usual way
 * to carve out exceptions and is not reported; neither is a closing `deny … if everyone`.
 */
export const conflictingPolicies = defineRule({
  meta: {
    id: 'conflicting-policies',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'an allow or bypass evaluated before a deny overlaps it, so the deny misses some identities',
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
          if (!g || !grants(g)) continue;
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
            help: evaluatedFirst(g.policy.decision)
              ? `Access evaluates bypass and service_auth policies before any deny: narrow ${policyLabel(g)} ` +
                `if ${policyLabel(d)} should apply to them`
              : `if they should be denied, give ${policyLabel(d)} a lower precedence than ${policyLabel(g)}; ` +
                `otherwise narrow ${policyLabel(d)} to the identities it can still deny`,
          });
        }
      });
    }
  },
});
