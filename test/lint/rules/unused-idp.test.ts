import { unusedIdp } from '../../../src/lint/rules/unused-idp.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(unusedIdp, {
  valid: [
    'idp okta: okta = "Okta"\npolicy "Eng" allow if okta_group(okta, "engineering")',
    {
      name: 'used by login_method',
      code: 'idp otp: onetimepin = "PIN"\npolicy "PIN" allow if login_method(otp)',
    },
    {
      name: 'used only by an app setting',
      code: 'idp gh: github = "GitHub"\napp "A" {\n  domain "a.example.com"\n  allowed_idps [gh]\n  allow "Staff" if email_domain("example.com")\n}',
    },
  ],
  invalid: [
    {
      code: 'idp okta: okta = "Okta"\nidp gh: github = id("0b4a6a3f")\npolicy "Eng" allow if login_method(gh)',
      errors: [
        {
          message: 'identity provider `okta` is never used',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 24,
          help: 'remove it, or use it: `login_method(okta)`, a group selector, or `allowed_idps [okta]`',
        },
      ],
    },
  ],
});
