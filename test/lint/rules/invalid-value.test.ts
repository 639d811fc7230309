import { invalidValue } from '../../../src/lint/rules/invalid-value.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(invalidValue, {
  valid: ['policy "P" allow if email_domain("example.com") and ip("10.0.0.0/8") and country("GB")'],
  invalid: [
    {
      name: 'a leading `@` is fixed; host bits are not (the intent is unclear)',
      code: 'policy "Bad" allow if email_domain("@example.com") and ip("10.1.2.3/8") and country("UK")',
      errors: [
        {
          message: 'email domain `@example.com` starts with `@`',
          line: 1,
          column: 36,
          help: 'write the domain without `@`',
        },
        {
          message: '`10.1.2.3/8` has host bits set',
          line: 1,
          column: 59,
          help: 'the network is `10.0.0.0/8`',
        },
        { message: '`UK` is not an ISO 3166-1 alpha-2 country code', line: 1, column: 85 },
      ],
      output: 'policy "Bad" allow if email_domain("example.com") and ip("10.1.2.3/8") and country("UK")',
    },
    {
      name: 'setting values',
      code: 'app "A" {\n  domain "a.example.com"\n  session_duration "one day"\n  allow "X" if everyone\n}',
      errors: [{ message: '`one day` is not a duration', line: 3, column: 20 }],
    },
  ],
});
