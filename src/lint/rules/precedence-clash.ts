import { compilerRule } from '../compiler-rule.js';

/** Two policies of one app end up with the same precedence. */
export const precedenceClash = compilerRule({
  id: 'precedence-clash',
  summary: 'two policies of one app have the same precedence, written or after numbering',
  covers: ['ACL0310'],
});
