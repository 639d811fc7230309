import type { Identity } from '../../model/identity.js';
import { type OrderedPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, spanInApp } from '../semantics.js';

/** How many overlapping allow policies a finding lists as related notes. */
const MAX_RELATED = 5;

/**
 * An allow policy evaluated before a deny that it overlaps: for the identities in the overlap the allow wins, which
 * a deny written for them rarely intends, and swapping their precedence would change the outcome. One finding per
 * deny, naming the first allow that wins and the others that overlap it. A deny that comes first is the usual way to
 * carve out exceptions and is not reported; neither is a closing `deny … if everyone`. Bypass and service_auth
 * policies run before every deny whatever the precedence, so their overlaps do not depend on the order (a bypass
 * *written* below a deny is `order-misleading`).
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
    conflict: '{who} is allowed by {winner} before {deny} can deny them',
    conflicts: '{who} is allowed by {winner} before {deny} can deny them ({more} over it)',
  },
  check(ctx) {
    const analyzer = ctx.analyzer();
    for (const a of appAnalyses(ctx)) {
      a.policies.forEach((d, k) => {
        if (d.policy.decision !== 'deny' || a.sat(k).result !== true) return;
        if (a.shadowed(k).result !== false) return; // shadowed (reported as such) or unknown
        if (analyzer.valid(d.policy.formula).result !== false) return; // `deny if everyone` closes the list on purpose
        const winners: OrderedPolicy[] = [];
        let witness: Identity | undefined;
        for (let j = 0; j < k; j++) {
          const g = a.policies[j] as OrderedPolicy;
          if (g.policy.decision !== 'allow') continue;
          const quick = analyzer.disjoint(g.policy.formula, d.policy.formula);
          if (quick.result === true) continue;
          // INVARIANT: a witness of `effective(j) ∧ d` is decided by g (it matches g and nothing before it).
          const overlap = analyzer.disjoint(a.effective(j), d.policy.formula);
          if (overlap.result === 'incomplete' || quick.result === 'incomplete') {
            a.incomplete(`the overlap of \`${g.policy.displayName}\` and \`${d.policy.displayName}\``);
            continue;
          }
          if (overlap.result === true) continue;
          winners.push(g);
          witness ??= overlap.witness;
        }
        const first = winners[0];
        if (!first || !witness) return;
        ctx.report({
          messageId: winners.length > 1 ? 'conflicts' : 'conflict',
          data: {
            who: describeWho(witness),
            winner: policyLabel(first),
            deny: policyLabel(d),
            more: `${winners.length - 1} more allow ${winners.length === 2 ? 'policy also wins' : 'policies also win'}`,
          },
          span: spanInApp(d),
          related: winners
            .slice(0, MAX_RELATED)
            .map((g) => ({ span: spanInApp(g), message: `${policyLabel(g)} allows some of them first` })),
          witness,
          help:
            `if they should be denied, give ${policyLabel(d)} a lower precedence than ${policyLabel(first)}; ` +
            `otherwise narrow ${policyLabel(d)} to the identities it can still deny`,
        });
      });
    }
  },
});
