import { describe, expect, it } from 'vitest';
import { isPublicEmailDomain, publicEmailDomain } from '../../../src/lint/rules/public-email-domain.js';
import { runRuleTests } from '../rule-tester.js';

describe('isPublicEmailDomain', () => {
  it('knows the big providers and their country domains, and nothing else', () => {
    for (const d of [
      'gmail.com',
      'outlook.com',
      'hotmail.co.uk',
      'yahoo.co.jp',
      'gmx.de',
      'gmx.net',
      'proton.me',
      'icloud.com',
    ])
      expect(isPublicEmailDomain(d), d).toBe(true);
    for (const d of [
      'example.com',
      'live.example.com',
      'gmail.example.com',
      'mygmail.com',
      'gmx.example.org',
    ])
      expect(isPublicEmailDomain(d), d).toBe(false);
  });
});

runRuleTests(publicEmailDomain, {
  valid: [
    'policy "Staff" allow if email_domain("example.com")',
    {
      name: 'one address at a public provider',
      code: 'policy "Me" allow if email_domain("gmail.com") and email("me@gmail.com")',
    },
    { name: 'denying a public domain', code: 'policy "No gmail" deny if email_domain("gmail.com")' },
    {
      name: 'excluding a public domain',
      code: 'policy "Staff" allow if email_domain("example.com") and not email_domain("gmail.com")',
    },
  ],
  invalid: [
    {
      name: 'one of several values, country domain',
      code: 'policy "Partners" allow if email_domain("example.com", "yahoo.co.uk")',
      errors: [
        {
          message:
            '`Partners` lets in anyone with an `@yahoo.co.uk` address, e.g. `anyone@yahoo.co.uk`; anyone can create one',
          line: 1,
          column: 56,
          endLine: 1,
          endColumn: 69,
          witness: { email: 'anyone@yahoo.co.uk' },
          matches: ['Partners'],
          help: 'name the people: `email("…")`, an email list or an IdP group instead of `email_domain("yahoo.co.uk")`',
        },
      ],
    },
    {
      name: 'through a group, with another condition',
      code: `group "Partners" = email_domain("gmail.com") or email_domain("partner.example")
policy "Partners in US" allow if group("Partners") and country("US")`,
      errors: [
        {
          message:
            '`Partners in US` lets in anyone with an `@gmail.com` address, e.g. `anyone@gmail.com` from US; anyone can create one',
          line: 2,
          column: 34,
          witness: { email: 'anyone@gmail.com', country: 'US' },
          matches: ['Partners in US'],
        },
      ],
    },
    {
      name: 'a condition that excludes the usual probe address still lets the domain in',
      code: 'policy "Mail" allow if email_domain("gmail.com") and not email("anyone@gmail.com")',
      errors: [
        {
          message:
            '`Mail` lets in anyone with an `@gmail.com` address, e.g. `anyone2@gmail.com`; anyone can create one',
          line: 1,
          column: 24,
          witness: { email: 'anyone2@gmail.com' },
          matches: ['Mail'],
        },
      ],
    },
  ],
});
