import { idpTypeMismatch } from '../../../src/lint/rules/idp-type-mismatch.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(idpTypeMismatch, {
  valid: ['idp okta: okta = "Okta"\npolicy "P" allow if okta_group(okta, "admins")'],
  invalid: [
    {
      code: 'idp azure: azure = "Azure AD"\nidp x: nosuch = "X"\npolicy "P" allow if okta_group(azure, "admins") or login_method(x)',
      errors: [
        { message: 'unknown identity provider type `nosuch`', line: 2, column: 8 },
        {
          message:
            '`okta_group` needs an identity provider of type `okta`, but `azure` is declared as `azure`',
          line: 3,
          column: 32,
          endLine: 3,
          endColumn: 37,
        },
      ],
    },
  ],
});
