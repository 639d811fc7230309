import { defineRule } from '../rule.js';

/** Reported by the lint run: a suppression comment without a reason, with an unknown id, or for a compiler error. */
export const invalidSuppression = defineRule({
  meta: {
    id: 'invalid-suppression',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary:
      'a suppression comment gives no reason, names an unknown rule or a compiler error, or an `aclc-` directive is misspelt',
    fixable: false,
  },
  messages: {},
  check() {},
});
