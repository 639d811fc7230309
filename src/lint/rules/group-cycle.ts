import { compilerRule } from '../compiler-rule.js';

/** A group that contains itself through other groups. */
export const groupCycle = compilerRule({
  id: 'group-cycle',
  summary: 'a group refers to itself, directly or through other groups',
  covers: ['ACL0306'],
});
