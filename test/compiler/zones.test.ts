import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { expectDiagnostics, type Resolved, resolveText } from '../resolve/helpers.js';

/** Resolve and compile; the compiler's findings join the resolver's. */
function compileText(text: string): Resolved & { scopes?: Record<string, string> } {
  const r = resolveText(text);
  const compiled = compileProject(r.project);
  const out: Resolved & { scopes?: Record<string, string> } = {
    ...r,
    diagnostics: [...r.diagnostics, ...compiled.diagnostics].sort((a, b) => a.span.start - b.span.start),
  };
  if (compiled.value.document.scopes) out.scopes = compiled.value.document.scopes;
  return out;
}

describe('zone-scoped groups and apps', () => {
  it('places zone objects and the inline policies of zone apps in their zone, the rest at account level', () => {
    const r = compileText(
      [
        'group "Staff" = email_domain("example.com")',
        'group "Zone staff" in zone "Example.COM." = group("Staff") or email("a@b.com")',
        'group "Shop" in zone id("0123456789ABCDEF0123456789abcdef") = email("s@shop.net")',
        'policy "Staff only" allow if group("Staff")',
        'app "Portal" {\n  domain "portal.example.org"\n  use "Staff only"\n  allow "Extra" if email("x@y.com")\n}',
        'app "Wiki" {\n  zone "example.com"\n  domain "wiki.example.com"\n  allow "Staff" if group("Zone staff") and country("DE")\n}',
        'app "Shop" {\n  zone id("0123456789abcdef0123456789abcdef")\n  domain "shop.net"\n  allow "A" if group("Shop")\n}',
      ].join('\n'),
    );
    expectDiagnostics(r, []);
    // Names are lower-cased and lose a final dot; ids are lower-cased; `zone` is not an API setting of the app.
    expect(r.scopes).toEqual({
      'group:Zone staff': 'example.com',
      'group:Shop': '0123456789abcdef0123456789abcdef',
      'policy:Wiki / Staff': 'example.com',
      'policy:Shop / A': '0123456789abcdef0123456789abcdef',
      'app:Wiki': 'example.com',
      'app:Shop': '0123456789abcdef0123456789abcdef',
    });
    expect(r.project.apps.find((a) => a.name === 'Wiki')?.settings).not.toHaveProperty('zone');
  });

  it('has no scopes when nothing is zone-scoped', () => {
    const r = compileText(
      'group "G" = everyone\napp "A" {\n  domain "a.example.com"\n  allow "P" if group("G")\n}',
    );
    expectDiagnostics(r, []);
    expect(r.scopes).toBeUndefined();
  });

  it('reports zones that are not zones (ACL0650), a misspelt `zone` (ACL0651) and two zone lines (ACL0656)', () => {
    const r = resolveText(
      [
        'group "A" in zone "localhost" = everyone',
        'group "B" in zone id("1234") = everyone',
        'group "C" in zome "example.com" = everyone',
        'app "D" {\n  zone "example.com"\n  zone "example.net"\n  domain "d.example.com"\n}',
        'app "E" {\n  zone 3\n  domain "e.example.com"\n}',
      ].join('\n'),
    );
    expectDiagnostics(r, [
      {
        code: 'ACL0650',
        at: '1:19',
        message: '`localhost` is not a zone',
        help: 'write the zone\'s name, e.g. `zone "example.com"`, or its id (32 hex digits), `zone id("023e105f4ecef8ad9ca31a8372d0c353")`',
      },
      { code: 'ACL0650', at: '2:19', message: '`id("1234")` is not a zone' },
      { code: 'ACL0651', at: '3:14', message: 'expected `zone` after `in` in group `C`, found `zome`' },
      { code: 'ACL0656', at: '6:3', message: '`zone` is written more than once in app `D`' },
      { code: 'ACL0650', at: '10:8', message: '`3` is not a zone' },
    ]);
  });

  it('refuses what the API refuses, at the use: reusable policies in zone apps, zone groups out of their zone', () => {
    const r = compileText(
      [
        'group "Z" in zone "example.com" = email("a@b.com")',
        'group "Y" in zone "example.net" = group("Z")',
        'group "Account" = group("Z")',
        'policy "P" allow if everyone',
        'app "A" {\n  zone "example.com"\n  domain "a.example.com"\n  use "P"\n  use extern "Theirs"\n}',
        'app "B" {\n  domain "b.example.com"\n  allow "x" if group("Z")\n}',
        'app "C" {\n  zone "example.net"\n  domain "c.example.net"\n  allow "y" if not group("Z") and country("FR")\n}',
      ].join('\n'),
    );
    expectDiagnostics(r, [
      {
        code: 'ACL0654',
        at: '2:35',
        message: 'group `Y` is in zone `example.net` but uses group `Z` of zone `example.com`',
      },
      {
        code: 'ACL0653',
        at: '3:19',
        message: 'group `Account` is account-level but uses group `Z` of zone `example.com`',
      },
      { code: 'ACL0652', at: '8:3', message: 'zone-level app `A` cannot use reusable policy `P`' },
      { code: 'ACL0652', at: '9:3', message: 'zone-level app `A` cannot use reusable policy `Theirs`' },
      {
        code: 'ACL0653',
        at: '13:16',
        message: 'app `B` is account-level but uses group `Z` of zone `example.com`',
      },
      {
        code: 'ACL0654',
        at: '18:20',
        message: 'app `C` is in zone `example.net` but uses group `Z` of zone `example.com`',
      },
    ]);
  });
});
