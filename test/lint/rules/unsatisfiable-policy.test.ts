import { unsatisfiablePolicy } from '../../../src/lint/rules/unsatisfiable-policy.js';
import { runRuleTests } from '../rule-tester.js';

const help =
  'look for contradictions such as two countries or two emails joined by `and` (a request has one of each), or a selector and its negation';

runRuleTests(unsatisfiablePolicy, {
  valid: [
    'policy "US" allow if country("US") or country("DE")',
    'group "Office" = ip("10.0.0.0/8") and not ip("10.1.0.0/16")',
  ],
  invalid: [
    {
      name: 'one country per request',
      code: 'policy "Both" allow if country("US") and country("DE")',
      errors: [
        {
          message: 'policy `Both` matches nobody: no identity can satisfy its condition',
          line: 1,
          column: 24,
          endLine: 1,
          endColumn: 55,
          help,
        },
      ],
    },
    {
      name: 'an address outside its own domain',
      code: 'policy "Odd" allow if email("a@x.com") and not email_domain("x.com")',
      errors: [
        {
          message: 'policy `Odd` matches nobody: no identity can satisfy its condition',
          line: 1,
          column: 23,
        },
      ],
    },
    {
      name: 'CIDR blocks that do not meet, in a group and an inline policy',
      code: `group "Nowhere" = ip("10.0.0.0/8") and ip("192.168.0.0/16")
app "Wiki" {
  domain "wiki.example.com"
  allow "Never" if group("Nowhere")
}`,
      errors: [
        {
          message: 'group `Nowhere` matches nobody: no identity can satisfy its condition',
          line: 1,
          column: 7,
        },
        {
          message: 'policy `Never` matches nobody: no identity can satisfy its condition',
          line: 4,
          column: 20,
        },
      ],
    },
  ],
});
