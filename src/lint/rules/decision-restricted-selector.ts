import { compilerRule } from '../compiler-rule.js';

/** A selector the API does not accept with the policy's decision (e.g. `linked_app_token` in an allow). */
export const decisionRestrictedSelector = compilerRule({
  id: 'decision-restricted-selector',
  summary: 'a selector the API does not accept with the decision of its policy',
  covers: ['ACL0309'],
});
