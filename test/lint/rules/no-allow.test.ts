import { noAllow } from '../../../src/lint/rules/no-allow.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(noAllow, {
  valid: [
    'app "Wiki" {\n  domain "wiki.example.com"\n  deny "KP" if country("KP")\n  allow "Staff" if email_domain("example.com")\n}',
    {
      name: 'a service_auth policy is a way in',
      code: 'app "API" {\n  domain "api.example.com"\n  service_auth "CI" if service_token("ci")\n}',
    },
    {
      name: 'a bookmark takes no policies',
      code: 'app "Status" {\n  type bookmark\n  url "https://status.example.com"\n}',
    },
  ],
  invalid: [
    {
      name: 'only deny policies',
      code: 'app "Locked" {\n  domain "locked.example.com"\n  deny "Block" if everyone\n}',
      errors: [
        {
          message: 'app `Locked` has no allow, bypass or service_auth policy, so Access denies every request',
          line: 1,
          column: 5,
          endLine: 1,
          endColumn: 13,
          help: 'add an allow policy saying who may use the app',
        },
      ],
    },
    {
      name: 'every allowed identity is denied first',
      code: `app "Denied" {
  domain "denied.example.com"
  deny "Outside DE" if not country("DE")
  allow "US staff" if email_domain("example.com") and country("US")
}`,
      errors: [
        {
          message:
            'nobody can reach app `Denied`: everyone its allow policies match is denied first, e.g. `user@example.com` from US by `Outside DE` (precedence 1)',
          line: 1,
          column: 5,
          witness: { email: 'user@example.com', country: 'US' },
          decides: { app: 'Denied', decision: 'deny', policy: 'Denied / Outside DE' },
          related: ['3:8 `Outside DE` (precedence 1) denies them first'],
          help: 'give the allow policies a lower precedence than the deny policies that cover them, or widen them',
        },
      ],
    },
    {
      name: 'the allow matches nobody',
      code: 'app "Never" {\n  domain "never.example.com"\n  allow "Nobody" if country("US") and country("DE")\n}',
      errors: [
        {
          message: 'nobody can reach app `Never`: its allow, bypass and service_auth policies match nobody',
          line: 1,
          column: 5,
        },
      ],
    },
  ],
});
