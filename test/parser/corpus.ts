import fc from 'fast-check';

/** Valid programs that together use every construct of the grammar; seeds for mutation and formatting tests. */
export const VALID_PROGRAMS: readonly string[] = [
  '',
  '# only a comment\n',
  'idp okta: okta = "Okta"\nidp gh: github = id("0f3c-11")\nidp legacy = "Legacy SSO"',
  'extern group "Employees"\ngroup "Sanctioned" = country in ("KP", "IR", "SY", "CU")',
  'list "GitHub hooks" = ip("192.30.252.0/22", "185.199.108.0/22")\nlist "People" = email("a@x.com")\n' +
    'policy "Hooks" bypass if ip_list("GitHub hooks") or email_list("People")',
  'group "Engineers" = okta_group(okta, "engineering") or email_domain("eng.example.com")\n' +
    'group "SRE" = group("Engineers") and (azure_group(azure, "sre") or github_org(gh, "acme", "sre",))',
  'policy "Block sanctioned" deny if group("Sanctioned")\n' +
    'policy "Employees" allow if group("Employees") and auth_method("mfa") { session_duration 24h; purpose_justification_required true }',
  '# leading\npolicy "Not" block if not not everyone and not (certificate or any_service_token) // trailing\n',
  'app "Service" {\n  domain "svc.example.com"\n  session_duration 12h,\n  cors { allowed_origins ["https://a.example.com", "https://b.example.com",]; max_age 300 }\n' +
    '  use "Block sanctioned" precedence 1\n  use extern "Dashboard policy"\n  use extern id("c0ffee") precedence 9\n  bypass "Health" if ip("198.51.100.0/24")\n' +
    '  allow "Owners" if email("a@example.com", "b@example.com") or (group("SRE") and country("US")) precedence 5 { session_duration 1h }\n' +
    '  service_auth "CI" if service_token("ci") and ip("203.0.113.0/24");\n  non_identity "Tokens" if linked_app_token(id("app-1"))\n}',
  'app "Empty" {}\napp "Lists" { tags []; ids [id("a"), id("b")]; nested [[1, 2], [3]]; flag false; kind self_hosted; n 0 }',
  'group "Zone staff" in zone "example.com" = email_domain("corp.example.com") or group("Staff")\n' +
    'group "By id" in zone id("0123456789abcdef0123456789abcdef") = everyone\n' +
    'app "Wiki" {\n  zone "example.com"\n  domain "wiki.example.com"\n  allow "Staff" if group("Zone staff")\n}',
  'policy "Escapes" allow if email("a\\"b@example.com") or common_name("tab\\there \\u{1F600} \\\\ end")',
];

/** Fragments a mutation may insert: tokens, half tokens, bad characters, comments. */
export const FRAGMENTS: readonly string[] = [
  'policy',
  'app',
  'group',
  'extern',
  'idp',
  'id',
  'use',
  'if',
  'and',
  'or',
  'not',
  'in',
  'zone',
  'in zone "example.com"',
  'precedence',
  'allow',
  'alow',
  'deny',
  'block',
  'bypass',
  'service_auth',
  'true',
  'false',
  'x',
  'email',
  '"s"',
  '"',
  '"\\q"',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '=',
  ';',
  '24h',
  '1.5h',
  '42',
  '@',
  '/',
  '\\',
  '# c\n',
  '// c\n',
  '\n',
  ' ',
  '\u0000',
  '\u00e9',
  '\ud800',
  '😀',
];

/** One edit of a text: delete, insert or replace with a fragment, duplicate a slice. */
export const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 6 }),
    text: fc.constantFrom(...FRAGMENTS),
  }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

export function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.op) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.len);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.len);
    case 'duplicate':
      return text.slice(0, at + m.len) + text.slice(at, at + m.len) + text.slice(at + m.len);
  }
}
