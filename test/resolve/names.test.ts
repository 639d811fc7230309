import { describe, expect, it } from 'vitest';
import { expectDiagnostics, resolveText, type Shown } from './helpers.js';

interface Case {
  name: string;
  src: string | Record<string, string>;
  errors: Shown[];
}

const cases: Case[] = [
  // ── ACL0301 unknown selector ──────────────────────────────────────────────────────
  {
    name: 'misspelt selector',
    src: 'policy "P" allow if emial("a@example.com")',
    errors: [
      { code: 'ACL0301', at: '1:21', message: 'unknown selector `emial`', help: 'did you mean `email`?' },
    ],
  },
  {
    name: 'group name written as a selector',
    src: 'group "eng" = everyone\npolicy "P" allow if eng',
    errors: [
      {
        code: 'ACL0301',
        at: '2:21',
        message: 'unknown selector `eng`',
        help: 'to use the group `eng`, write `group("eng")`',
      },
    ],
  },
  {
    name: 'IdP name written as a selector',
    src: 'idp okta = "Okta"\npolicy "P" allow if okta',
    errors: [
      {
        code: 'ACL0301',
        at: '2:21',
        message: 'unknown selector `okta`',
        help: '`okta` is an identity provider; to match its users write `login_method(okta)`',
      },
    ],
  },
  // ── ACL0302 unknown group ─────────────────────────────────────────────────────────
  {
    name: 'misspelt group',
    src: 'group "eng_team" = email_domain("eng.example.com")\npolicy "P" allow if group("eng-team")',
    errors: [
      {
        code: 'ACL0302',
        at: '2:27',
        message: 'unknown group `eng-team`',
        help: 'did you mean `eng_team`? define it with `group "eng-team" = …`, or declare a group that lives in the account with `extern group "eng-team"`',
      },
    ],
  },
  {
    name: 'unknown group among several',
    src: 'extern group "Staff"\npolicy "P" allow if group("Staff", "Nobody")',
    errors: [
      {
        code: 'ACL0302',
        at: '2:36',
        message: 'unknown group `Nobody`',
        help: 'define it with `group "Nobody" = …`, or declare a group that lives in the account with `extern group "Nobody"`',
      },
    ],
  },
  // ── ACL0303 unknown IdP ───────────────────────────────────────────────────────────
  {
    name: 'misspelt IdP',
    src: 'idp okta = "Okta"\npolicy "P" allow if login_method(okat)',
    errors: [
      {
        code: 'ACL0303',
        at: '2:34',
        message: 'unknown identity provider `okat`',
        help: 'did you mean `okta`? declare it with `idp NAME = "Display name"`',
      },
    ],
  },
  // ── ACL0304 unknown policy ────────────────────────────────────────────────────────
  {
    name: 'use of an unknown policy',
    src: 'policy "Staff" allow if everyone\napp "A" {\n  domain "a.example.com"\n  use "Staf"\n}',
    errors: [
      {
        code: 'ACL0304',
        at: '4:7',
        message: 'unknown policy `Staf`',
        help: 'did you mean `Staff`? define it with `policy "Staf" allow if …`, or write the policy inside the app',
      },
    ],
  },
  {
    name: 'use cannot name another app’s inline policy',
    src: 'app "A" {\n  domain "a.example.com"\n  allow "X" if everyone\n}\napp "B" {\n  domain "b.example.com"\n  use "A / X"\n}',
    errors: [{ code: 'ACL0304', at: '7:7', message: 'unknown policy `A / X`' }],
  },
  // ── ACL0315 reserved group prefix ─────────────────────────────────────────────────
  {
    name: 'a group named like a synthesized one',
    src: 'group "aclc~0123456789ab" = everyone',
    errors: [
      {
        code: 'ACL0315',
        at: '1:7',
        message:
          'group name `aclc~0123456789ab` starts with `aclc~`, which is reserved for groups aclc synthesizes',
        help: "rename the group; `plan --prune` treats every `aclc~` group as aclc's own",
      },
    ],
  },
  // ── ACL0305 duplicates ────────────────────────────────────────────────────────────
  {
    name: 'duplicates of every kind',
    src: [
      'idp okta = "Okta"',
      'idp okta = "Okta 2"',
      'group "G" = everyone',
      'extern group "G"',
      'policy "P" allow if everyone',
      'policy "P" deny if everyone',
      'app "A" { domain "a.example.com" }',
      'app "A" { domain "b.example.com" }',
    ].join('\n'),
    errors: [
      {
        code: 'ACL0305',
        at: '2:5',
        message: 'identity provider `okta` is defined more than once',
        help: 'rename one of them or remove the duplicate',
        related: [{ at: '1:5', message: 'first defined here' }],
      },
      {
        code: 'ACL0305',
        at: '4:14',
        message: 'group `G` is defined more than once',
        related: [{ at: '3:7', message: 'first defined here' }],
      },
      {
        code: 'ACL0305',
        at: '6:8',
        message: 'policy `P` is defined more than once',
        related: [{ at: '5:8', message: 'first defined here' }],
      },
      {
        code: 'ACL0305',
        at: '8:5',
        message: 'app `A` is defined more than once',
        related: [{ at: '7:5', message: 'first defined here' }],
      },
    ],
  },
  {
    name: 'duplicate across files',
    src: { 'a.acl': 'group "G" = everyone', 'b.acl': '\ngroup "G" = certificate' },
    errors: [
      {
        code: 'ACL0305',
        at: 'b.acl:2:7',
        message: 'group `G` is defined more than once',
        related: [{ at: 'a.acl:1:7', message: 'first defined here' }],
      },
    ],
  },
  {
    name: 'inline policy names clash with a reusable policy and with each other',
    src: [
      'policy "A / X" allow if everyone',
      'app "A" {',
      '  domain "a.example.com"',
      '  allow "Y" if everyone',
      '  deny "Y" if everyone',
      '  allow "X" if everyone',
      '}',
    ].join('\n'),
    errors: [
      {
        code: 'ACL0305',
        at: '5:8',
        message: 'policy `A / Y` is defined more than once',
        related: [{ at: '4:9', message: 'first defined here' }],
      },
      {
        code: 'ACL0305',
        at: '6:9',
        message: 'policy `A / X` is defined more than once',
        related: [{ at: '1:8', message: 'first defined here' }],
      },
    ],
  },
  // ── ACL0306 group cycles ──────────────────────────────────────────────────────────
  {
    name: 'two groups that refer to each other',
    src: 'group "A" = group("B") or email("a@example.com")\ngroup "B" = group("A") and country("US")',
    errors: [
      {
        code: 'ACL0306',
        at: '1:7',
        message: 'group `A` refers to itself through `A` → `B` → `A`',
        help: 'groups cannot be recursive; break the cycle',
        related: [
          { at: '1:13', message: '`A` refers to `B` here' },
          { at: '2:13', message: '`B` refers to `A` here' },
        ],
      },
    ],
  },
  {
    name: 'a group that refers to itself',
    src: 'group "S" = country("US") or not group("S")',
    errors: [
      {
        code: 'ACL0306',
        at: '1:7',
        message: 'group `S` refers to itself through `S` → `S`',
        related: [{ at: '1:34', message: '`S` refers to `S` here' }],
      },
    ],
  },
  {
    name: 'one report per cycle, on its first-declared group, across files',
    src: {
      'a.acl': 'group "A" = group("B")\ngroup "B" = group("C") or group("B2")\ngroup "D" = group("A")',
      'b.acl':
        'group "C" = group("A")\ngroup "B2" = group("B")\ngroup "X" = group("Y")\ngroup "Y" = group("X")',
    },
    errors: [
      {
        code: 'ACL0306',
        at: 'a.acl:1:7',
        message: 'group `A` refers to itself through `A` → `B` → `C` → `A`',
      },
      {
        code: 'ACL0306',
        at: 'b.acl:3:7',
        message: 'group `X` refers to itself through `X` → `Y` → `X`',
      },
    ],
  },
  // ── ACL0307 IdP of the wrong type ─────────────────────────────────────────────────
  {
    name: 'okta_group with an Azure IdP',
    src: 'idp az: azure = "Azure AD"\npolicy "P" allow if okta_group(az, "admins")',
    errors: [
      {
        code: 'ACL0307',
        at: '2:32',
        message: '`okta_group` needs an identity provider of type `okta`, but `az` is declared as `azure`',
        help: 'use an identity provider declared with a matching type, e.g. `idp okta: okta = "…"`',
      },
    ],
  },
  {
    name: 'saml with a GitHub IdP',
    src: 'idp gh: github = "GitHub"\ngroup "G" = saml(gh, "dept", "eng")',
    errors: [
      {
        code: 'ACL0307',
        at: '2:18',
        message:
          '`saml` needs an identity provider of type `saml`, `okta`, `onelogin`, `pingone`, `centrify` or `azure`, but `gh` is declared as `github`',
      },
    ],
  },
  // ── ACL0308 arguments ─────────────────────────────────────────────────────────────
  {
    name: 'selector that needs arguments written bare',
    src: 'policy "P" allow if email',
    errors: [
      {
        code: 'ACL0308',
        at: '1:21',
        message: '`email` takes one or more arguments (address, …), found no arguments',
        help: 'write it as `email("alice@example.com")`',
      },
    ],
  },
  {
    name: 'nullary selector with an argument',
    src: 'policy "P" allow if everyone("x")',
    errors: [
      {
        code: 'ACL0308',
        at: '1:21',
        message: '`everyone` takes no arguments, found 1 argument',
        help: 'write it as `everyone`',
      },
    ],
  },
  {
    name: 'too many arguments',
    src: 'idp gh: github = "GitHub"\npolicy "P" allow if github_org(gh, "acme", "infra", "extra")',
    errors: [
      {
        code: 'ACL0308',
        at: '2:21',
        message: '`github_org` takes 2 or 3 arguments (idp, org, [team]), found 4 arguments',
        help: 'write it as `github_org(github, "acme", "platform")`',
      },
    ],
  },
  {
    name: 'too few arguments',
    src: 'idp okta: okta = "Okta"\npolicy "P" allow if saml(okta, "dept")',
    errors: [
      {
        code: 'ACL0308',
        at: '2:21',
        message: '`saml` takes at least 3 arguments (idp, attribute, value, …), found 2 arguments',
        help: 'write it as `saml(saml, "department", "engineering")`',
      },
    ],
  },
  {
    name: 'a name where a string value belongs',
    src: 'policy "P" allow if email(alice)',
    errors: [
      {
        code: 'ACL0308',
        at: '1:27',
        message: '`email` takes a string for `address`, found `alice`',
        help: 'write it as `email("alice@example.com")`',
      },
    ],
  },
  {
    name: 'a number where a string value belongs',
    src: 'policy "P" allow if country(1)',
    errors: [
      { code: 'ACL0308', at: '1:29', message: '`country` takes a string for `code`, found the number `1`' },
    ],
  },
  {
    name: 'an id where an IdP name belongs',
    src: 'policy "P" allow if okta_group(id("0oa1"), "eng")',
    errors: [
      {
        code: 'ACL0308',
        at: '1:32',
        message: '`okta_group` takes an identity provider name for `idp`, found `id("0oa1")`',
        help: 'write it as `okta_group(okta, "engineering")`',
      },
    ],
  },
  // ── ACL0309 decisions ─────────────────────────────────────────────────────────────
  {
    name: 'linked_app_token in an allow policy',
    src: 'policy "P" allow if linked_app_token("Portal")',
    errors: [
      {
        code: 'ACL0309',
        at: '1:21',
        message: '`linked_app_token` cannot be used in a policy with decision `allow`',
        help: 'the API accepts it only with `service_auth` or `bypass` policies',
      },
    ],
  },
  {
    name: 'external_evaluation in an inline service_auth policy',
    src: 'app "A" {\n  domain "a.example.com"\n  service_auth "S" if external_evaluation("https://e.example.com", "https://k.example.com")\n}',
    errors: [
      {
        code: 'ACL0309',
        at: '3:23',
        message: '`external_evaluation` cannot be used in a policy with decision `service_auth`',
        help: 'the API accepts it only with `allow` or `deny` policies',
      },
    ],
  },
  // ── ACL0311 IdP types ─────────────────────────────────────────────────────────────
  {
    name: 'misspelt IdP type',
    src: 'idp x: oktaa = "X"',
    errors: [
      {
        code: 'ACL0311',
        at: '1:8',
        message: 'unknown identity provider type `oktaa`',
        help: 'did you mean `okta`?',
      },
    ],
  },
  {
    name: 'unknown IdP type',
    src: 'idp x: ldap = "X"',
    errors: [
      {
        code: 'ACL0311',
        at: '1:8',
        message: 'unknown identity provider type `ldap`',
        help: 'known types: `azure`, `github`, `google_workspace`, `google`, `okta`, `saml`, `oidc`, `onetimepin`, `onelogin`, `pingone`, `centrify`, `facebook`, `linkedin`, `yandex` or `cloudflare`',
      },
    ],
  },
  // ── ACL0313 / ACL0314 reference shapes ────────────────────────────────────────────
  {
    name: 'a name where an account object belongs',
    src: 'policy "P" allow if email_list(contractors)',
    errors: [
      {
        code: 'ACL0313',
        at: '1:32',
        message: 'expected a string or `id("…")` for `email_list`, found `contractors`',
        help: 'write it as `email_list("Contractors")`, or with a literal id: `id("…")`',
      },
    ],
  },
  {
    name: 'a name where a group belongs',
    src: 'group "eng" = everyone\npolicy "P" allow if group(eng)',
    errors: [
      { code: 'ACL0313', at: '2:27', message: 'expected a string or `id("…")` for `group`, found `eng`' },
    ],
  },
  {
    name: 'an IdP display name as a string',
    src: 'idp okta: okta = "Okta"\npolicy "P" allow if okta_group("Okta", "eng")',
    errors: [
      {
        code: 'ACL0314',
        at: '2:32',
        message: '`okta_group` takes an identity provider name, not a string',
        help: 'use the declared name: `okta_group(okta, …)`',
      },
    ],
  },
  {
    name: 'an undeclared IdP as a string',
    src: 'policy "P" allow if login_method("Google")',
    errors: [
      {
        code: 'ACL0314',
        at: '1:34',
        message: '`login_method` takes an identity provider name, not a string',
        help: 'declare it with `idp NAME = "Google"` and write `login_method(NAME, …)`',
      },
    ],
  },
  // ── several errors in one run ─────────────────────────────────────────────────────
  {
    name: 'every error of a file is reported in one run',
    src: 'policy "P" allow if emial("a@example.com") and group("nope") or country("XX")\npolicy "Q" deny if foo',
    errors: [
      { code: 'ACL0301', at: '1:21', message: 'unknown selector `emial`' },
      { code: 'ACL0302', at: '1:54', message: 'unknown group `nope`' },
      { code: 'ACL0405', at: '1:73', message: '`XX` is not an ISO 3166-1 alpha-2 country code' },
      { code: 'ACL0301', at: '2:20', message: 'unknown selector `foo`' },
    ],
  },
];

