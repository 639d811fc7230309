import { invalidSetting } from '../../../src/lint/rules/invalid-setting.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(invalidSetting, {
  valid: ['app "A" {\n  domain "a.example.com"\n  session_duration 8h\n  allow "X" if everyone\n}'],
  invalid: [
    {
      code: 'app "A" {\n  domain "a.example.com"\n  colour "red"\n  allow "X" if everyone\n}\napp "B" {\n  allow "X" if everyone\n}',
      errors: [
        { message: 'unknown setting `colour` for an app', line: 3, column: 3, endLine: 3, endColumn: 9 },
        { message: 'app `B` has no domain', line: 6, column: 5, help: 'add `domain "host.example.com"`' },
      ],
    },
  ],
});
