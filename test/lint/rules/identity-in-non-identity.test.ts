import { identityInNonIdentity } from '../../../src/lint/rules/identity-in-non-identity.js';
import { runRuleTests } from '../rule-tester.js';

const help =
  'bypass and service_auth policies see only the request (IP, country, certificate, service token, device posture); use an allow policy to check who the user is';

runRuleTests(identityInNonIdentity, {
  valid: [
    'policy "Health" bypass if ip("10.0.0.0/8") and country("US")',
    'policy "CI" service_auth if service_token("ci") and certificate',
    { name: 'identity selectors in an allow', code: 'policy "Staff" allow if email_domain("example.com")' },
    {
      // Cloudflare's list of identity-based selectors leaves device posture out: it is checked on every request.
      name: 'device posture in a service_auth or bypass policy',
      code: 'policy "CI" service_auth if service_token("ci") and device_posture("disk")\npolicy "Kiosk" bypass if device_posture("kiosk")',
    },
  ],
  invalid: [
    {
      name: 'an email in a bypass',
      code: 'policy "VIP" bypass if email("ceo@example.com") and ip("10.0.0.0/8")',
      errors: [
        {
          message: '`email` reads the user identity, which Access does not check in bypass policy `VIP`',
          line: 1,
          column: 24,
          endLine: 1,
          endColumn: 48,
          help,
        },
      ],
    },
    {
      name: 'through a group, in a service_auth policy; negated too',
      code: `group "Staff" = email_domain("example.com") or okta_group(okta, "eng")
idp okta: okta = "Okta"
app "API" {
  domain "api.example.com"
  service_auth "CI" if service_token("ci") and not group("Staff") and not device_posture("disk")
}`,
      errors: [
        {
          message:
            'group `Staff` uses `email_domain`, which reads the user identity; Access does not check it in service_auth policy `CI`',
          line: 5,
          column: 52,
          related: ['1:17 `email_domain` is used here'],
        },
      ],
    },
  ],
});
