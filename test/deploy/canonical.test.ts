import { describe, expect, it } from 'vitest';
import {
  appDomains,
  canonEqual,
  canonicalApp,
  canonicalGroup,
  canonicalPolicy,
  canonicalRule,
  stableStringify,
} from '../../src/deploy/canonical.js';
import { diffApp, diffGroup, diffPolicy } from '../../src/deploy/diff.js';

const group = (include: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'G',
  include,
  exclude: [],
  require: [],
  ...extra,
});

describe('canonical rules', () => {
  it('writes single IPs as CIDR, lower-cases emails and domains, upper-cases countries', () => {
    expect(canonicalRule({ ip: { ip: '192.0.2.1' } })).toEqual({ ip: { ip: '192.0.2.1/32' } });
    expect(canonicalRule({ ip: { ip: '2001:DB8::1' } })).toEqual({ ip: { ip: '2001:db8::1/128' } });
    expect(canonicalRule({ email: { email: 'Alice@Example.COM' } })).toEqual({
      email: { email: 'alice@example.com' },
    });
    expect(canonicalRule({ email_domain: { domain: 'Example.com' } })).toEqual({
      email_domain: { domain: 'example.com' },
    });
    expect(canonicalRule({ geo: { country_code: 'us' } })).toEqual({ geo: { country_code: 'US' } });
  });

  it('reads older field spellings as the current ones and drops empty optional fields', () => {
    expect(canonicalRule({ okta: { email: 'eng', connection_id: 'idp1' } })).toEqual({
      okta: { name: 'eng', identity_provider_id: 'idp1' },
    });
    expect(
      canonicalRule({ 'github-organization': { name: 'acme', team: '', identity_provider_id: 'g' } }),
    ).toEqual({
      'github-organization': { name: 'acme', identity_provider_id: 'g' },
    });
  });

  it('keeps unknown rule types as they are', () => {
    expect(canonicalRule({ future_rule: { b: 1, a: '' } })).toEqual({ future_rule: { b: 1 } });
  });
});

