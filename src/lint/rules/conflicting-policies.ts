import type { Identity } from '../../model/identity.js';
import { type OrderedPolicy, policyLabel } from '../order.js';
import { describeWho } from '../phrase.js';
import { defineRule } from '../rule.js';
import { appAnalyses, spanInApp } from '../semantics.js';

/** How many overlapping allow policies a finding lists as related notes. */
const MAX_RELATED = 5;
/** How many overlapping allow policies a finding counts (the search stops there). */
const MAX_WINNERS = 100;

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
        if (d.policy.decision !== 'deny') return;
        // Every question that comes back incomplete skips this check, and is counted once.
        const skip = () => a.incomplete(`the conflicts of \`${d.policy.displayName}\``);
        const sat = a.sat(k).result;
        if (sat !== true) {
          if (sat === 'incomplete') skip();
          return;
        }
        const shadowed = a.shadowed(k);
        if (shadowed !== false) {
          if (shadowed === 'incomplete') skip(); // shadowed: reported as such
          return;
        }
        const closes = analyzer.valid(d.policy.formula).result;
        if (closes !== false) {
          if (closes === 'incomplete') skip(); // `deny if everyone` closes the list on purpose
          return;
        }
        // The allows before it that decide some of its identities.
        const search = a.overlapping(d.policy.formula, 'allows', k, MAX_WINNERS);
        if (!search) {
          skip();
          return;
        }
        const winners = search.found.map((j) => a.policies[j] as OrderedPolicy);
        const head = search.found[0];
        // INVARIANT: a witness of `effective(j) ∧ d` is decided by policy j (it matches j and nothing before it).
        const overlap =
          head === undefined ? undefined : analyzer.disjoint(a.effective(head), d.policy.formula);
        if (overlap?.result === 'incomplete') {
          skip();
          return;
        }
        const witness: Identity | undefined = overlap?.result === false ? overlap.witness : undefined;
        const first = winners[0];
        if (!first || !witness) return;
        ctx.report({
          messageId: winners.length > 1 || search.more ? 'conflicts' : 'conflict',
          data: {
            who: describeWho(witness),
            winner: policyLabel(first),
            deny: policyLabel(d),
            more: `${search.more ? 'at least ' : ''}${winners.length - 1} more allow ${winners.length === 2 && !search.more ? 'policy also wins' : 'policies also win'}`,
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