describe('name resolution errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectDiagnostics(resolveText(c.src), c.errors);
    });
  }

  it('lists every selector when nothing is close', () => {
    const r = resolveText('policy "P" allow if zzzzzz');
    expect(r.diagnostics.map((d) => d.help)).toEqual([
      expect.stringMatching(
        /^selectors are `everyone`, `email`, `email_domain`, .* or `cloudflare_account_member`$/,
      ),
    ]);
  });

  it('accepts what is valid, in any order across files', () => {
    const r = resolveText({
      'policies.acl': [
        'policy "P" allow if group("Eng") and login_method(okta) and group("Staff", id("0b1c"))',
        'policy "Q" bypass if linked_app_token("Portal") or certificate() or everyone',
      ].join('\n'),
      'groups.acl':
        'group "Eng" = okta_group(okta, "eng") or saml(anyidp, "dept", "eng")\nextern group "Staff"',
      'idps.acl': 'idp okta: okta = "Okta"\nidp anyidp = id("1234")',
    });
    expect(r.diagnostics).toEqual([]);
  });

  it('does not check decisions inside groups used by a policy', () => {
    const r = resolveText('group "G" = linked_app_token("Portal")\npolicy "P" allow if group("G")');
    expect(r.diagnostics).toEqual([]);
  });
});
