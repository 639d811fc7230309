import { compilerRule } from '../compiler-rule.js';

/** Two declarations of one kind share a name, or an app uses a policy twice. */
export const duplicateName = compilerRule({
  id: 'duplicate-name',
  summary: 'two IdPs, groups, policies or apps share a name, or an app uses one policy twice',
  covers: ['ACL0305', 'ACL0312'],
});
