import { unusedGroup } from '../../../src/lint/rules/unused-group.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(
  unusedGroup,
  {
    valid: [
      'group "Staff" = email_domain("example.com")\npolicy "Staff" allow if group("Staff")',
      {
        name: 'used through another group, and an extern group used by a policy',
        code: 'extern group "HR"\ngroup "Staff" = email_domain("example.com")\ngroup "All" = group("Staff", "HR")\npolicy "All" allow if group("All")',
      },
      {
        name: 'used from another file of the project',
        code: 'group "Staff" = email_domain("example.com")',
      },
    ],
    invalid: [
      {
        name: 'a group and an extern group nobody uses',
        code: 'group "Sales" = email_domain("example.com")\nextern group "HR"\npolicy "Everyone" allow if everyone',
        errors: [
          {
            message: 'group `Sales` is never used',
            line: 1,
            column: 7,
            endLine: 1,
            endColumn: 14,
            help: 'remove it, or use it in a policy with `group("…")`',
          },
          { message: 'group `HR` is never used', line: 2, column: 14 },
        ],
      },
    ],
  },
  { files: { 'other.acl': 'policy "Other" allow if group("Staff")' } },
);
