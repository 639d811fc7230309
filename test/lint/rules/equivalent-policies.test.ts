import { equivalentPolicies } from '../../../src/lint/rules/equivalent-policies.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(equivalentPolicies, {
  valid: [
    'policy "A" allow if email_domain("example.com")\npolicy "B" allow if email_domain("example.org")',
    {
      name: 'different decisions',
      code: 'policy "A" allow if country("KP")\npolicy "B" deny if country("KP")',
    },
  ],
  invalid: [
    {
      name: 'the same condition written differently',
      code: `policy "Europe" allow if country in ("DE", "FR")
policy "Staff" allow if email_domain("example.com")
policy "Also Europe" allow if country("FR") or country("DE") and not (country("FR") and email("x@example.com"))`,
      errors: [
        {
          message:
            'policy `Also Europe` matches exactly the same identities as `Europe` (both match e.g. a request from DE, and nobody matches only one)',
          line: 3,
          column: 8,
          endLine: 3,
          endColumn: 21,
          witness: { country: 'DE' },
          matches: ['Europe', 'Also Europe'],
          related: ['1:8 `Europe` is defined here'],
          help: 'keep one of them and `use` it wherever `Also Europe` is used',
        },
      ],
    },
  ],
});
