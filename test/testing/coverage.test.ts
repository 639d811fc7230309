import { describe, expect, it } from 'vitest';
import { decide } from '../../src/explain/trace.js';
import { computeCoverage } from '../../src/testing/coverage.js';
import { runSuite } from './helpers.js';

const ACL = `app "A" {
  domain "a.example.com"
  deny "KP" if country("KP")
  allow "Staff" if email_domain("example.com") and auth_method("mfa")
  allow "Never" if country("KP") and email("x@example.com")
}
`;

describe('decision-space coverage', () => {
  it('counts reached regions and decisive rules, and gives a witness for each unreached region', () => {
    const { prepared, examples } = runSuite(
      ACL,
      `test "staff" { identity { email "a@example.com" auth_method "mfa" } expect app "A" allow }`,
    );
    const report = computeCoverage(prepared.model, prepared.index, examples);
    const [app] = report.apps;
    if (!app) throw new Error('no app');
    expect(
      app.regions.map((r) => [r.source ?? 'no-match', r.examples, r.reachable, r.witness !== undefined]),
    ).toEqual([
      ['KP', 0, true, true],
      ['Staff', 1, true, false],
      // Shadowed by "KP": no identity reaches it, so it needs no example.
      ['Never', 0, false, false],
      ['no-match', 0, true, true],
    ]);
    const model = prepared.model;
    const a = model.byName.get('A');
    if (!a) throw new Error('no app');
    // Every witness lands in its region.
    expect(decide(model, a, app.regions[0]?.witness ?? {}).entry).toBe(0);
    expect(decide(model, a, app.regions[3]?.witness ?? {}).outcome).toBe('none');
    // For the one example, both rules of "Staff" are decisive and "country("KP")" of the first policy is too.
    expect(app.terms.map((t) => [t.policy, t.text, t.decisive])).toEqual([
      ['KP', 'country("KP")', true],
      ['Staff', 'email_domain("example.com")', true],
      ['Staff', 'auth_method("mfa")', true],
      ['Never', 'country("KP")', false],
      ['Never', 'email("x@example.com")', false],
    ]);
    // 3 reachable regions (1 reached) + 5 rules (3 decisive): 4 of 8.
    expect([report.covered, report.total, report.percent]).toEqual([4, 8, 50]);
  });
});
