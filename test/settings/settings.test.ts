import { describe, expect, it } from 'vitest';
import { checkAppDomain } from '../../src/settings/app-settings.js';
import {
  APP_SETTINGS,
  POLICY_SETTINGS,
  type SettingsTable,
  settingsReference,
} from '../../src/settings/index.js';
import { expectDiagnostics, resolveText, type Shown } from '../resolve/helpers.js';

/** An app `A` whose body is `lines` (after a domain unless `domain` is false); the app body starts on line 3. */
function app(lines: string[], domain = true): string {
  return ['idp okta: okta = "Okta"', 'idp google: google = "Google"', 'app "A" {']
    .concat(domain ? ['  domain "a.example.com"'] : [])
    .concat(lines.map((l) => `  ${l}`))
    .concat(['}'])
    .join('\n');
}

/** A policy `P` whose settings block holds `lines`, one per line from line 2. */
function policy(lines: string[]): string {
  return ['policy "P" allow if everyone {', ...lines.map((l) => `  ${l}`), '}'].join('\n');
}

interface Case {
  name: string;
  src: string;
  errors: Shown[];
}

const cases: Case[] = [
  // ── ACL0501 unknown setting ───────────────────────────────────────────────────────
  {
    name: 'misspelt app setting',
    src: app(['sesion_duration 1h']),
    errors: [
      {
        code: 'ACL0501',
        at: '5:3',
        message: 'unknown setting `sesion_duration` for an app',
        help: 'did you mean `session_duration`?',
      },
    ],
  },
  {
    name: 'policy setting in an app',
    src: app(['approval_required true']),
    errors: [
      {
        code: 'ACL0501',
        at: '5:3',
        message: 'unknown setting `approval_required` for an app',
        help: expect.stringMatching(
          /^an app takes `domain`, `destination`, `type`, .* and `mfa`$/,
        ) as unknown as string,
      },
    ],
  },
  {
    name: 'unknown key in a nested block',
    src: policy(['mfa { allowed_authenticator ["totp"] }']),
    errors: [
      {
        code: 'ACL0501',
        at: '2:9',
        message: 'unknown setting `allowed_authenticator` for the `mfa` block',
        help: 'did you mean `allowed_authenticators`?',
      },
    ],
  },
  // ── ACL0502 wrong type ────────────────────────────────────────────────────────────
  {
    name: 'string for a flag',
    src: app(['app_launcher_visible "yes"']),
    errors: [
      {
        code: 'ACL0502',
        at: '5:24',
        message: 'setting `app_launcher_visible` expects `true` or `false`, found the string `"yes"`',
        help: 'write it as `app_launcher_visible true`',
      },
    ],
  },
  {
    name: 'value outside an enum',
    src: app(['same_site_cookie_attribute loose']),
    errors: [
      {
        code: 'ACL0502',
        at: '5:30',
        message:
          'setting `same_site_cookie_attribute` expects one of `none`, `lax` or `strict`, found `loose`',
        help: 'write it as `same_site_cookie_attribute lax`',
      },
    ],
  },
  {
    name: 'a single string for a list',
    src: app(['tags "eng"']),
    errors: [
      {
        code: 'ACL0502',
        at: '5:8',
        message: 'setting `tags` expects a list of non-empty strings, found the string `"eng"`',
        help: 'write it as `tags ["engineering"]`',
      },
    ],
  },
  {
    name: 'a display name in allowed_idps',
    src: app(['allowed_idps [okta, "Google"]']),
    errors: [
      {
        code: 'ACL0502',
        at: '5:23',
        message: 'setting `allowed_idps` expects identity provider names, found the string `"Google"`',
        help: 'write it as `allowed_idps [okta]`, with names declared by `idp NAME = "…"`',
      },
    ],
  },
  {
    name: 'a flag for a block',
    src: app(['cors true']),
    errors: [{ code: 'ACL0502', at: '5:8', message: 'setting `cors` expects a block `{ … }`, found `true`' }],
  },
  {
    name: 'a number for a duration',
    src: policy(['session_duration 24']),
    errors: [
      {
        code: 'ACL0502',
        at: '2:20',
        message: 'setting `session_duration` expects a duration such as `24h`, found the number `24`',
        help: 'write it as `session_duration 8h`',
      },
    ],
  },
  {
    name: 'an enum item of the wrong kind in a list',
    src: policy(['mfa { allowed_authenticators ["totp", "sms"] }']),
    errors: [
      {
        code: 'ACL0502',
        at: '2:41',
        message:
          'setting `allowed_authenticators` expects one of `totp`, `biometrics` or `security_key`, found the string `"sms"`',
      },
    ],
  },
  // ── ACL0503 repeated ──────────────────────────────────────────────────────────────
  {
    name: 'a setting given twice',
    src: app(['session_duration 1h', 'session_duration 2h', 'domain "b.example.com"']),
    errors: [
      {
        code: 'ACL0503',
        at: '6:3',
        message: 'setting `session_duration` is given more than once',
        help: 'keep one',
        related: [{ at: '5:3', message: 'first given here' }],
      },
    ],
  },
  // ── ACL0504 / ACL0505 domains ─────────────────────────────────────────────────────
  {
    name: 'an app without a domain',
    src: app(['session_duration 1h'], false),
    errors: [
      {
        code: 'ACL0504',
        at: '3:5',
        message: 'app `A` has no domain',
        help: 'add `domain "host.example.com"`',
      },
    ],
  },
  {
    name: 'an app with too many domains',
    src: app([1, 2, 3, 4, 5].map((i) => `domain "d${i}.example.com"`)),
    errors: [
      {
        code: 'ACL0505',
        at: '9:3',
        message: 'app `A` has 6 domains, the API allows at most 5',
        help: 'split the app',
      },
    ],
  },
  {
    name: 'ACL0414 malformed domains',
    src: app(['domain "https://b.example.com"', 'domain "b.example.com/a b"', 'domain ""']),
    errors: [
      {
        code: 'ACL0414',
        at: '5:10',
        message: '`https://b.example.com` is not a valid hostname or path for an app domain',
        help: 'write `host.example.com` or `host.example.com/path`, without a scheme; `*` is a wildcard in subdomains and paths (`*.example.com`, `lab-*.example.com/docs/*`), not in the apex domain',
      },
      {
        code: 'ACL0414',
        at: '6:10',
        message: '`b.example.com/a b` is not a valid hostname or path for an app domain',
      },
      { code: 'ACL0414', at: '7:10', message: '`` is not a valid hostname or path for an app domain' },
    ],
  },
  {
    name: 'private destinations: one of cidr / hostname, ports in range',
    src: app([
      'destination { cidr "10.0.0.0/8" hostname "db.internal" }',
      'destination { port_range "22" }',
      'destination { cidr "10.0.0.1" port_range "70000" }',
      'destination { hostname "db.internal" port_range "30-20" l4_protocol icmp }',
    ]),
    errors: [
      {
        code: 'ACL0508',
        at: '5:35',
        message: 'settings `cidr` and `hostname` cannot be used together',
        help: 'a destination is an IP range or a hostname; keep one',
      },
      {
        code: 'ACL0507',
        at: '6:15',
        message: 'a `destination` block is missing `cidr` or `hostname`',
      },
      {
        code: 'ACL0416',
        at: '7:44',
        message: '`70000` is not a port or port range',
        help: 'write one port (`"22"`) or a range (`"8000-8099"`), ports from 1 to 65535',
      },
      { code: 'ACL0416', at: '8:51', message: '`30-20` is not a port or port range' },
      {
        code: 'ACL0502',
        at: '8:71',
        message: 'setting `l4_protocol` expects one of `tcp` or `udp`, found `icmp`',
      },
    ],
  },
  // ── ACL0506 out of range ──────────────────────────────────────────────────────────
  {
    name: 'max_age too large',
    src: app(['cors {', '  allow_all_origins true', '  max_age 100000', '}']),
    errors: [
      {
        code: 'ACL0506',
        at: '7:13',
        message: 'setting `max_age` is out of range: it must be between -1 and 86400',
        help: 'for example `max_age 600`',
      },
    ],
  },
  {
    name: 'no approvals needed',
    src: policy(['approval_groups [{ approvals_needed 0 emails ["a@example.com"] }]']),
    errors: [
      {
        code: 'ACL0506',
        at: '2:39',
        message: 'setting `approvals_needed` is out of range: it must be at least 1',
      },
    ],
  },
  {
    name: 'more approvals than approvers',
    src: policy(['approval_groups [{ approvals_needed 3 emails ["a@example.com", "b@example.com"] }]']),
    errors: [
      {
        code: 'ACL0506',
        at: '2:39',
        message:
          'setting `approvals_needed` is out of range: it needs 3 approvals but only 2 addresses are listed in `emails`',
        help: 'lower `approvals_needed` or add approvers',
      },
    ],
  },
  {
    name: 'MFA session too long',
    src: policy(['mfa { session_duration 721h }']),
    errors: [
      {
        code: 'ACL0506',
        at: '2:26',
        message: 'setting `session_duration` is out of range: it must be at most `720h`',
      },
    ],
  },
  // ── ACL0411 / ACL0509 durations ───────────────────────────────────────────────────
  {
    name: 'a string that is not a duration',
    src: app(['session_duration "one day"']),
    errors: [
      {
        code: 'ACL0411',
        at: '5:20',
        message: '`one day` is not a duration',
        help: 'write a duration such as `30m`, `24h` or `2h45m` (units: ns, us, ms, s, m, h)',
      },
    ],
  },
  {
    name: 'MFA session in seconds',
    src: policy(['mfa { session_duration 90s }']),
    errors: [
      {
        code: 'ACL0509',
        at: '2:26',
        message: 'setting `session_duration` takes a duration in `m` or `h`, found `90s`',
        help: 'for example `session_duration 24h`',
      },
    ],
  },
  // ── ACL0507 / ACL0508 ─────────────────────────────────────────────────────────────
  {
    name: 'approval group without approvers or a count',
    src: policy(['approval_groups [{ }]']),
    errors: [
      {
        code: 'ACL0507',
        at: '2:20',
        message: 'an approval group is missing `approvals_needed`',
        help: 'write it as `{ approvals_needed 1 emails ["security@example.com"] }`',
      },
      { code: 'ACL0507', at: '2:20', message: 'an approval group is missing `emails` or `email_list`' },
    ],
  },
  {
    name: 'approval group with both emails and a list',
    src: policy(['approval_groups [{ approvals_needed 1 emails ["a@example.com"] email_list "Approvers" }]']),
    errors: [
      {
        code: 'ACL0508',
        at: '2:66',
        message: 'settings `emails` and `email_list` cannot be used together',
        help: 'an approval group names its approvers one way; keep one',
        related: [{ at: '2:41', message: '`emails` given here' }],
      },
    ],
  },
  {
    name: 'preflight bypass with cors',
    src: app(['options_preflight_bypass true', 'cors { allow_all_origins true }']),
    errors: [
      {
        code: 'ACL0508',
        at: '6:3',
        message: 'settings `options_preflight_bypass` and `cors` cannot be used together',
        help: 'with `cors` Access answers preflight requests itself; remove one of them',
        related: [{ at: '5:3', message: '`options_preflight_bypass` is turned on here' }],
      },
    ],
  },
  {
    name: 'allow_all_origins with a list of origins',
    src: app(['cors { allow_all_origins true allowed_origins ["https://x.example.com"] }']),
    errors: [
      {
        code: 'ACL0508',
        at: '5:33',
        message: 'settings `allow_all_origins` and `allowed_origins` cannot be used together',
      },
    ],
  },
  {
    name: 'MFA turned off with authenticators',
    src: policy(['mfa {', '  mfa_disabled true', '  allowed_authenticators ["totp"]', '}']),
    errors: [
      {
        code: 'ACL0508',
        at: '4:5',
        message: 'settings `mfa_disabled` and `allowed_authenticators` cannot be used together',
        related: [{ at: '3:5', message: 'MFA is turned off here' }],
      },
    ],
  },
  // ── ACL0510 auto redirect ─────────────────────────────────────────────────────────
  {
    name: 'auto redirect without allowed_idps',
    src: app(['auto_redirect_to_identity true']),
    errors: [
      {
        code: 'ACL0510',
        at: '5:3',
        message:
          '`auto_redirect_to_identity` needs exactly one identity provider in `allowed_idps`, found none',
        help: 'list a single identity provider, e.g. `allowed_idps [okta]`, or remove `auto_redirect_to_identity`',
      },
    ],
  },
  {
    name: 'auto redirect with two IdPs',
    src: app(['auto_redirect_to_identity true', 'allowed_idps [okta, google]']),
    errors: [
      {
        code: 'ACL0510',
        at: '6:3',
        message: '`auto_redirect_to_identity` needs exactly one identity provider in `allowed_idps`, found 2',
      },
    ],
  },
  // ── values inside settings ────────────────────────────────────────────────────────
  {
    name: 'checked values inside settings',
    src: app([
      'allowed_idps [okat]',
      'logo_url "logo.svg"',
      'custom_deny_message ""',
      'cors { allowed_origins ["example.com"] }',
    ]),
    errors: [
      {
        code: 'ACL0303',
        at: '5:17',
        message: 'unknown identity provider `okat`',
        help: 'did you mean `okta`? declare it with `idp NAME = "Display name"`',
      },
      { code: 'ACL0407', at: '6:12', message: '`logo.svg` is not an http(s) URL' },
      { code: 'ACL0406', at: '7:23', message: 'empty string' },
      { code: 'ACL0407', at: '8:27', message: '`example.com` is not an http(s) URL' },
    ],
  },
  {
    name: 'emails and list references in approval groups',
    src: policy([
      'approval_groups [',
      '  { approvals_needed 1 emails ["not-an-email"] },',
      '  { approvals_needed 1 email_list id("") },',
      '  true',
      ']',
    ]),
    errors: [
      { code: 'ACL0401', at: '3:34', message: '`not-an-email` is not a valid email address' },
      { code: 'ACL0412', at: '4:37', message: '`` is not a valid id' },
      {
        code: 'ACL0502',
        at: '5:5',
        message: 'setting `approval_groups` expects a list of blocks `[{ … }]`, found `true`',
      },
    ],
  },
];

