import { describe, expect, it } from 'vitest';
import { evaluateApp } from '../../src/eval/source.js';
import { ADMIN, runSuite } from './helpers.js';

const codes = (r: { errors: { code: string }[] }) => r.errors.map((e) => e.code);

describe('example tests', () => {
  it('pass when the compiled decision and deciding policy are as expected', () => {
    const { results } = runSuite(
      ADMIN,
      `test "eng with mfa" {
        identity { email "bob@eng.example.com" country "DE" idp okta auth_method "mfa" }
        expect app "Admin" allow by "Engineers with MFA"
        expect app "Wiki" allow by "Staff"
      }
      test "health check" { identity { ip "198.51.100.7" } expect app "Admin" bypass by "Health" }
      test "nobody" { identity {} expect app "Admin" no-match expect app "Admin" denied }
      test "sanctioned" { identity { country "KP" email "x@eng.example.com" auth_method "mfa" } expect app "Admin" deny by "Block sanctioned" }`,
    );
    expect(results.map((r) => [r.name, r.status, r.failures.length, codes(r)])).toEqual([
      ['eng with mfa', 'pass', 0, []],
      ['health check', 'pass', 0, []],
      ['nobody', 'pass', 0, []],
      ['sanctioned', 'pass', 0, []],
    ]);
  });

  it('fail with expected vs actual, the identity and a trace', () => {
    const { results } = runSuite(
      ADMIN,
      `test "wrong" {
        identity { email "bob@eng.example.com" auth_method "pwd" }
        expect app "Admin" allow
        expect app "Wiki" allow by "Staff"
      }`,
    );
    const [r] = results;
    expect(r?.status).toBe('fail');
    expect(r?.failures).toHaveLength(1);
    const f = r?.failures[0];
    expect(f).toMatchObject({ app: 'Admin', expected: 'allow', actual: 'no-match', counterexample: false });
    expect(f?.written).toBe('{ email "bob@eng.example.com" auth_method "pwd" }');
    expect(f?.trace.policies.map((p) => [p.source, p.matched])).toEqual([
      ['Health', false],
      ['Block sanctioned', false],
      ['Engineers with MFA', false],
    ]);
  });

  it('a wrong deciding policy fails even when the decision is right', () => {
    const { results } = runSuite(
      ADMIN,
      `test "t" { identity { email "x@example.com" } expect app "Wiki" allow by "Nope" }
       test "u" { identity { ip "198.51.100.1" country "KP" } expect app "Admin" bypass by "Block sanctioned" }`,
    );
    expect(codes(results[0] as never)).toEqual(['ACL0952']);
    expect(results[1]?.status).toBe('fail');
    expect(results[1]?.failures[0]?.actual).toBe('bypass by "Health"');
  });

  it('report bad identities and names as errors with suggestions', () => {
    const { results } = runSuite(
      ADMIN,
      `test "typos" { identity { emial "x" idp oktaa group "Engineers" risk "extreme" } expect app "Admn" allow }
       test "typos" { expect app "Admin" allow }
       test "empty" { identity {} }`,
    );
    expect(results.map((r) => [r.status, codes(r)])).toEqual([
      ['error', ['ACL0953', 'ACL0954', 'ACL0955', 'ACL0958', 'ACL0951']],
      ['error', ['ACL0957']],
      ['error', ['ACL0962']],
    ]);
    expect(results[0]?.errors[0]?.help).toBe('did you mean `email`?');
    expect(results[0]?.errors[4]?.help).toBe('did you mean `Admin`?');
  });
});

describe('invariants', () => {
  it('hold, proved over every identity', () => {
    const { results } = runSuite(
      ADMIN,
      `always deny country in ("KP", "IR") and not ip("198.51.100.0/24") on app "Admin"
       never allow not auth_method("mfa") on app "Admin"
       app "Admin" allows only group("Engineers")
       every allow on apps tagged sensitive requires auth_method("mfa")
       every bypass on every app requires ip("198.51.100.0/24")`,
    );
    expect(results.map((r) => [r.name, r.status, codes(r)])).toEqual([
      ['always deny country in ("KP", "IR") and not ip("198.51.100.0/24") on app "Admin"', 'pass', []],
      ['never allow not auth_method("mfa") on app "Admin"', 'pass', []],
      ['app "Admin" allows only group("Engineers")', 'pass', []],
      ['every allow on apps tagged sensitive requires auth_method("mfa")', 'pass', []],
      ['every bypass on every app requires ip("198.51.100.0/24")', 'pass', []],
    ]);
  });

  it('fail with a counterexample the evaluator decides as claimed', () => {
    const { results, prepared } = runSuite(
      ADMIN,
      `always deny country in ("KP", "IR") on every app
       never allow country("FR") on every app
       every allow on every app requires auth_method("mfa")
       no app is open to everyone`,
    );
    expect(results.map((r) => r.status)).toEqual(['fail', 'fail', 'fail', 'pass']);
    // KP requests from the health-check network bypass; Wiki lets KP staff in.
    const [deny, fr, mfa] = results;
    expect(deny?.failures.map((f) => f.app).sort()).toEqual(['Admin', 'Wiki']);
    for (const f of deny?.failures ?? []) {
      expect(['KP', 'IR']).toContain(f.identity.country);
      const d = evaluateApp(prepared.project, f.app, f.identity).decision;
      expect(['deny', 'none']).not.toContain(d);
      expect(f.counterexample).toBe(true);
      expect(f.trace.outcome).toBe(d);
    }
    for (const f of fr?.failures ?? []) {
      expect(f.identity.country).toBe('FR');
      expect(evaluateApp(prepared.project, f.app, f.identity).decision).toBe('allow');
    }
    expect(mfa?.failures.map((f) => f.app)).toEqual(['Wiki']);
    expect(mfa?.failures[0]?.identity.authMethods ?? []).not.toContain('mfa');
  });

  it('no app is open to everyone catches a policy that asks nothing', () => {
    const { results } = runSuite(
      `app "Open" { domain "o.example.com" allow "Not KP" if not country("KP") }`,
      'no app is open to everyone',
    );
    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.failures[0]).toMatchObject({
      app: 'Open',
      actual: 'allow by "Not KP"',
      written: '{}',
    });
  });

  it('reports unknown apps, tags and bad conditions', () => {
    const { results } = runSuite(
      ADMIN,
      `never allow country("FR") on app "Nope"
       every allow on apps tagged public requires everyone
       never allow countri("FR") on every app`,
    );
    expect(results.map(codes)).toEqual([['ACL0951'], ['ACL0956'], ['ACL0301']]);
    expect(results.every((r) => r.status === 'error')).toBe(true);
  });
});
