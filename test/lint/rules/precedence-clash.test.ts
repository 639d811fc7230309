import { precedenceClash } from '../../../src/lint/rules/precedence-clash.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(precedenceClash, {
  valid: [
    'app "A" {\n  domain "a.example.com"\n  allow "X" if everyone precedence 2\n  deny "Y" if country("KP") precedence 1\n}',
  ],
  invalid: [
    {
      name: 'written precedence against numbering by order of appearance',
      code: `policy "Staff" allow if email_domain("example.com")
app "Intranet" {
  domain "intranet.example.com"
  use "Staff" precedence 2
  deny "Blocked" if country("KP")
}`,
      errors: [
        {
          message: 'precedence 2 is used twice in app `Intranet`',
          line: 5,
          column: 3,
          related: ['4:26 precedence 2 is given here'],
          help: 'precedence must be unique within an app; renumber or remove the explicit `precedence`',
        },
      ],
    },
  ],
});
