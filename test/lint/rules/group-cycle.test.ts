import { groupCycle } from '../../../src/lint/rules/group-cycle.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(groupCycle, {
  valid: [
    'group "A" = email("a@example.com")\ngroup "B" = group("A") and country("US")\npolicy "P" allow if group("B")',
  ],
  invalid: [
    {
      code: 'group "A" = group("B") or email("a@example.com")\ngroup "B" = group("A") and country("US")\npolicy "P" allow if group("A")',
      errors: [
        {
          message: 'group `A` refers to itself through `A` → `B` → `A`',
          line: 1,
          column: 7,
          related: ['1:13 `A` refers to `B` here', '2:13 `B` refers to `A` here'],
          help: 'groups cannot be recursive; break the cycle',
        },
      ],
    },
  ],
});
