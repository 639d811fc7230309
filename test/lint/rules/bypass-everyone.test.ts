import { bypassEveryone } from '../../../src/lint/rules/bypass-everyone.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests(bypassEveryone, {
  valid: [
    'app "Status" {\n  domain "status.example.com"\n  bypass "Health" if ip("10.0.0.0/8")\n  allow "Staff" if email_domain("example.com")\n}',
    {
      name: 'an allow for everyone is allows-everyone',
      code: 'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Everyone" if everyone\n}',
    },
  ],
  invalid: [
    {
      name: 'bypass everyone',
      code: 'app "Public" {\n  domain "public.example.com"\n  bypass "All" if everyone\n}',
      errors: [
        {
          message:
            'app `Public` is open to every request without signing in: e.g. an anonymous request gets through by bypass `All` (precedence 1)',
          line: 1,
          column: 5,
          endLine: 1,
          endColumn: 13,
          witness: {},
          decides: { app: 'Public', decision: 'bypass', policy: 'Public / All' },
          related: ['3:10 `All` (precedence 1) matches every request'],
          help: 'if the app is public, remove it from Access; otherwise narrow the bypass (e.g. to a path or an IP range)',
        },
      ],
    },
    {
      name: 'bypasses that cover every address between them (CIDR covering is exact)',
      code: `app "Public" {
  domain "public.example.com"
  bypass "Low half" if ip("0.0.0.0/1")
  bypass "High half" if ip("128.0.0.0/1")
  service_auth "No IPv4" if not ip("0.0.0.0/0")
  allow "Staff" if email_domain("example.com")
}`,
      errors: [
        {
          message:
            'app `Public` is open to every request without signing in: e.g. a request at 0.0.0.1 gets through by bypass `Low half` (precedence 1)',
          line: 1,
          column: 5,
          witness: { ip: '0.0.0.1' },
          decides: { app: 'Public', decision: 'bypass', policy: 'Public / Low half' },
        },
      ],
    },
  ],
});
