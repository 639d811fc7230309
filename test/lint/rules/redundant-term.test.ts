import { redundantTerm } from '../../../src/lint/rules/redundant-term.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(redundantTerm, {
  valid: [
    'policy "Staff" allow if email_domain("example.com") and country("US")',
    'policy "Two" allow if email("a@example.com") or email("b@example.com")',
    {
      name: 'a condition nobody matches is left alone',
      code: 'policy "Never" allow if country("US") and country("DE")',
    },
  ],
  invalid: [
    {
      name: 'a domain implied by an address',
      code: 'policy "Alice" allow if email_domain("example.com") and email("alice@example.com")',
      errors: [
        {
          message:
            '`email_domain("example.com")` is redundant in policy `Alice`: whoever matches the rest also matches it (e.g. `alice@example.com`)',
          line: 1,
          column: 25,
          endLine: 1,
          endColumn: 52,
          witness: { email: 'alice@example.com' },
          matches: ['Alice'],
          help: 'remove it (and its `and` / `or`): the condition matches exactly the same identities without it',
        },
      ],
    },
    {
      name: 'an alternative covered by another',
      code: 'policy "Staff" allow if email("bob@example.com") or email_domain("example.com")',
      errors: [
        {
          message:
            '`email("bob@example.com")` is redundant in policy `Staff`: everyone it matches is matched by the rest anyway (e.g. `bob@example.com`)',
          line: 1,
          column: 25,
          witness: { email: 'bob@example.com' },
          matches: ['Staff'],
        },
      ],
    },
    {
      name: 'one value of a multi-value selector, inside a group; CIDR containment',
      code: 'group "Office" = ip("10.0.0.0/8", "10.1.0.0/16")\npolicy "Office" allow if group("Office")',
      errors: [
        {
          message:
            '`"10.1.0.0/16"` is redundant in group `Office`: everyone it matches is matched by the rest anyway (e.g. a request at 10.1.0.1)',
          line: 1,
          column: 35,
          witness: { ip: '10.1.0.1' },
          matches: ['Office'],
        },
      ],
    },
    {
      name: 'redundant only in the whole condition (absorption), one removal at a time',
      code: 'policy "Absorb" allow if country("US") and (country("US") or email("a@example.com"))',
      errors: [
        {
          message:
            '`country("US") or email("a@example.com")` is redundant in policy `Absorb`: whoever matches the rest also matches it (e.g. a request from US)',
          line: 1,
          column: 45,
          witness: { country: 'US' },
          matches: ['Absorb'],
        },
      ],
    },
    {
      name: 'an alternative that matches nobody',
      code: 'policy "Odd" allow if email("a@example.com") or (country("US") and country("DE"))',
      errors: [
        {
          message: '`country("US") and country("DE")` is redundant in policy `Odd`: it matches nobody',
          line: 1,
          column: 50,
        },
      ],
    },
    {
      name: 'an alternative that matches someone, but never together with the rest',
      code: 'policy "Odd" allow if country("US") and (email("a@example.com") or country("DE"))',
      errors: [
        {
          message:
            '`country("DE")` is redundant in policy `Odd`: nobody it matches also matches the rest of the condition',
          line: 1,
          column: 68,
        },
      ],
    },
  ],
});
