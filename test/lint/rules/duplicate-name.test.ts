import { duplicateName } from '../../../src/lint/rules/duplicate-name.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(duplicateName, {
  valid: ['group "A" = everyone\ngroup "B" = group("A")\npolicy "P" allow if group("B")'],
  invalid: [
    {
      name: 'a group defined twice',
      code: 'group "A" = email("a@example.com")\ngroup "A" = everyone\npolicy "P" allow if group("A")',
      errors: [
        {
          message: 'group `A` is defined more than once',
          line: 2,
          column: 7,
          endLine: 2,
          endColumn: 10,
          related: ['1:7 first defined here'],
          help: 'rename one of them or remove the duplicate',
        },
      ],
    },
    {
      name: 'an app that uses a policy twice',
      code: 'policy "P" allow if everyone\napp "A" {\n  domain "a.example.com"\n  use "P"\n  use "P"\n}',
      errors: [{ message: 'app `A` uses policy `P` more than once', line: 5, column: 7 }],
    },
  ],
});
