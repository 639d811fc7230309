import { unusedSuppression } from '../../../src/lint/rules/unused-suppression.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(unusedSuppression, {
  valid: [
    '# aclc-disable-next-line unused-policy -- kept for the next app\npolicy "Later" allow if email_domain("example.com")',
  ],
  invalid: [
    {
      code: 'policy "Staff" allow if email_domain("example.com")\n# aclc-disable-next-line unused-group -- stale\napp "A" {\n  domain "a.example.com"\n  use "Staff"\n}',
      errors: [
        {
          message: 'suppression of `unused-group` matches no finding where it applies',
          line: 2,
          column: 26,
          endLine: 2,
          endColumn: 38,
          help: 'remove it',
        },
      ],
      output:
        'policy "Staff" allow if email_domain("example.com")\napp "A" {\n  domain "a.example.com"\n  use "Staff"\n}',
    },
  ],
});
