import { decidedVerb, decidingPolicy, type OrderedPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, groupLookup, spanInApp } from '../semantics.js';

const names = (ps: readonly OrderedPolicy[]) => ps.map(policyLabel).join(', ');

/** A policy every one of whose matches is decided by policies evaluated before it. */
export const shadowedPolicy = defineRule({
  meta: {
    id: 'shadowed-policy',
    category: 'semantics',
    defaultSeverity: 'warning',
    summary: 'a policy never takes effect: everyone it matches is decided by policies evaluated before it',
    fixable: false,
    needsValidProject: true,
  },
  messages: {
    shadowed:
      '{policy} never takes effect in app `{app}`: everyone it matches is decided earlier by {shadowers}; ' +
      'e.g. {who} is {verb} by `{first}`',
  },
  check(ctx) {
    const groups = groupLookup(ctx);
    for (const a of appAnalyses(ctx)) {
      a.policies.forEach((p, i) => {
        const sat = a.sat(i);
        if (sat.result !== true) return; // nobody matches: `unsatisfiable-policy`
        const shadow = a.shadowed(i);
        if (shadow.result === 'incomplete') {
          a.incomplete(`the shadowing check of \`${p.policy.displayName}\``);
          return;
        }
        if (shadow.result === false) return;
        const shadowers = a.policies.slice(0, i).filter((_q, j) => {
          const r = ctx.analyzer().disjoint(a.effective(j), p.policy.formula);
          return r.result === false;
        });
        const decider = decidingPolicy(a.order, sat.witness, groups, i);
        if (!decider) return; // INVARIANT: shadowed, so an earlier policy matches the witness
        const sameDecision = shadowers.every((q) => q.policy.decision === p.policy.decision);
        ctx.report({
          messageId: 'shadowed',
          data: {
            policy: policyLabel(p),
            app: a.order.app.name,
            shadowers: names(shadowers),
            who: describeWho(sat.witness),
            verb: decidedVerb(decider.policy.decision),
            first: decider.policy.displayName,
          },
          span: spanInApp(p),
          related: shadowers.map((q) => ({
            span: spanInApp(q),
            message: `${policyLabel(q)} is evaluated first`,
          })),
          witness: sat.witness,
          help: sameDecision
            ? 'remove it: the policies before it already decide the same way for everyone it matches'
            : `if it should win, evaluate it first (give it a lower precedence than ${names(shadowers)}; ` +
              'bypass and service_auth policies always come before allow and deny); otherwise remove it',
        });
      });
    }
  },
});
