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
      // The second is not analysed again (same terms and values): its findings are replayed on its own terms.
      name: 'the same condition in two policies, one removal at a time',
      code: [
        'policy "A" allow if email_domain("example.com") and email("alice@example.com") and email_domain("example.com")',
        'policy "B" allow if email_domain("example.com") and email("alice@example.com") and email_domain("example.com")',
      ].join('\n'),
      errors: [1, 2].flatMap((line) => {
        const owner = line === 1 ? 'A' : 'B';
        const message = `\`email_domain("example.com")\` is redundant in policy \`${owner}\`: whoever matches the rest also matches it (e.g. \`alice@example.com\`)`;
        return [
          { message, line, column: 21, witness: { email: 'alice@example.com' } },
          { message, line, column: 84, witness: { email: 'alice@example.com' } },
        ];
      }),
    },
    {
      name: 'the same large condition (checked term by term) in two policies',
      code: [1, 2]
        .map(
          (n) =>
            `policy "P${n}" allow if email("dup@x.com") or email("u0@x.com") or email("u1@x.com") or email("u2@x.com") or email("u3@x.com") or email("u4@x.com") or email("u5@x.com") or email("u6@x.com") or email("u7@x.com") or email("u8@x.com") or email("u9@x.com") or email("u10@x.com") or email("u11@x.com") or email("u12@x.com") or email("u13@x.com") or email("u14@x.com") or email("u15@x.com") or email("u16@x.com") or email("u17@x.com") or email("u18@x.com") or email("u19@x.com") or email("u20@x.com") or email("u21@x.com") or email("u22@x.com") or email("u23@x.com") or email("u24@x.com") or email("u25@x.com") or email("u26@x.com") or email("u27@x.com") or email("u28@x.com") or email("u29@x.com") or email("u30@x.com") or email("u31@x.com") or email("u32@x.com") or email("u33@x.com") or email("u34@x.com") or email("u35@x.com") or email("u36@x.com") or email("u37@x.com") or email("u38@x.com") or email("u39@x.com") or email("u40@x.com") or email("u41@x.com") or email("u42@x.com") or email("u43@x.com") or email("u44@x.com") or email("u45@x.com") or email("u46@x.com") or email("u47@x.com") or email("u48@x.com") or email("u49@x.com") or email("u50@x.com") or email("u51@x.com") or email("u52@x.com") or email("u53@x.com") or email("u54@x.com") or email("u55@x.com") or email("u56@x.com") or email("u57@x.com") or email("u58@x.com") or email("u59@x.com") or email("u60@x.com") or email("u61@x.com") or email("u62@x.com") or email("u63@x.com") or email("u64@x.com") or email("dup@x.com")`,
        )
        .join('\n'),
      errors: [1, 2].map((line) => ({
        message: `\`email("dup@x.com")\` is redundant in policy \`P${line}\`: everyone it matches is matched by the rest anyway (e.g. \`dup@x.com\`)`,
        line,
        column: 22,
        witness: { email: 'dup@x.com' },
      })),
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
