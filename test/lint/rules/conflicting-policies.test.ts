import { conflictingPolicies } from '../../../src/lint/rules/conflicting-policies.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(conflictingPolicies, {
  valid: [
    {
      name: 'a deny before the allow carves out an exception',
      code: `group "Engineers" = email_domain("eng.example.com")
app "Wiki" {
  domain "wiki.example.com"
  deny "Block KP" if country("KP")
  allow "Engineers" if group("Engineers")
}`,
    },
    {
      name: 'a closing deny for everyone',
      code: `app "Portal" {
  domain "portal.example.com"
  allow "Staff" if email_domain("example.com")
  deny "Everyone else" if everyone
}`,
    },
    {
      name: 'an allow and a later deny that never overlap',
      code: `app "Portal" {
  domain "portal.example.com"
  allow "US staff" if email_domain("example.com") and country("US")
  deny "Block KP" if country("KP")
}`,
    },
    {
      name: 'a bypass runs before every deny whatever the order: nothing to reorder',
      code: `app "Status" {
  domain "status.example.com"
  bypass "Health" if ip("10.0.0.0/8")
  deny "Block KP" if country("KP")
  allow "Staff" if email_domain("example.com")
}`,
    },
    {
      name: 'the overlap is decided by an earlier deny',
      code: `app "Portal" {
  domain "portal.example.com"
  deny "Block KP" if country("KP")
  allow "Staff" if email_domain("example.com")
  deny "Block KP again" if country("KP") or email("eve@example.com")
}`,
    },
  ],
  invalid: [
    {
      name: 'an allow before a deny that overlaps it',
      code: `group "Engineers" = email_domain("eng.example.com")
app "Wiki" {
  domain "wiki.example.com"
  allow "Engineers" if group("Engineers")
  deny "Block XX" if country("KP")
}`,
      errors: [
        {
          message:
            '`user@eng.example.com` from KP is allowed by `Engineers` (precedence 1) before `Block XX` (precedence 2) can deny them',
          line: 5,
          column: 8,
          endLine: 5,
          endColumn: 18,
          witness: { email: 'user@eng.example.com', country: 'KP' },
          decides: { app: 'Wiki', decision: 'allow', policy: 'Wiki / Engineers' },
          matches: ['Wiki / Block XX'],
          related: ['4:9 `Engineers` (precedence 1) allows some of them first'],
          help: 'if they should be denied, give `Block XX` (precedence 2) a lower precedence than `Engineers` (precedence 1); otherwise narrow `Block XX` (precedence 2) to the identities it can still deny',
        },
      ],
    },
    {
      name: 'one finding per deny, naming every allow that wins over it',
      code: `policy "Staff" allow if email_domain("example.com")
policy "Contractors" allow if email_domain("contractor.example.org")
app "Portal" {
  domain "portal.example.com"
  use "Staff"
  use "Contractors"
  deny "Risky" if user_risk_score("high")
}`,
      errors: [
        {
          message:
            '`user@example.com` with risk score `high` is allowed by `Staff` (precedence 1) before `Risky` (precedence 3) can deny them (1 more allow policy also wins over it)',
          line: 7,
          column: 8,
          witness: { email: 'user@example.com', riskScore: 'high' },
          decides: { app: 'Portal', decision: 'allow', policy: 'Staff' },
          matches: ['Portal / Risky'],
          related: [
            '5:3 `Staff` (precedence 1) allows some of them first',
            '6:3 `Contractors` (precedence 2) allows some of them first',
          ],
        },
      ],
    },
  ],
});
