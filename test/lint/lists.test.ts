// Lint decides on the members of a list declared in code (`list "…" = ip(…)`), and keeps an account list opaque.
import { shadowedPolicy } from '../../src/lint/rules/shadowed-policy.js';
import { unsatisfiablePolicy } from '../../src/lint/rules/unsatisfiable-policy.js';
import { runRuleTests } from './rule-tester.js';

const hooks = 'list "hooks" = ip("192.30.252.0/22")\n';
const people = 'list "people" = email("a@x.com", "b@x.com")\n';

runRuleTests(unsatisfiablePolicy, {
  valid: [
    // An account list (not declared in code) is opaque: it may hold other addresses.
    'policy "P" allow if ip_list("hooks") and not ip("192.30.252.0/22")',
    `${hooks}policy "P" allow if ip_list("hooks") and not ip("192.30.252.0/23")`,
    `${people}policy "P" allow if email_list("people") and not email("a@x.com")`,
  ],
  invalid: [
    {
      name: 'a one-member IP list minus its member',
      code: `${hooks}policy "P" allow if ip_list("hooks") and not ip("192.30.252.0/22")`,
      errors: [
        { message: 'policy `P` matches nobody: no identity can satisfy its condition', line: 2, column: 21 },
      ],
    },
    {
      name: 'an IP list and an address outside every member',
      code: `${hooks}policy "P" allow if ip_list("hooks") and ip("10.0.0.0/8")`,
      errors: [
        { message: 'policy `P` matches nobody: no identity can satisfy its condition', line: 2, column: 21 },
      ],
    },
    {
      name: 'an email list minus each of its members',
      code: `${people}policy "P" allow if email_list("people") and not email("a@x.com") and not email("b@x.com")`,
      errors: [
        { message: 'policy `P` matches nobody: no identity can satisfy its condition', line: 2, column: 21 },
      ],
    },
  ],
});

runRuleTests(shadowedPolicy, {
  valid: [
    // Opaque account list: nothing is known to cover it.
    `app "A" {
  domain "a.example.com"
  allow "Net" if ip("192.30.252.0/22")
  deny "Hooks" if ip_list("hooks")
}`,
  ],
  invalid: [
    {
      name: 'a policy on a list covered by an earlier policy on its members',
      code: `${hooks}app "A" {
  domain "a.example.com"
  allow "Net" if ip("192.30.252.0/22")
  deny "Hooks" if ip_list("hooks")
}`,
      errors: [
        {
          line: 5,
          column: 8,
          message:
            '`Hooks` (precedence 2) never takes effect in app `A`: everyone it matches is decided earlier by `Net` (precedence 1); e.g. a request at 192.30.252.1 is allowed by `Net`',
        },
      ],
    },
  ],
});
