import { orderMisleading } from '../../../src/lint/rules/order-misleading.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(orderMisleading, {
  valid: [
    `app "Status" {
  domain "status.example.com"
  bypass "Health" if ip("10.0.0.0/8")
  allow "Staff" if email_domain("example.com")
}`,
    {
      name: 'an explicit precedence puts the bypass first',
      code: `app "Status" {
  domain "status.example.com"
  allow "Staff" if email_domain("example.com") precedence 2
  bypass "Health" if ip("10.0.0.0/8") precedence 1
}`,
    },
  ],
  invalid: [
    {
      name: 'a bypass below a deny it overrides',
      code: `app "Status" {
  domain "status.example.com"
  deny "Block KP" if country("KP")
  bypass "Health" if ip("10.0.0.0/8")
}`,
      errors: [
        {
          message:
            '`Health` (precedence 2) is written after `Block KP` (precedence 1) but Access evaluates bypass policies first: a request from KP at 10.0.0.1 is decided by it although `Block KP` (precedence 1) comes first in the file',
          line: 4,
          column: 10,
          endLine: 4,
          endColumn: 18,
          witness: { country: 'KP', ip: '10.0.0.1' },
          decides: { app: 'Status', decision: 'bypass', policy: 'Status / Health' },
          matches: ['Status / Block KP'],
          related: ['3:8 `Block KP` (precedence 1) is written above it'],
          help: 'move it above the allow and deny policies (or give it the lowest precedence) so that the file reads in the order Access evaluates',
        },
      ],
    },
    {
      name: 'a service_auth below an allow it does not overlap',
      code: `app "Registry" {
  domain "registry.example.com"
  allow "Staff" if email_domain("example.com")
  service_auth "CI" if service_token("ci")
}`,
      errors: [
        {
          message:
            '`CI` (precedence 2) is written after `Staff` (precedence 1) but Access evaluates service_auth policies first (it decides e.g. for a request with service token `ci`)',
          line: 4,
          column: 16,
          witness: { serviceToken: 'ci' },
          decides: { app: 'Registry', decision: 'non_identity', policy: 'Registry / CI' },
        },
      ],
    },
  ],
});
