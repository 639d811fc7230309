import { SourceFile } from '../../src/diagnostics/source.js';
import { type SuiteOutput, SuiteRunner } from '../../src/testing/run.js';
import { type Prepared, prepareSuite } from '../../src/testing/suite.js';

/** Prepare a project and its tests from strings; throws when the project does not compile. */
export function prepare(acl: string, tests = ''): Prepared {
  const { prepared, diagnostics } = prepareSuite(
    [new SourceFile('p.acl', acl)],
    tests ? [new SourceFile('t.acltest', tests)] : [],
  );
  if (!prepared) throw new Error(`does not compile: ${JSON.stringify(diagnostics, null, 2)}`);
  return prepared;
}

/** Run the tests of `tests` against the project `acl`. */
export function runSuite(acl: string, tests: string): SuiteOutput & { prepared: Prepared } {
  const prepared = prepare(acl, tests);
  return { ...new SuiteRunner(prepared).run(), prepared };
}

export const ADMIN = `idp okta: okta = "Okta (corporate)"
group "Sanctioned" = country in ("KP", "IR")
group "Engineers" = okta_group(okta, "engineering") or email_domain("eng.example.com")
policy "Block sanctioned" deny if group("Sanctioned")
app "Admin" {
  domain "admin.example.com"
  tags ["sensitive"]
  use "Block sanctioned"
  allow "Engineers with MFA" if group("Engineers") and auth_method("mfa")
  bypass "Health" if ip("198.51.100.0/24")
}
app "Wiki" {
  domain "wiki.example.com"
  allow "Staff" if email_domain("example.com") or (group("Engineers") and not country("FR"))
}
`;
