import { duplicateValue } from '../../../src/lint/rules/duplicate-value.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(duplicateValue, {
  valid: [
    'policy "EU" allow if country("DE", "FR")',
    'policy "Two" allow if email("a@example.com") or email("a@example.com")',
  ],
  invalid: [
    {
      name: 'the same country twice, in either spelling',
      code: 'policy "EU" allow if country in ("DE", "FR", "de")',
      errors: [
        {
          message: '`"de"` is listed twice in `country`',
          line: 1,
          column: 46,
          endLine: 1,
          endColumn: 50,
          related: ['1:34 first listed here'],
          help: 'remove the repeated value',
        },
      ],
      output: 'policy "EU" allow if country in ("DE", "FR")',
    },
    {
      name: 'every repetition, across lines, in groups and inline policies',
      code: `group "Office" = ip("10.0.0.0/8",
  "10.0.0.0/8")
app "A" {
  domain "a.example.com"
  allow "Team" if email("a@example.com", "b@example.com", "A@example.com", "b@example.com") or group("Office", "Office")
}`,
      errors: [
        { message: '`"10.0.0.0/8"` is listed twice in `ip`', line: 2, column: 3 },
        { message: '`"A@example.com"` is listed twice in `email`', line: 5, column: 59 },
        { message: '`"b@example.com"` is listed twice in `email`', line: 5, column: 76 },
        { message: '`"Office"` is listed twice in `group`', line: 5, column: 112 },
      ],
      output: `group "Office" = ip("10.0.0.0/8")
app "A" {
  domain "a.example.com"
  allow "Team" if email("a@example.com", "b@example.com") or group("Office")
}`,
    },
  ],
});
