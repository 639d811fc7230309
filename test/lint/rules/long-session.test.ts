import { longSession } from '../../../src/lint/rules/long-session.js';
import { runRuleTests } from '../rule-tester.js';

const app = (settings: string) =>
  `app "A" {\n  domain "a.example.com"\n${settings}\n  allow "Staff" if email_domain("example.com")\n}`;

runRuleTests(longSession, {
  valid: [
    app('  session_duration 24h'),
    app('  session_duration "30m"'),
    {
      name: 'a raised maximum',
      code: app('  session_duration 48h'),
      config: { rules: { 'long-session': ['warning', { max: '72h' }] } },
    },
  ],
  invalid: [
    {
      name: 'an app session of a week',
      code: app('  session_duration 168h'),
      errors: [
        {
          message: 'session duration `168h` is longer than 24h',
          line: 3,
          column: 20,
          endLine: 3,
          endColumn: 24,
          help: 'a stolen session stays valid that long; shorten it, or raise `max` of `long-session` in aclc.config.json',
        },
      ],
    },
    {
      name: 'policy sessions, with a lower maximum and severity from the configuration',
      code: `policy "Staff" allow if email_domain("example.com") {
  session_duration "12h"
}
app "A" {
  domain "a.example.com"
  use "Staff"
  allow "Admins" if email("root@example.com") { session_duration 2h30m }
}`,
      config: { rules: { 'long-session': ['error', { max: '2h' }] } },
      errors: [
        { message: 'session duration `12h` is longer than 2h', line: 2, column: 20, severity: 'error' },
        { message: 'session duration `2h30m` is longer than 2h', line: 7, column: 66, severity: 'error' },
      ],
    },
  ],
});
