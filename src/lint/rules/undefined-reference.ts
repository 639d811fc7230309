import { compilerRule } from '../compiler-rule.js';

/** A selector, group, identity provider or policy that is not defined. */
export const undefinedReference = compilerRule({
  id: 'undefined-reference',
  summary: 'a selector, group, identity provider or policy that is not defined',
  covers: ['ACL0301', 'ACL0302', 'ACL0303', 'ACL0304'],
});
