import { serviceTokenInAllow } from '../../../src/lint/rules/service-token-in-allow.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(serviceTokenInAllow, {
  valid: [
    'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if email_domain("example.com")\n}',
    'app "API" {\n  domain "api.example.com"\n  service_auth "CI" if service_token("ci")\n}',
    {
      name: 'a token excluded from an allow',
      code: 'policy "Staff" allow if email_domain("example.com") and not any_service_token',
    },
  ],
  invalid: [
    {
      name: 'an inline allow for a token, fixed to service_auth',
      code: 'app "API" {\n  domain "api.example.com"\n  allow "CI" if service_token("ci") and ip("192.0.2.0/24")\n}',
      errors: [
        {
          message:
            'allow `CI` matches service tokens (e.g. a request with service token `ci` at 192.0.2.1), but Access sends a request that an allow policy is for to its login page: the token never gets in',
          line: 3,
          column: 17,
          endLine: 3,
          endColumn: 36,
          witness: { ip: '192.0.2.1', serviceToken: 'ci' },
          decides: { app: 'API', decision: 'allow', policy: 'API / CI' },
          help: 'write `service_auth` instead of `allow`: it checks the token and lets the request in without a login page',
        },
      ],
      output:
        'app "API" {\n  domain "api.example.com"\n  service_auth "CI" if service_token("ci") and ip("192.0.2.0/24")\n}',
    },
    {
      name: 'next to identity selectors, through a group: no fix, split the policy',
      code: `group "Machines" = any_service_token
policy "Staff or CI" allow if email_domain("example.com") or group("Machines")`,
      errors: [
        {
          message:
            'allow `Staff or CI` matches service tokens (e.g. a request with service token `other-token`), but Access sends a request that an allow policy is for to its login page: the token never gets in',
          line: 2,
          column: 62,
          matches: ['Staff or CI'],
          help: 'move the service tokens into a `service_auth` policy of their own; keep the allow policy for signed-in users',
        },
      ],
    },
  ],
});
