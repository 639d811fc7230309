import { decidedVerb, type OrderedPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, spanInApp } from '../semantics.js';

/** How many shadowing policies a finding names (the search stops there). */
const MAX_SHADOWERS = 20;

const names = (ps: readonly OrderedPolicy[], more = false) =>
  ps.map(policyLabel).join(', ') + (more ? ' and others' : '');

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
    for (const a of appAnalyses(ctx)) {
      a.policies.forEach((p, i) => {
        const sat = a.sat(i);
        if (sat.result === 'incomplete') a.incomplete(`the shadowing check of \`${p.policy.displayName}\``);
        if (sat.result !== true) return; // nobody matches: `unsatisfiable-policy`
        const shadow = a.shadowed(i);
        if (shadow === 'incomplete') {
          a.incomplete(`the shadowing check of \`${p.policy.displayName}\``);
          return;
        }
        if (shadow === false) return;
        // The earlier policies that decide some of its identities.
        const search = a.overlapping(p.policy.formula, 'policies', i, MAX_SHADOWERS);
        if (!search) {
          a.incomplete(`the shadowing check of \`${p.policy.displayName}\``);
          return;
        }
        const shadowers = search.found.map((j) => a.policies[j] as OrderedPolicy);
        const decider = shadowers[0];
        if (!decider) return; // INVARIANT: shadowed and satisfiable, so an earlier policy decides some of it
        // A witness decided by the first shadower: it matches the policy and the region that shadower decides.
        const found = ctx.analyzer().disjoint(a.effective(decider.evaluated), p.policy.formula);
        const witness = found.result === false ? found.witness : sat.witness;
        const sameDecision = !search.more && shadowers.every((q) => q.policy.decision === p.policy.decision);
        ctx.report({
          messageId: 'shadowed',
          data: {
            policy: policyLabel(p),
            app: a.order.app.name,
            shadowers: names(shadowers, search.more),
            who: describeWho(witness),
            verb: decidedVerb(decider.policy.decision),
            first: decider.policy.displayName,
          },
          span: spanInApp(p),
          related: shadowers.map((q) => ({
            span: spanInApp(q),
            message: `${policyLabel(q)} is evaluated first`,
          })),
          witness,
          help: sameDecision
            ? 'remove it: the policies before it already decide the same way for everyone it matches'
            : `if it should win, evaluate it first (give it a lower precedence than ${names(shadowers, search.more)}; ` +
              'bypass and service_auth policies always come before allow and deny); otherwise remove it',
        });
      });
    }
  },
});
