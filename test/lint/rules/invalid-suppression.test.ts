import { invalidSuppression } from '../../../src/lint/rules/invalid-suppression.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(invalidSuppression, {
  valid: [
    '# aclc-disable-next-line unused-policy -- kept for the next app\npolicy "Later" allow if email_domain("example.com")',
  ],
  invalid: [
    {
      code: '# aclc-disable-next-line unused-policy\npolicy "Later" allow if email_domain("example.com")\n# aclc-disable-next-line unused-polcy -- typo\npolicy "Other" allow if everyone',
      errors: [
        {
          message: 'suppression of `unused-policy` gives no reason',
          line: 1,
          column: 1,
          help: 'add ` -- <why this is fine>` after the rule ids',
        },
        {
          message: 'unknown rule `unused-polcy` in suppression',
          line: 3,
          column: 26,
          help: 'did you mean `unused-policy`? the rule ids are listed in `docs/rules/`',
        },
      ],
    },
  ],
});
