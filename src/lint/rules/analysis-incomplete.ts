import { defineRule } from '../rule.js';

/**
 * Reported by the lint run itself (once) when the analysis engine gave up on its budget for some checks. The
 * check here does nothing; the rule exists so the finding has an id, a level and a doc page.
 */
export const analysisIncomplete = defineRule({
  meta: {
    id: 'analysis-incomplete',
    category: 'semantics',
    defaultSeverity: 'info',
    summary:
      'some semantic checks were skipped: the analysis exceeded its budget, or declarations have errors',
    fixable: false,
  },
  messages: {},
  check() {},
});
