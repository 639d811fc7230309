import { undefinedReference } from '../../../src/lint/rules/undefined-reference.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(undefinedReference, {
  valid: ['extern group "Staff"\npolicy "P" allow if group("Staff")'],
  invalid: [
    {
      code: `group "eng_team" = email_domain("eng.example.com")
policy "Typo" allow if emial("x@example.com") or group("eng-team") or login_method(okat)
app "A" {
  domain "a.example.com"
  use "Typo"
  use "Contractors"
}`,
      errors: [
        { message: 'unknown selector `emial`', line: 2, column: 24, help: 'did you mean `email`?' },
        { message: 'unknown group `eng-team`', line: 2, column: 56 },
        { message: 'unknown identity provider `okat`', line: 2, column: 84 },
        { message: 'unknown policy `Contractors`', line: 6, column: 7 },
      ],
    },
  ],
});
