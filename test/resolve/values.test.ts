import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Formula } from '../../src/model/formula.js';
import {
  closest,
  NameIndex,
  namesOf,
  SUGGESTION_COMPARISONS,
  typoDistance,
} from '../../src/resolve/values.js';
import { expectDiagnostics, plain, resolveText, type Shown } from './helpers.js';

/** The condition of policy `P` in a one-policy project, without spans. */
function formulaOf(condition: string, decision = 'allow'): unknown {
  const r = resolveText(`idp okta: okta = "Okta"\npolicy "P" ${decision} if ${condition}`);
  expect(r.diagnostics).toEqual([]);
  return (plain(r.project) as { policies: Record<string, { formula: Formula }> }).policies.P?.formula;
}

const atom = (sel: string, args: Record<string, unknown>) => ({ op: 'atom', atom: { sel, args } });

describe('selector values', () => {
  const cases: { name: string; condition: string; errors: Shown[] }[] = [
    {
      name: 'ACL0401 email',
      condition: 'email("auditor-at-example.com")',
      errors: [
        {
          code: 'ACL0401',
          at: '1:27',
          message: '`auditor-at-example.com` is not a valid email address',
          help: 'write a full address such as `alice@example.com`',
        },
      ],
    },
    {
      name: 'ACL0402 leading @, with a fix',
      condition: 'email_domain("@Example.com")',
      errors: [
        {
          code: 'ACL0402',
          at: '1:34',
          message: 'email domain `@Example.com` starts with `@`',
          help: 'write the domain without `@`',
          fix: { description: 'remove the leading `@`', text: ['"example.com"'] },
        },
      ],
    },
    {
      name: 'ACL0403 domain',
      condition: 'email_domain("not a domain")',
      errors: [{ code: 'ACL0403', at: '1:34', message: '`not a domain` is not a valid domain' }],
    },
    {
      name: 'ACL0404 host bits, with the network in help and a fix',
      condition: 'ip("10.1.2.3/8")',
      errors: [
        {
          code: 'ACL0404',
          at: '1:24',
          message: '`10.1.2.3/8` has host bits set',
          help: 'the network is `10.0.0.0/8`',
          fix: { description: 'use the network address `10.0.0.0/8`', text: ['"10.0.0.0/8"'] },
        },
      ],
    },
    {
      name: 'ACL0405 country',
      condition: 'country in ("US", "UK")',
      errors: [{ code: 'ACL0405', at: '1:39', message: '`UK` is not an ISO 3166-1 alpha-2 country code' }],
    },
    {
      name: 'ACL0406 empty strings',
      condition: 'common_name("") or email_list("") or group("")',
      errors: [
        { code: 'ACL0406', at: '1:33', message: 'empty string', help: 'this value cannot be empty' },
        { code: 'ACL0406', at: '1:51', message: 'empty string' },
        { code: 'ACL0406', at: '1:64', message: 'empty string' },
      ],
    },
    {
      name: 'ACL0407 URL',
      condition: 'external_evaluation("ftp://eval.example.com", "https://keys.example.com")',
      errors: [{ code: 'ACL0407', at: '1:41', message: '`ftp://eval.example.com` is not an http(s) URL' }],
    },
    {
      name: 'ACL0408 auth method',
      condition: 'auth_method("2fa")',
      errors: [{ code: 'ACL0408', at: '1:33', message: '`2fa` is not an authentication method' }],
    },
    {
      name: 'ACL0409 risk level',
      condition: 'user_risk_score("high", "extreme")',
      errors: [{ code: 'ACL0409', at: '1:45', message: '`extreme` is not a risk level' }],
    },
    {
      name: 'ACL0410 IP',
      condition: 'ip("192.0.2.0/24", "2001:db8:ci::/48")',
      errors: [
        { code: 'ACL0410', at: '1:40', message: '`2001:db8:ci::/48` is not an IP address or CIDR block' },
      ],
    },
    {
      name: 'ACL0412 empty id',
      condition: 'service_token(id(""))',
      errors: [
        {
          code: 'ACL0412',
          at: '1:35',
          message: '`` is not a valid id',
          help: 'ids are written `id("…")` with a non-empty string',
        },
      ],
    },
    {
      name: 'ACL0412 empty group id',
      condition: 'group(id(" "))',
      errors: [{ code: 'ACL0412', at: '1:27', message: '` ` is not a valid id' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // Columns are on line 2, after `policy "P" allow if ` (20 characters).
      const r = resolveText(`idp okta: okta = "Okta"\npolicy "P" allow if ${c.condition}`);
      expectDiagnostics(
        r,
        c.errors.map((e) => ({ ...e, at: e.at.replace(/^1:/, '2:') })),
      );
    });
  }

  it('ACL0412 on an IdP declared with an empty id', () => {
    expectDiagnostics(resolveText('idp x = id("")'), [
      { code: 'ACL0412', at: '1:9', message: '`` is not a valid id' },
    ]);
  });
});

describe('canonical values', () => {
  it('lower-cases emails and drops duplicates after canonicalisation', () => {
    expect(formulaOf('email("Alice@Example.com", "alice@example.com", "bob@example.com")')).toEqual({
      op: 'or',
      args: [atom('email', { email: 'alice@example.com' }), atom('email', { email: 'bob@example.com' })],
    });
  });

  it('one value is one atom, without an `or`', () => {
    expect(formulaOf('email("A@example.com", "a@example.com")')).toEqual(
      atom('email', { email: 'a@example.com' }),
    );
  });

  it('upper-cases countries; `in` means the same as the call form', () => {
    const expected = {
      op: 'or',
      args: [atom('country', { country_code: 'US' }), atom('country', { country_code: 'CA' })],
    };
    expect(formulaOf('country in ("us", "CA")')).toEqual(expected);
    expect(formulaOf('country("us", "CA")')).toEqual(expected);
  });

  it('writes addresses as CIDR blocks', () => {
    expect(formulaOf('ip("203.0.113.7", "2001:DB8:0:0::/32")')).toEqual({
      op: 'or',
      args: [atom('ip', { ip: '203.0.113.7/32' }), atom('ip', { ip: '2001:db8::/32' })],
    });
  });

  it('user_risk_score is one atom with a sorted, de-duplicated list', () => {
    expect(formulaOf('user_risk_score("medium", "HIGH", "high")')).toEqual(
      atom('user_risk_score', { user_risk_score: ['high', 'medium'] }),
    );
  });

  it('expands the last parameter after the fixed ones', () => {
    expect(formulaOf('saml(okta, "dept", "eng", "ops")')).toEqual({
      op: 'or',
      args: [
        atom('saml', {
          identity_provider_id: { kind: 'idp', name: 'Okta' },
          attribute_name: 'dept',
          attribute_value: 'eng',
        }),
        atom('saml', {
          identity_provider_id: { kind: 'idp', name: 'Okta' },
          attribute_name: 'dept',
          attribute_value: 'ops',
        }),
      ],
    });
  });

  it('optional parameters may be left out', () => {
    const r = resolveText(
      'idp gh: github = id("9")\ngroup "G" = github_org(gh, "acme") or github_org(gh, "acme", "infra")',
    );
    expect(r.diagnostics).toEqual([]);
    expect((plain(r.project) as { groups: Record<string, unknown> }).groups.G).toEqual({
      name: 'G',
      extern: false,
      formula: {
        op: 'or',
        args: [
          atom('github_org', { identity_provider_id: { kind: 'idp', id: '9' }, name: 'acme' }),
          atom('github_org', { identity_provider_id: { kind: 'idp', id: '9' }, name: 'acme', team: 'infra' }),
        ],
      },
    });
  });

  it('references by name or literal id', () => {
    expect(formulaOf('service_token("CI", id("f00d"), "CI") and device_posture(id("p1"))')).toEqual({
      op: 'and',
      args: [
        {
          op: 'or',
          args: [
            atom('service_token', { token_id: { kind: 'service_token', name: 'CI' } }),
            atom('service_token', { token_id: { kind: 'service_token', id: 'f00d' } }),
          ],
        },
        atom('device_posture', { integration_uid: { kind: 'device_posture', id: 'p1' } }),
      ],
    });
  });

  it('nullary selectors bare or with `()`; parentheses leave no trace', () => {
    expect(formulaOf('(everyone()) and not (certificate)', 'bypass')).toEqual({
      op: 'and',
      args: [atom('everyone', {}), { op: 'not', arg: atom('certificate', {}) }],
    });
  });

  it('code groups by name, extern groups and literal ids as `group` atoms', () => {
    const r = resolveText(
      'group "Eng" = everyone\nextern group "Staff"\npolicy "P" allow if group("Eng", "Staff", id("abc"), "Eng")',
    );
    expect(r.diagnostics).toEqual([]);
    expect(
      (plain(r.project) as { policies: Record<string, { formula: unknown }> }).policies.P?.formula,
    ).toEqual({
      op: 'or',
      args: [
        { op: 'group', name: 'Eng' },
        atom('group', { id: { kind: 'group', name: 'Staff' } }),
        atom('group', { id: { kind: 'group', id: 'abc' } }),
      ],
    });
  });

  it('keeps the span of every node', () => {
    const r = resolveText('policy "P" allow if not email("a@x.io", "b@x.io")');
    const f = r.project.policies.get('P')?.formula;
    expect(f?.op).toBe('not');
    if (f?.op !== 'not' || f.arg.op !== 'or') throw new Error('unexpected shape');
    expect(f.span).toEqual({ file: 'main.acl', start: 20, end: 49 });
    expect(f.arg.span).toEqual({ file: 'main.acl', start: 24, end: 49 });
    expect(f.arg.args.map((a) => a.span)).toEqual([
      { file: 'main.acl', start: 30, end: 38 },
      { file: 'main.acl', start: 40, end: 48 },
    ]);
  });
});

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(typoDistance('emial', 'email')).toBe(1);
    expect(typoDistance('abc', 'abc')).toBe(0);
    expect(typoDistance('', 'abc')).toBe(3);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only close candidates', () => {
    expect(closest('okat', ['okta', 'azure'])).toBe('okta');
    expect(closest('Email', ['email'])).toBe('email');
    expect(closest('zzz', ['okta', 'azure'])).toBeUndefined();
  });

  /** Optimal string alignment distance, the whole table: the reference for the bounded search. */
  const reference = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const row = d[i] as number[];
        const up = d[i - 1] as number[];
        row[j] = Math.min(
          (up[j] as number) + 1,
          (row[j - 1] as number) + 1,
          (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
    return (d[a.length] as number[])[b.length] as number;
  };
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '-'), maxLength: 9 });

  it('measures like the whole table, and picks the first closest name (property)', () => {
    let suggested = 0;
    fc.assert(
      fc.property(word, word, fc.array(word, { maxLength: 12 }), (a, b, names) => {
        expect(typoDistance(a, b)).toBe(reference(a, b));
        const lower = a.toLowerCase();
        const limit = Math.max(1, Math.floor(a.length / 3));
        let best: string | undefined;
        let bestDistance = limit + 1;
        for (const n of names) {
          const d = reference(lower, n.toLowerCase());
          if (d < bestDistance) [best, bestDistance] = [n, d];
        }
        expect(new NameIndex(names).closest(a)).toBe(best);
        if (best !== undefined) suggested++;
      }),
      { numRuns: 2000 },
    );
    expect(suggested).toBeGreaterThan(200);
  });

  it('stops suggesting once a run has looked at its share of candidates, never half-way through a search', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `team-${i}`);
    const index = new NameIndex(names);
    const searches = Math.floor(SUGGESTION_COMPARISONS / names.length);
    for (let i = 0; i < searches; i++) expect(index.closest(`tem-${i}`)).toBe(`team-${i}`);
    expect(index.closest('tem-1')).toBeUndefined();
    // A new run (a new collection) starts afresh.
    expect(namesOf(new Set(names)).closest('tem-1')).toBe('team-1');
  });

  it('resolves 10,000 unknown groups among 10,000 groups at once, the first ones with a suggestion', () => {
    // Comparing every unknown name with every group, the whole table each time, took minutes.
    const groups = Array.from({ length: 10_000 }, (_, i) => `group "team-${i}" = country("US")`);
    const uses = Array.from({ length: 10_000 }, (_, i) => `group("tem-${i}")`).join(' or ');
    const r = resolveText(`${groups.join('\n')}\npolicy "p" allow if ${uses}\n`);
    const unknown = r.diagnostics.filter((d) => d.code === 'ACL0302');
    expect(unknown).toHaveLength(10_000);
    expect(unknown[0]?.help).toContain('did you mean `team-0`?');
  });
});
