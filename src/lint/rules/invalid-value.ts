import { compilerRule } from '../compiler-rule.js';

/** Selector arguments and values the API would reject. The `@` in front of a domain has a safe fix. */
export const invalidValue = compilerRule({
  id: 'invalid-value',
  summary: 'a selector argument or value the API would reject (bad email, domain, CIDR, country, …)',
  covers: [
    'ACL0308',
    'ACL0313',
    'ACL0314',
    'ACL0401',
    'ACL0402',
    'ACL0403',
    'ACL0404',
    'ACL0405',
    'ACL0406',
    'ACL0407',
    'ACL0408',
    'ACL0409',
    'ACL0410',
    'ACL0411',
    'ACL0412',
    'ACL0413',
    'ACL0414',
    'ACL0415',
    'ACL0416',
    'ACL0430',
    'ACL0431',
    'ACL0432',
    'ACL0433',
    'ACL0434',
    'ACL0435',
    'ACL0436',
    'ACL0437',
  ],
  // Dropping the `@` keeps the meaning; clearing host bits of a CIDR may not be what was meant.
  safeFix: (d) => d.code === 'ACL0402',
});