describe('settings errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectDiagnostics(resolveText(c.src), c.errors);
    });
  }
});

describe('settings values', () => {
  it('an app’s settings as API fields, in table order, with defaults', () => {
    const r = resolveText(
      app([
        'domain "B.example.com/Admin"',
        'domain "a.example.com"',
        'tags ["ops", "eng", "ops"]',
        'session_duration "2h45m"',
        'allowed_idps [okta, google, okta]',
        'same_site_cookie_attribute "strict"',
        'cors {',
        '  allowed_methods [GET, "POST"]',
        '  allowed_origins ["https://app.example.com"]',
        '  allow_credentials true',
        '  max_age 0',
        '}',
        'logo_url "https://example.com/logo.svg"',
        'mfa { allowed_authenticators [security_key] }',
      ]),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.project.apps[0]?.settings).toEqual({
      domain: 'a.example.com',
      destinations: [
        { type: 'public', uri: 'a.example.com' },
        { type: 'public', uri: 'b.example.com/Admin' },
      ],
      type: 'self_hosted',
      session_duration: '2h45m',
      allowed_idps: ['$ref:idp:Okta', '$ref:idp:Google'],
      same_site_cookie_attribute: 'strict',
      logo_url: 'https://example.com/logo.svg',
      tags: ['ops', 'eng'],
      cors_headers: {
        allowed_origins: ['https://app.example.com'],
        allowed_methods: ['GET', 'POST'],
        allow_credentials: true,
        max_age: 0,
      },
      mfa_config: { allowed_authenticators: ['security_key'] },
    });
  });

  it('one domain is sent as `domain` only; the type can be set', () => {
    const r = resolveText('app "A" {\n  domain "ssh.example.com"\n  type ssh\n}');
    expect(r.diagnostics).toEqual([]);
    expect(r.project.apps[0]?.settings).toEqual({ domain: 'ssh.example.com', type: 'ssh' });
  });

  it('a policy’s settings as API fields', () => {
    const r = resolveText(
      [
        'idp okta = id("0oa1")',
        policy([
          'session_duration 30m',
          'approval_required true',
          'approval_groups [',
          '  { approvals_needed 2 emails ["A@example.com", "b@example.com"] },',
          '  { approvals_needed 1 email_list "Approvers" },',
          '  { approvals_needed 1 email_list id("6b0c") }',
          ']',
          'purpose_justification_required true',
          'purpose_justification_prompt "Why?"',
          'isolation_required false',
          'mfa { session_duration 12h mfa_disabled false allowed_authenticators [totp, "biometrics"] }',
        ]),
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.project.policies.get('P')?.settings).toEqual({
      session_duration: '30m',
      approval_required: true,
      approval_groups: [
        { approvals_needed: 2, email_addresses: ['a@example.com', 'b@example.com'] },
        { approvals_needed: 1, email_list_uuid: '$ref:email_list:Approvers' },
        { approvals_needed: 1, email_list_uuid: '6b0c' },
      ],
      isolation_required: false,
      purpose_justification_required: true,
      purpose_justification_prompt: 'Why?',
      mfa_config: {
        allowed_authenticators: ['totp', 'biometrics'],
        mfa_disabled: false,
        session_duration: '12h',
      },
    });
  });

  it('durations in microseconds are sent with the micro sign, whichever mu was written', () => {
    const r = resolveText(app(['session_duration 1h300\u03bcs']));
    expect(r.diagnostics).toEqual([]);
    expect(r.project.apps[0]?.settings.session_duration).toBe('1h300\u00b5s');
  });

  it('literal IdP ids go into allowed_idps as they are', () => {
    const r = resolveText(
      'idp okta = id("0oa1")\napp "A" {\n  domain "a.example.com"\n  allowed_idps [okta]\n}',
    );
    expect(r.project.apps[0]?.settings.allowed_idps).toEqual(['0oa1']);
  });

  it('settings with errors are left out, the rest is kept', () => {
    const r = resolveText(app(['session_duration "soon"', 'app_launcher_visible false']));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ACL0411']);
    expect(r.project.apps[0]?.settings).toEqual({
      domain: 'a.example.com',
      type: 'self_hosted',
      app_launcher_visible: false,
    });
  });
});

describe('settings tables', () => {
  const tables: SettingsTable[] = [];
  const walk = (t: SettingsTable) => {
    if (tables.includes(t)) return;
    tables.push(t);
    for (const e of t.entries) if (e.type.kind === 'block' || e.type.kind === 'blocks') walk(e.type.table);
  };
  walk(POLICY_SETTINGS);
  walk(APP_SETTINGS);

  it('every example is accepted as written', () => {
    for (const e of POLICY_SETTINGS.entries) {
      const r = resolveText(policy([e.example]));
      expect(r.diagnostics, e.key).toEqual([]);
      expect(r.project.policies.get('P')?.settings[e.wire], e.key).toBeDefined();
    }
    // Settings of one app type are tried on an app of that type.
    const typed: Record<string, string[]> = {
      saas_app: ['type saas'],
      url: ['type bookmark'],
      target_criteria: ['type infrastructure'],
    };
    for (const e of APP_SETTINGS.entries) {
      const lines = e.key === 'auto_redirect_to_identity' ? [e.example, 'allowed_idps [okta]'] : [e.example];
      const r = resolveText(app([...(typed[e.key] ?? []), ...lines], !(e.key in typed)));
      expect(r.diagnostics, e.key).toEqual([]);
      expect(r.project.apps[0]?.settings[e.wire], e.key).toBeDefined();
    }
  });

  it('keys are unique and documented in every table', () => {
    for (const t of tables) {
      const keys = t.entries.map((e) => e.key);
      expect(new Set(keys).size, t.name).toBe(keys.length);
      for (const e of t.entries) {
        expect(e.doc, `${t.name}.${e.key}`).toMatch(/^([a-z`]|[A-Z]{2})/);
        expect(e.example.startsWith(`${e.key} `), `${t.name}.${e.key}`).toBe(true);
      }
    }
  });

  it('the generated reference lists every setting', () => {
    const text = settingsReference();
    for (const t of tables) for (const e of t.entries) expect(text).toContain(`| \`${e.key}\` |`);
    expect(text).toContain('#### `approval_groups` block');
    expect(text).toContain('#### `cors` block');
  });
});

describe('app domains: wildcards as Cloudflare documents them', () => {
  // developers.cloudflare.com/cloudflare-one/access-controls/policies/app-paths/: `*` in the subdomain and the
  // path, one level per wildcard, several wildcards for several levels; a live account holds `lab-*.example.io`.
  it.each([
    'lab-*.example.io',
    '*.*.example.com',
    '*.example.com',
    'a.*.example.com',
    '*-dev.example.com/admin/*',
    'example.com',
    'foo.example.co.uk',
    'App.Example.com/Path',
  ])('accepts `%s`', (d) => {
    expect(checkAppDomain(d)).toEqual({ ok: true, value: d.replace(/^[^/]*/, (h) => h.toLowerCase()) });
  });
  it.each([
    '*.com',
    'example.*',
    '*.example.*',
    'a**.example.com',
    'a..example.com',
    '-a.example.com',
    'localhost',
    'https://a.example.com',
    'a.example.com/a b',
  ])('refuses `%s` (ACL0414)', (d) => {
    expect(checkAppDomain(d)).toEqual({ ok: false, code: 'ACL0414', args: { value: d } });
  });
});
