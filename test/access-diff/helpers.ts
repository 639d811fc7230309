import { compileProject } from '../../src/compiler/compile.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { CompiledProject } from '../../src/model/compiled.js';
import { analyzeSources } from '../../src/pipeline.js';

/** Compile `.acl` text; throws when it does not compile. */
export function compiled(acl: string): CompiledProject {
  const analyzed = analyzeSources([new SourceFile('p.acl', acl)]);
  if (hasErrors(analyzed.diagnostics)) throw new Error(JSON.stringify(analyzed.diagnostics, null, 2));
  const out = compileProject(analyzed.project);
  if (hasErrors(out.diagnostics)) throw new Error(JSON.stringify(out.diagnostics, null, 2));
  return out.value.document;
}

export const WIKI_BEFORE = `idp otp: onetimepin = "One-time PIN"
idp okta: okta = "Okta (corporate)"
app "Wiki" {
  domain "wiki.example.com"
  allow "Staff" if email_domain("example.com") and login_method(okta)
}
app "Admin" {
  domain "admin.example.com"
  allow "Admins" if email("root@example.com")
}
`;

export const WIKI_AFTER = WIKI_BEFORE.replace(
  'allow "Staff" if email_domain("example.com") and login_method(okta)',
  'allow "Staff" if not country("KP", "IR", "SY", "CU", "RU", "BY", "VE") or login_method(otp)',
);
