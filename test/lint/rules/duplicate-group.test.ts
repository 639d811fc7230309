import { duplicateGroup } from '../../../src/lint/rules/duplicate-group.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(duplicateGroup, {
  valid: ['group "A" = email_domain("example.com")\ngroup "B" = email_domain("example.org")'],
  invalid: [
    {
      name: 'a domain and the same domain plus one of its addresses',
      code: `group "Staff" = email_domain("example.com")
group "Everyone at example" = email_domain("example.com") or email("ceo@example.com")
group "Office" = ip("10.0.0.0/9", "10.128.0.0/9")
group "Network" = ip("10.0.0.0/8")`,
      errors: [
        {
          message:
            'group `Everyone at example` matches exactly the same identities as `Staff` (both match e.g. `user@example.com`, and nobody matches only one)',
          line: 2,
          column: 7,
          witness: { email: 'user@example.com' },
          related: ['1:7 `Staff` is defined here'],
          help: 'keep one of them and refer to it wherever `Everyone at example` is used',
        },
        {
          message:
            'group `Network` matches exactly the same identities as `Office` (both match e.g. a request at 10.0.0.1, and nobody matches only one)',
          line: 4,
          column: 7,
          witness: { ip: '10.0.0.1' },
          related: ['3:7 `Office` is defined here'],
        },
      ],
    },
  ],
});
