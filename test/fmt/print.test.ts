import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { formatSource, printExpr } from '../../src/fmt/print.js';
import type { Expr } from '../../src/parser/ast.js';
import { parseFile } from '../../src/parser/index.js';
import { stripSpans } from '../helpers/ast.js';
import { mutate, mutation, VALID_PROGRAMS } from '../parser/corpus.js';
import { program } from './arbitraries.js';

function format(text: string): string {
  const result = formatSource(new SourceFile('main.acl', text));
  expect(result.diagnostics).toEqual([]);
  return result.value;
}

function shape(text: string): unknown {
  return stripSpans(parseFile(new SourceFile('main.acl', text)).value, { dropComments: true });
}

function commentTexts(text: string): string[] {
  return parseFile(new SourceFile('main.acl', text))
    .value.comments.map((c) => c.text)
    .sort();
}

describe('formatSource', () => {
  it('lays out declarations canonically, one paragraph each', () => {
    expect(
      format(
        'idp okta:okta="Okta"\nextern   group "E"\ngroup "g"=email("a@x.com","b@x.com")or not(a and b)\npolicy "p" block if country in("US","CA",){session_duration 24h;x [1,2,]}',
      ),
    ).toBe(
      [
        'idp okta: okta = "Okta"',
        '',
        'extern group "E"',
        '',
        'group "g" = email("a@x.com", "b@x.com") or not (a and b)',
        '',
        'policy "p" block if country in ("US", "CA") {',
        '  session_duration 24h',
        '  x [1, 2]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('formats apps: one item per line, separators dropped, blank lines kept once, empty blocks as `{}`', () => {
    expect(
      format(
        'app "A" { domain "a.example.com"; session_duration 12h,\n\n\n use "p" precedence 2 allow "q" if everyone precedence 3 { } cors {} }\napp "B" {}',
      ),
    ).toBe(
      [
        'app "A" {',
        '  domain "a.example.com"',
        '  session_duration 12h',
        '',
        '  use "p" precedence 2',
        '  allow "q" if everyone precedence 3 {}',
        '  cors {}',
        '}',
        '',
        'app "B" {}',
        '',
      ].join('\n'),
    );
  });

  it('re-escapes strings canonically and keeps keywords, numbers and durations as written', () => {
    expect(
      format('policy "a\\u{41}\\u{9}" non_identity if common_name("\\u{1F600}\\"") { n 007; d 1.5h }'),
    ).toBe('policy "aA\\t" non_identity if common_name("😀\\"") {\n  n 007\n  d 1.5h\n}\n');
  });

  it('breaks a condition longer than 100 columns before `or`, then before `and`', () => {
    const long = 'email_domain("a-very-long-domain-name.example.com")';
    const text = `policy "p" allow if group("eng") and ${long} or country in ("US", "CA") and not ${long}`;
    expect(format(text)).toBe(
      [
        'policy "p" allow if group("eng") and email_domain("a-very-long-domain-name.example.com")',
        '  or country in ("US", "CA") and not email_domain("a-very-long-domain-name.example.com")',
        '',
      ].join('\n'),
    );
    const longer = `app "A" {\n  deny "d" if (${long} or ${long}) and ${long}\n}`;
    expect(format(longer)).toBe(
      [
        'app "A" {',
        '  deny "d" if (email_domain("a-very-long-domain-name.example.com")',
        '      or email_domain("a-very-long-domain-name.example.com"))',
        '    and email_domain("a-very-long-domain-name.example.com")',
        '}',
        '',
      ].join('\n'),
    );
    for (const line of format(longer).split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('keeps short conditions on one line, however they were written', () => {
    expect(format('group "g" = a\n  or b\n  and c')).toBe('group "g" = a or b and c\n');
  });

  it('keeps every comment next to its declaration, item or setting', () => {
    const text = [
      '# header',
      '',
      '# about okta',
      'idp okta = "Okta"   # trailing',
      'group "g" = a or # inside a condition',
      '  b',
      'app "A" { # after the brace',
      '  domain "x"; // trailing item',
      '',
      '  # before use',
      '  use "p"',
      '  cors { max_age 1 # in a block',
      '  }',
      '  # dangling',
      '}',
      '# end',
    ].join('\n');
    expect(format(text)).toBe(
      [
        '# header',
        '',
        '# about okta',
        'idp okta = "Okta" # trailing',
        '',
        '# inside a condition',
        'group "g" = a or b',
        '',
        'app "A" {',
        '  # after the brace',
        '  domain "x" // trailing item',
        '',
        '  # before use',
        '  use "p"',
        '  cors {',
        '    max_age 1 # in a block',
        '  }',
        '  # dangling',
        '}',
        '# end',
        '',
      ].join('\n'),
    );
  });

  it('formats an empty file and a file of comments', () => {
    expect(format('')).toBe('');
    expect(format('  \n\n')).toBe('');
    expect(format('# a\n\n\n// b\n')).toBe('# a\n\n// b\n');
  });

  it('returns a file with parse errors unchanged, with its diagnostics', () => {
    const text = 'policy "p" allow if (a or b\n';
    const result = formatSource(new SourceFile('main.acl', text));
    expect(result.value).toBe(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ACL0203']);
  });
});

describe('formatter properties', () => {
  const check = (text: string) => {
    const once = format(text);
    expect(format(once)).toBe(once);
    expect(shape(once)).toEqual(shape(text));
    expect(commentTexts(once)).toEqual(commentTexts(text));
    for (const line of once.split('\n')) expect(line).not.toMatch(/^\s+$/);
  };

  it.each(VALID_PROGRAMS.map((p, i) => [i, p]))('corpus program %i', (_i, text) => {
    check(text as string);
  });

  it('generated programs: valid, and format is idempotent, keeps the tree and every comment', () => {
    fc.assert(
      fc.property(program, (text) => {
        expect(parseFile(new SourceFile('main.acl', text)).diagnostics).toEqual([]);
        check(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatter on mutated programs', () => {
  it('formats the ones that still parse, and returns the others unchanged', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_PROGRAMS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (p, ms) => {
          const text = ms.reduce(mutate, p);
          const result = formatSource(new SourceFile('main.acl', text));
          if (result.diagnostics.some((d) => d.severity === 'error')) {
            expect(result.value).toBe(text);
            return;
          }
          expect(format(result.value)).toBe(result.value);
          expect(shape(result.value)).toEqual(shape(text));
          expect(commentTexts(result.value)).toEqual(commentTexts(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('printExpr', () => {
  const span = { file: 'x.acl', start: 0, end: 0 };
  const sel = (name: string): Expr => ({
    kind: 'Selector',
    span,
    name: { kind: 'Ident', span, name },
    form: 'bare',
  });

  it('prints what the parser read', () => {
    const text =
      'policy "p" allow if not not a and (b or c) and email("x", id("y"), 3, n) or country in ("US")';
    const decl = parseFile(new SourceFile('main.acl', text)).value.decls[0];
    if (decl?.kind !== 'Policy') throw new Error('expected a policy');
    expect(printExpr(decl.expr)).toBe(
      'not not a and (b or c) and email("x", id("y"), 3, n) or country in ("US")',
    );
  });

  it('adds the parentheses a hand-built tree needs', () => {
    const or: Expr = { kind: 'Or', span, operands: [sel('a'), sel('b')] };
    const and: Expr = { kind: 'And', span, operands: [or, sel('c')] };
    expect(printExpr(and)).toBe('(a or b) and c');
    expect(printExpr({ kind: 'Not', span, operand: and })).toBe('not ((a or b) and c)');
    expect(printExpr({ kind: 'Or', span, operands: [or, sel('d')] })).toBe('(a or b) or d');
    expect(printExpr({ kind: 'Or', span, operands: [and, sel('d')] })).toBe('(a or b) and c or d');
  });
});
