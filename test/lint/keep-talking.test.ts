import { describe, expect, it } from 'vitest';
import { ruleName } from '../../src/diagnostics/rules.js';
import { lintCase } from './rule-tester.js';

/** A real-shaped configuration: one bad domain in one app used to hide every semantic finding of the project. */
const PROJECT = `idp okta: okta = "Okta"

group "Engineering" = okta_group(okta, "eng")
group "Contractors" = email_domain("contractors.example.com")

policy "Staff" allow if email_domain("example.com")
policy "Staff again" allow if email_domain("example.com")
policy "Nobody" allow if country("US") and not country("US")

app "Wiki" {
  domain "wiki.example.com"
  allow "Everyone in" if everyone
  use "Staff"
}

app "Grafana" {
  domain "grafana.example.com"
  allow "Engineers" if group("Engineering") or group("Engineering") and country("US")
  bypass "Health" if ip("10.0.0.0/8")
}

app "Admin" {
  domain "admin.example.com"
  allow "Admins" if email_domain("BROKEN") and not country("KP")
}

app "Billing" {
  domain "billing.example.com"
  use "Staff again"
  use "Nobody"
}
`;

const rules = (text: string) =>
  lintCase('', text)
    .all.map((d) => `${ruleName(d)} ${d.severity}`)
    .sort();

describe('lint keeps talking when a file has errors', () => {
  it('runs the semantic rules on every declaration without errors, and names the ones it left out', () => {
    const valid = rules(PROJECT.replace('"BROKEN"', '"admin.example.com"'));
    const broken = lintCase('', PROJECT.replace('"BROKEN"', '"bad domain"')).all;
    // Every finding of the valid project is still there except those of the broken app, plus the error and a note.
    const got = broken.map((d) => `${ruleName(d)} ${d.severity}`).sort();
    expect(got.filter((r) => !r.startsWith('invalid-value') && !r.startsWith('analysis-incomplete'))).toEqual(
      valid.filter((r) => !r.startsWith('missing-include')),
    );
    expect(got).toEqual([
      'allows-everyone warning',
      'analysis-incomplete info',
      'equivalent-policies warning',
      'invalid-value error',
      'order-misleading warning',
      'redundant-term warning',
      'shadowed-policy warning',
      'unsatisfiable-policy warning',
      'unused-group warning',
    ]);
    const note = broken.find((d) => d.code === 'analysis-incomplete');
    expect(note?.severity).toBe('info');
    expect(note?.message).toBe(
      'semantic checks skipped for 2 declarations with errors or using one: policy `Admins` (has errors), app `Admin` (has errors)',
    );
  });

  it('never cascades: an invalid term yields no `missing-include` or any other finding on its declaration', () => {
    const broken = lintCase('', PROJECT.replace('"BROKEN"', '"bad domain"')).all;
    const admin = PROJECT.indexOf('app "Admin"');
    const inAdmin = broken.filter(
      (d) => d.span.start >= admin && d.span.start < PROJECT.indexOf('app "Billing"'),
    );
    expect(inAdmin.map((d) => ruleName(d))).toEqual(['analysis-incomplete', 'invalid-value']);
  });

  it('leaves out what uses a broken group, transitively, and checks the rest', () => {
    const text = [
      'group "Bad" = email_domain("bad domain")',
      'group "Uses bad" = group("Bad") or country("US")',
      'policy "P" allow if group("Uses bad")',
      'policy "Q" allow if country("US") and not country("US")',
      'app "A" {',
      '  domain "a.example.com"',
      '  use "P"',
      '}',
      'app "B" {',
      '  domain "b.example.com"',
      '  use "Q"',
      '}',
      '',
    ].join('\n');
    const all = lintCase('', text).all;
    expect(all.map((d) => ruleName(d)).sort()).toEqual([
      'analysis-incomplete',
      'invalid-value',
      'no-allow',
      'unsatisfiable-policy',
    ]);
    expect(all.find((d) => d.code === 'analysis-incomplete')?.message).toBe(
      'semantic checks skipped for 4 declarations with errors or using one: group `Bad` (has errors), group `Uses bad` (uses group `Bad`, which has errors), policy `P` (uses group `Uses bad`, which cannot be checked), app `A` (uses policy `P`, which cannot be checked)',
    );
  });
});
