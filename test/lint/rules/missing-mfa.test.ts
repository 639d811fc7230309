import { missingMfa } from '../../../src/lint/rules/missing-mfa.js';
import { runRuleTests } from '../rule-tester.js';

const admin = (policies: string, settings = '') =>
  `app "Admin console" {\n  domain "admin.example.com"${settings}\n${policies}\n}`;

runRuleTests(missingMfa, {
  valid: [
    { name: 'no sensitive app configured', code: admin('  allow "Staff" if email_domain("example.com")') },
    {
      name: 'MFA required by the condition',
      code: admin('  allow "Staff" if email_domain("example.com") and auth_method("mfa")'),
      config: { sensitiveApps: ['Admin*'] },
    },
    {
      name: 'MFA required by Access settings on the app',
      code: admin(
        '  allow "Staff" if email_domain("example.com")',
        '\n  mfa { allowed_authenticators ["totp"] }',
      ),
      config: { sensitiveApps: ['Admin*'] },
    },
    {
      name: 'an allow that only decides for people the deny before it leaves with MFA',
      code: admin(
        '  deny "No MFA" if not auth_method("mfa")\n  allow "Staff" if email_domain("example.com")',
      ),
      config: { rules: { 'missing-mfa': ['warning', { apps: ['Admin console'] }] } },
    },
  ],
  invalid: [
    {
      name: 'an allow without MFA on a sensitive app',
      code: admin('  allow "Staff" if email_domain("example.com")'),
      config: { sensitiveApps: ['Admin*'] },
      errors: [
        {
          message:
            '`Staff` (precedence 1) lets `user@example.com` into sensitive app `Admin console` without MFA',
          line: 3,
          column: 9,
          endLine: 3,
          endColumn: 16,
          witness: { email: 'user@example.com' },
          decides: { app: 'Admin console', decision: 'allow', policy: 'Admin console / Staff' },
          help: 'add `and auth_method("mfa")` to its condition, or an `mfa { … }` block to the policy or the app',
        },
      ],
    },
    {
      name: 'MFA on one branch only; the policy turns the app setting off',
      code: `policy "Ops" allow if email_domain("ops.example.com") {
  mfa { mfa_disabled true }
}
${admin('  use "Ops"\n  allow "Staff" if email_domain("example.com") and auth_method("mfa") or country("DE")', '\n  mfa { allowed_authenticators ["security_key"] }')}`,
      config: { rules: { 'missing-mfa': ['error', { apps: ['Admin console'] }] } },
      errors: [
        {
          message:
            '`Ops` (precedence 1) lets `user@ops.example.com` into sensitive app `Admin console` without MFA',
          line: 7,
          column: 3,
          severity: 'error',
          witness: { email: 'user@ops.example.com' },
          decides: { app: 'Admin console', decision: 'allow', policy: 'Ops' },
        },
      ],
    },
  ],
});
