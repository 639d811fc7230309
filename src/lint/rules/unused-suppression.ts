import { defineRule } from '../rule.js';

/** Reported by the lint run: a suppression comment whose rule found nothing on the next line. */
export const unusedSuppression = defineRule({
  meta: {
    id: 'unused-suppression',
    category: 'hygiene',
    defaultSeverity: 'warning',
    summary:
      'an `aclc-disable-next-line`, `aclc-disable-line` or `aclc-disable-file` comment suppresses nothing',
    fixable: true,
  },
  messages: {},
  check() {},
});