describe('canonical objects', () => {
  it('compares rule lists as sets', () => {
    const a = canonicalGroup(group([{ geo: { country_code: 'US' } }, { ip: { ip: '10.0.0.0/8' } }]));
    const b = canonicalGroup(
      group([{ ip: { ip: '10.0.0.0/8' } }, { geo: { country_code: 'us' } }, { geo: { country_code: 'US' } }]),
    );
    expect(canonEqual(a, b)).toBe(true);
  });

  it('ignores computed fields and treats empty values as absent', () => {
    const live = {
      ...group([{ everyone: {} }]),
      id: 'x',
      uid: 'x',
      created_at: 'then',
      updated_at: 'now',
      is_default: false,
    };
    expect(diffGroup(live, group([{ everyone: {} }]))).toEqual([]);
    const policyLive = {
      name: 'P',
      decision: 'allow',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
      reusable: true,
      app_count: 3,
      purpose_justification_prompt: '',
      approval_groups: [],
      session_duration: null,
      isolation_required: false,
    };
    expect(
      diffPolicy(policyLive, {
        name: 'P',
        decision: 'allow',
        include: [{ everyone: {} }],
        exclude: [],
        require: [],
      }),
    ).toEqual([]);
  });

  it('compares durations by length', () => {
    const a = canonicalPolicy({ name: 'P', decision: 'allow', include: [], session_duration: '1h' });
    const b = canonicalPolicy({ name: 'P', decision: 'allow', include: [], session_duration: '60m' });
    expect(stableStringify(a)).toBe(stableStringify(b));
  });

  it('treats API defaults of apps as absent, but not a meaningful false', () => {
    const desired = { name: 'A', type: 'self_hosted', domain: 'a.example.com', policies: [] };
    const live = {
      ...desired,
      id: 'app1',
      aud: 'abc',
      uid: 'app1',
      session_duration: '24h',
      app_launcher_visible: true,
      http_only_cookie_attribute: true,
      auto_redirect_to_identity: false,
      enable_binding_cookie: false,
      tags: [],
      self_hosted_domains: ['a.example.com'],
      destinations: [{ type: 'public', uri: 'a.example.com' }],
    };
    expect(diffApp(live, desired, (id) => id)).toEqual([]);
    expect(diffApp({ ...live, app_launcher_visible: false }, desired, (id) => id)).toEqual([
      { field: 'app_launcher_visible', before: false },
    ]);
  });

  it('reads the domain set from self_hosted_domains, destinations or domain', () => {
    expect(appDomains({ domain: 'A.example.com' })).toEqual(['a.example.com']);
    expect(
      appDomains({ domain: 'a.example.com', self_hosted_domains: ['a.example.com', 'B.example.com/x'] }),
    ).toEqual(['a.example.com', 'b.example.com/x']);
    expect(
      appDomains({
        domain: 'a.example.com',
        destinations: [
          { type: 'public', uri: 'c.example.com' },
          { type: 'private', cidr: '10.0.0.0/8' },
        ],
      }),
    ).toEqual(['c.example.com']);
    expect(
      canonicalApp({
        name: 'A',
        domain: 'a.example.com',
        self_hosted_domains: ['b.example.com', 'a.example.com'],
      }),
    ).toEqual({
      name: 'A',
      // `domain` is the primary domain when the list holds it: a reordered list is the same app
      domain: 'a.example.com',
      domains: ['a.example.com', 'b.example.com'],
    });
    expect(
      canonicalApp({
        name: 'A',
        domain: 'a.example.com',
        self_hosted_domains: ['a.example.com', 'b.example.com'],
      }),
    ).toEqual(
      canonicalApp({
        name: 'A',
        domain: 'a.example.com',
        self_hosted_domains: ['b.example.com', 'a.example.com'],
      }),
    );
    // the primary domain changed: shown as the domains, never as `"x" → "x"`
    const diff = diffApp(
      {
        name: 'A',
        domain: 'b.example.com',
        destinations: [
          { type: 'public', uri: 'b.example.com' },
          { type: 'public', uri: 'a.example.com' },
        ],
      },
      { name: 'A', domain: 'a.example.com', self_hosted_domains: ['a.example.com', 'b.example.com'] },
      (id) => id,
    );
    expect(diff).toEqual([{ field: 'domain', before: 'b.example.com', after: 'a.example.com' }]);
  });

  it('keeps rule fields it has no parameter for, so changes to them are visible', () => {
    const posture = (account: string) => ({
      name: 'P',
      decision: 'allow',
      include: [{ device_posture: { integration_uid: 'i1', account_id: account } }],
    });
    expect(diffPolicy(posture('a1'), posture('a1'))).toEqual([]);
    expect(diffPolicy(posture('a1'), posture('a2')).map((d) => d.field)).toEqual(['include']);
    const member = (account: string) => ({
      name: 'G',
      include: [{ cloudflare_account_member: { account_id: account } }],
    });
    expect(diffGroup(member('a1'), member('a2')).map((d) => d.field)).toEqual(['include']);
  });

  it('takes a policy session duration of 24h, the API default, as absent', () => {
    const p = { name: 'P', decision: 'allow', include: [{ everyone: {} }] };
    expect(diffPolicy({ ...p, session_duration: '24h' }, p)).toEqual([]);
    expect(diffPolicy({ ...p, session_duration: '8h' }, p)).toEqual([
      { field: 'session_duration', before: '8h' },
    ]);
  });
});

describe('field-level diffs', () => {
  it('lists added and removed rules, and changed scalars with their raw values', () => {
    const live = {
      name: 'P',
      decision: 'allow',
      include: [{ geo: { country_code: 'US' } }],
      exclude: [],
      require: [],
      session_duration: '8h',
    };
    const desired = {
      name: 'P',
      decision: 'allow',
      include: [{ geo: { country_code: 'CA' } }],
      exclude: [],
      require: [],
      session_duration: '2h',
    };
    expect(diffPolicy(live, desired)).toEqual([
      {
        field: 'include',
        added: [{ geo: { country_code: 'CA' } }],
        removed: [{ geo: { country_code: 'US' } }],
      },
      { field: 'session_duration', before: '8h', after: '2h' },
    ]);
  });

  it('shows an app’s policy links in precedence order before and after', () => {
    const live = {
      name: 'A',
      type: 'self_hosted',
      domain: 'a.example.com',
      policies: [
        { id: 'p1', precedence: 1 },
        { id: 'p2', precedence: 2 },
      ],
    };
    const desired = {
      ...live,
      policies: [
        { id: 'p2', precedence: 1 },
        { id: 'p1', precedence: 2 },
      ],
    };
    const names: Record<string, string> = { p1: 'Staff', p2: 'Block' };
    expect(diffApp(live, desired, (id) => names[id] ?? id)).toEqual([
      { field: 'policies', before: ['1: Staff', '2: Block'], after: ['1: Block', '2: Staff'] },
    ]);
    expect(diffApp(live, { ...live, policies: [...live.policies].reverse() }, (id) => id)).toEqual([]);
  });
});
