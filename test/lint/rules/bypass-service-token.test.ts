import { bypassServiceToken } from '../../../src/lint/rules/bypass-service-token.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(bypassServiceToken, {
  valid: [
    'app "API" {\n  domain "api.example.com"\n  service_auth "CI" if service_token("ci")\n}',
    {
      name: 'a token excluded from a bypass',
      code: 'policy "Health" bypass if ip("10.0.0.0/8") and not any_service_token',
    },
  ],
  invalid: [
    {
      name: 'an inline bypass for a token',
      code: 'app "API" {\n  domain "api.example.com"\n  bypass "CI" if service_token("ci", "buildkite")\n}',
      errors: [
        {
          message:
            'bypass `CI` matches service tokens (e.g. a request with service token `ci`); a bypass turns Access off for those requests instead of checking the token',
          line: 3,
          column: 32,
          endLine: 3,
          endColumn: 36,
          witness: { serviceToken: 'ci' },
          decides: { app: 'API', decision: 'bypass', policy: 'API / CI' },
          help: 'write `service_auth` instead of `bypass`: it checks the token and logs the request, a bypass does neither',
        },
      ],
    },
    {
      name: 'through a group, reported at the group reference',
      code: `group "Machines" = service_token("ci") or any_service_token
policy "Deploy" bypass if ip("192.0.2.0/24") and group("Machines")`,
      errors: [
        {
          message:
            'bypass `Deploy` matches service tokens (e.g. a request with service token `ci` at 192.0.2.1); a bypass turns Access off for those requests instead of checking the token',
          line: 2,
          column: 50,
          witness: { ip: '192.0.2.1', serviceToken: 'ci' },
          matches: ['Deploy'],
        },
      ],
    },
  ],
});
