import { missingInclude } from '../../../src/lint/rules/missing-include.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(missingInclude, {
  valid: [
    'policy "Staff" allow if email_domain("example.com") and not country("KP")',
    {
      name: 'a double negation includes',
      code: 'policy "Staff" allow if not (not email_domain("example.com") or country("KP"))',
    },
    { name: 'a deny may only exclude', code: 'policy "Outside" deny if not country("DE")' },
    {
      name: 'an extern group names its members',
      code: 'extern group "Staff"\npolicy "Staff" allow if group("Staff") and not country("KP")',
    },
  ],
  invalid: [
    {
      name: 'only an exclusion, through a group',
      code: `group "Not sanctioned" = not country("KP") and not country("IR")
policy "Anyone but KP" allow if group("Not sanctioned")`,
      errors: [
        {
          message:
            '`Anyone but KP` names nobody to include: its condition only excludes, so it matches everyone else, e.g. a request from FR',
          line: 2,
          column: 33,
          endLine: 2,
          endColumn: 56,
          witness: { country: 'FR' },
          matches: ['Anyone but KP'],
          help: 'say who it is for and keep the exclusion, e.g. `group("Employees") and not country("KP")`',
        },
      ],
    },
    {
      name: 'a bypass for everyone outside a network',
      code: 'policy "Not office" bypass if not ip("10.0.0.0/8")',
      errors: [
        {
          message:
            '`Not office` names nobody to include: its condition only excludes, so it matches everyone else, e.g. a request at 0.0.0.1',
          line: 1,
          column: 31,
          witness: { ip: '0.0.0.1' },
          matches: ['Not office'],
        },
      ],
    },
  ],
});
