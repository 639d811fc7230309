import { unusedPolicy } from '../../../src/lint/rules/unused-policy.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(unusedPolicy, {
  valid: [
    'policy "Staff" allow if email_domain("example.com")\napp "A" {\n  domain "a.example.com"\n  use "Staff"\n}',
  ],
  invalid: [
    {
      code: 'policy "Staff" allow if email_domain("example.com")\napp "A" {\n  domain "a.example.com"\n  allow "Inline" if everyone\n}',
      errors: [
        {
          message: 'policy `Staff` is not used by any app',
          line: 1,
          column: 8,
          endLine: 1,
          endColumn: 15,
          help: 'remove it, or add `use "Staff"` to the apps it is for',
        },
      ],
    },
  ],
});
