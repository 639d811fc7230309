import { shadowedPolicy } from '../../../src/lint/rules/shadowed-policy.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(shadowedPolicy, {
  valid: [
    `app "Wiki" {
  domain "wiki.example.com"
  allow "Bob" if email("bob@example.com")
  allow "Staff" if email_domain("example.com")
}`,
    {
      name: 'a policy that matches nobody is left to unsatisfiable-policy',
      code: `app "Wiki" {
  domain "wiki.example.com"
  allow "Staff" if email_domain("example.com")
  allow "Nobody" if country("US") and country("DE")
}`,
    },
  ],
  invalid: [
    {
      name: 'a narrower allow after a broader one',
      code: `app "Wiki" {
  domain "wiki.example.com"
  allow "Staff" if email_domain("example.com")
  allow "Bob" if email("bob@example.com")
}`,
      errors: [
        {
          message:
            '`Bob` (precedence 2) never takes effect in app `Wiki`: everyone it matches is decided earlier by `Staff` (precedence 1); e.g. `bob@example.com` is allowed by `Staff`',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 14,
          witness: { email: 'bob@example.com' },
          decides: { app: 'Wiki', decision: 'allow', policy: 'Wiki / Staff' },
          matches: ['Wiki / Bob'],
          related: ['3:9 `Staff` (precedence 1) is evaluated first'],
          help: 'remove it: the policies before it already decide the same way for everyone it matches',
        },
      ],
    },
    {
      name: 'covered by two policies together, one of them a bypass written below',
      code: `app "Wiki" {
  domain "wiki.example.com"
  deny "Block KP" if country("KP")
  allow "Not KP" if email("bob@example.com") and not country("KP")
  allow "Bob" if email("bob@example.com") and ip("10.0.0.0/8")
  bypass "Office" if ip("10.0.0.0/8")
}`,
      errors: [
        {
          message:
            '`Bob` (precedence 3) never takes effect in app `Wiki`: everyone it matches is decided earlier by `Office` (precedence 4); e.g. `bob@example.com` at 10.0.0.1 is let through without signing in by `Office`',
          line: 5,
          column: 9,
          witness: { email: 'bob@example.com', ip: '10.0.0.1' },
          decides: { app: 'Wiki', decision: 'bypass', policy: 'Wiki / Office' },
          matches: ['Wiki / Bob'],
          related: ['6:10 `Office` (precedence 4) is evaluated first'],
          help: 'if it should win, evaluate it first (give it a lower precedence than `Office` (precedence 4); bypass and service_auth policies always come before allow and deny); otherwise remove it',
        },
      ],
    },
    {
      name: 'a reusable policy shadowed in one app only, reported at its use',
      code: `policy "Bob" allow if email("bob@example.com")
app "Wiki" {
  domain "wiki.example.com"
  deny "Block everyone" if everyone
  use "Bob"
}
app "Docs" {
  domain "docs.example.com"
  use "Bob"
}`,
      errors: [
        {
          message:
            '`Bob` (precedence 2) never takes effect in app `Wiki`: everyone it matches is decided earlier by `Block everyone` (precedence 1); e.g. `bob@example.com` is denied by `Block everyone`',
          line: 5,
          column: 3,
          witness: { email: 'bob@example.com' },
          decides: { app: 'Wiki', decision: 'deny', policy: 'Wiki / Block everyone' },
          matches: ['Bob'],
        },
      ],
    },
  ],
});
