import { DECISION_DISPLAY, evaluatedFirst } from '../../model/decision.js';
import type { Identity } from '../../model/identity.js';
import { type OrderedPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, spanInApp } from '../semantics.js';

/** A bypass or service_auth policy written below allow or deny policies, although Access evaluates it first. */
export const orderMisleading = defineRule({
  meta: {
    id: 'order-misleading',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary:
      'a bypass or service_auth policy is written after allow or deny policies but Access evaluates it first',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    overlap:
      '{policy} is written after {above} but Access evaluates {decision} policies first: ' +
      '{who} is decided by it although {first} comes first in the file',
    apart:
      '{policy} is written after {above} but Access evaluates {decision} policies first (it decides e.g. for {who})',
  },
  check(ctx) {
    const analyzer = ctx.analyzer();
    for (const a of appAnalyses(ctx)) {
      // The allow and deny policies, in evaluation order, which is also the order the file states them in.
      let later: OrderedPolicy[] | undefined;
      a.policies.forEach((p, i) => {
        if (!evaluatedFirst(p.policy.decision)) return;
        later ??= a.policies.filter((q) => !evaluatedFirst(q.policy.decision));
        let count = 0;
        while (count < later.length && (later[count] as OrderedPolicy).stated < p.stated) count++;
        if (count === 0) return;
        const above = later.slice(0, count);
        let witness: Identity | undefined;
        let first: OrderedPolicy | undefined;
        for (const q of above) {
          const r = analyzer.disjoint(a.effective(i), q.policy.formula);
          if (r.result === 'incomplete') {
            a.incomplete(`the order check of \`${p.policy.displayName}\``);
            return;
          }
          if (r.result === false) {
            witness = r.witness;
            first = q;
            break;
          }
        }
        if (!witness) {
          const r = analyzer.satisfiable(a.effective(i));
          if (r.result === 'incomplete') {
            a.incomplete(`the order check of \`${p.policy.displayName}\``);
            return;
          }
          if (r.result === false) return; // it decides nothing: `shadowed-policy` or `unsatisfiable-policy`
          witness = r.witness;
        }
        const shown = above.slice(0, 3).map(policyLabel).join(', ') + (above.length > 3 ? ', …' : '');
        ctx.report({
          messageId: first ? 'overlap' : 'apart',
          data: {
            policy: policyLabel(p),
            above: shown,
            decision: DECISION_DISPLAY[p.policy.decision],
            who: describeWho(witness),
            first: first ? policyLabel(first) : '',
          },
          span: spanInApp(p),
          related: above
            .slice(0, 3)
            .map((q) => ({ span: spanInApp(q), message: `${policyLabel(q)} is written above it` })),
          witness,
          help: 'move it above the allow and deny policies (or give it the lowest precedence) so that the file reads in the order Access evaluates',
        });
      });
    }
  },
});
