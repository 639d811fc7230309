import { allowsEveryone } from '../../../src/lint/rules/allows-everyone.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(allowsEveryone, {
  valid: [
    'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if email_domain("example.com")\n}',
    {
      name: 'open to everyone but one country',
      code: 'app "Wiki" {\n  domain "wiki.example.com"\n  deny "KP" if country("KP")\n  allow "Rest" if everyone\n}',
    },
    {
      name: 'bypassed for everyone is bypass-everyone',
      code: 'app "Public" {\n  domain "public.example.com"\n  bypass "All" if everyone\n}',
    },
  ],
  invalid: [
    {
      name: 'allow everyone',
      code: 'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Everyone" if everyone\n}',
      errors: [
        {
          message:
            'app `Wiki` lets everyone in: every identity is allowed, e.g. an anonymous request by `Everyone` (precedence 1)',
          line: 1,
          column: 5,
          endLine: 1,
          endColumn: 11,
          witness: {},
          decides: { app: 'Wiki', decision: 'allow', policy: 'Wiki / Everyone' },
          related: ['3:9 `Everyone` (precedence 1) lets them in'],
          help: 'say who the app is for (a group, an email domain, an IdP); anyone who can sign in with any identity provider gets in as it is',
        },
      ],
    },
    {
      name: 'two allows that together cover everyone, after a partial bypass',
      code: `policy "Staff" allow if email_domain("example.com")
app "Open" {
  domain "open.example.com"
  bypass "Office" if ip("10.0.0.0/8")
  use "Staff"
  allow "Everyone else" if not email_domain("example.com")
}`,
      errors: [
        {
          message:
            'app `Open` lets everyone in: every identity is allowed, e.g. a request at 0.0.0.1 by `Everyone else` (precedence 3)',
          line: 2,
          column: 5,
          witness: { ip: '0.0.0.1' },
          decides: { app: 'Open', decision: 'allow', policy: 'Open / Everyone else' },
          related: ['6:9 `Everyone else` (precedence 3) lets them in'],
        },
      ],
    },
  ],
});
