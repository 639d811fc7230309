import { describe, expect, it } from 'vitest';
import { MAX_SYNTAX_ERRORS } from '../../src/parser/index.js';
import { diagnosticsOf, parse } from './helpers.js';

const DECLARATION_HELP = 'a file holds `idp`, `group`, `extern group`, `policy` and `app` declarations';
const EXPRESSION_HELP =
  'a condition combines selectors such as `email("a@example.com")` with `and`, `or`, `not`';
const DECISION = 'a decision (`allow`, `deny`, `bypass` or `service_auth`)';
/** The help every ACL0201 carries: what to insert, from its message. */
const insertHelp = (message: string) =>
  `insert ${/^expected (.*), found /.exec(message)?.[1]} here; the syntax is in grammar/REFERENCE.md`;

describe('parse errors', () => {
  it('ACL0201: expected a token, found another (a missing `if`)', () => {
    expect(diagnosticsOf('policy "p" allow { x 1 }')).toEqual([
      {
        code: 'ACL0201',
        at: '1:18-1:19',
        message: 'expected `if`, found `{`',
        help: insertHelp('expected `if`, found `{`'),
      },
    ]);
  });

  const expectedFound: [string, string, string][] = [
    ['policy "p" allow if email("a",, "b")', '1:31-1:32', 'expected `,` or `)`, found `,`'],
    ['policy "p" allow if email("a" "b")', '1:31-1:34', 'expected `,` or `)`, found `"b"`'],
    ['policy "p" allow if country in "US"', '1:32-1:36', 'expected `(`, found `"US"`'],
    ['idp x = 3', '1:9-1:10', 'expected a string or `id("…")`, found `3`'],
    ['idp = "X"', '1:5-1:6', 'expected a name, found `=`'],
    ['group eng = everyone', '1:7-1:10', 'expected a string, found `eng`'],
    ['extern "x"', '1:8-1:11', 'expected `group`, found `"x"`'],
    ['app "a" { domain = "x" }', '1:18-1:19', 'expected a value, found `=`'],
    ['app "a" { use "p" precedence }', '1:30-1:31', 'expected a number, found `}`'],
    ['app "a" { allow "p" if x precedence "2" }', '1:37-1:40', 'expected a number, found `"2"`'],
    ['policy "p" if everyone', '1:12-1:14', `expected ${DECISION}, found \`if\``],
    ['policy "p" allow if email(1 2)', '1:29-1:30', 'expected `,` or `)`, found `2`'],
    ['policy "p" allow if (a b)', '1:24-1:25', 'expected `and`, `or` or `)`, found `b`'],
    ['policy "p" allow if email(=)', '1:27-1:28', 'expected an argument or `)`, found `=`'],
    ['app "a" { x [1 2] }', '1:16-1:17', 'expected `,` or `]`, found `2`'],
    // Invisible characters and backticks of what was found are shown escaped.
    ['idp x "a\u0001`b"', '1:7-1:13', 'expected `=`, found `"a\\u{1}\\`b"`'],
    // A stray closer is not an unclosed bracket.
    ['app "a" { x ) }', '1:13-1:14', 'expected a value, found `)`'],
    ['policy "p" allow if email("a"}', '1:30-1:31', 'expected `,` or `)`, found `}`'],
  ];
  it("ACL0201: a zone-level group written like an app's `zone` line is told about the missing `in`", () => {
    const message = 'expected `in zone "…"` or `=`, found `zone`';
    expect(diagnosticsOf('group "g" zone "example.com" = everyone')[0]).toEqual({
      code: 'ACL0201',
      at: '1:11-1:15',
      message,
      help: insertHelp(message),
    });
  });

  it.each(expectedFound)('ACL0201 in %s', (text, at, message) => {
    expect(diagnosticsOf(text)).toEqual([{ code: 'ACL0201', at, message, help: insertHelp(message) }]);
  });

  it('ACL0202: something other than a declaration at top level', () => {
    expect(diagnosticsOf('hello world\npolicy "p" allow if everyone')).toEqual([
      {
        code: 'ACL0202',
        at: '1:1-1:6',
        message: 'expected a declaration, found `hello`',
        help: DECLARATION_HELP,
      },
    ]);
    expect(diagnosticsOf('policy "p" allow if a b')).toEqual([
      {
        code: 'ACL0202',
        at: '1:23-1:24',
        message: 'expected a declaration, found `b`',
        help: DECLARATION_HELP,
      },
    ]);
  });

  it('ACL0203: an unclosed `(` points where the `)` belongs and at the opener', () => {
    const { file, diagnostics } = parse('policy "p" allow if (a or b\npolicy "q" allow if c');
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0];
    expect(d).toMatchObject({
      code: 'ACL0203',
      message: 'unclosed `(`',
      help: 'add the matching `)`',
      span: { file: 'main.acl', start: 27, end: 27 },
      related: [{ span: { file: 'main.acl', start: 20, end: 21 }, message: '`(` opened here' }],
      fix: {
        description: 'insert `)`',
        edits: [{ span: { file: 'main.acl', start: 27, end: 27 }, text: ')' }],
      },
    });
    expect(file.position(27)).toEqual({ line: 1, column: 28 });
  });

  it.each([
    ['policy "p" allow if email("a"', '1:30', '(', ')', '1:26'],
    ['app "a" { domain "x" ', '1:21', '{', '}', '1:9'],
    ['app "a" { x [1, 2 }', '1:18', '[', ']', '1:13'],
    ['policy "p" allow if x {', '1:24', '{', '}', '1:23'],
  ])('ACL0203 in %s', (text, at, open, close, openedAt) => {
    expect(diagnosticsOf(text)).toEqual([
      {
        code: 'ACL0203',
        at,
        message: `unclosed \`${open}\``,
        help: `add the matching \`${close}\``,
        related: [{ at: openedAt, message: `\`${open}\` opened here` }],
      },
    ]);
  });

  it.each([
    ['policy "p" allow if', '1:20', 'end of file'],
    ['policy "p" allow if a and', '1:26', 'end of file'],
    ['policy "p" allow if not', '1:24', 'end of file'],
    ['policy "p" allow if a or or b', '1:26-1:28', '`or`'],
    ['policy "p" allow if ()', '1:22-1:23', '`)`'],
    ['group "g" = { x 1 }', '1:13-1:14', '`{`'],
    ['policy "p" allow if\npolicy "q" allow if x', '2:1-2:7', '`policy`'],
  ])('ACL0204: missing expression in %s', (text, at, found) => {
    expect(diagnosticsOf(text)).toEqual([
      { code: 'ACL0204', at, message: `expected an expression, found ${found}`, help: EXPRESSION_HELP },
    ]);
  });

  it('ACL0205: a misspelt decision, with a suggestion', () => {
    const fallback = 'use `allow`, `deny` (or `block`), `bypass` or `service_auth` (or `non_identity`)';
    expect(diagnosticsOf('policy "p" alow if everyone')).toEqual([
      {
        code: 'ACL0205',
        at: '1:12-1:16',
        message: 'unknown decision `alow`',
        help: `did you mean \`allow\`? ${fallback}`,
      },
    ]);
    expect(diagnosticsOf('app "a" {\n  bypas "p" if everyone\n}')).toEqual([
      {
        code: 'ACL0205',
        at: '2:3-2:8',
        message: 'unknown decision `bypas`',
        help: `did you mean \`bypass\`? ${fallback}`,
      },
    ]);
    expect(diagnosticsOf('policy "p" xyzzy if everyone')).toEqual([
      { code: 'ACL0205', at: '1:12-1:17', message: 'unknown decision `xyzzy`', help: fallback },
    ]);
  });

  it('keeps the misspelt decision in the tree as written', () => {
    const { ast } = parse('policy "p" alow if everyone');
    expect(ast.decls[0]).toMatchObject({ kind: 'Policy', decision: { keyword: 'alow' } });
  });
});

describe('recovery', () => {
  it(`ACL0206: stops reading a file after ${MAX_SYNTAX_ERRORS} syntax errors`, () => {
    const text = 'policy "p" allow if\n'.repeat(MAX_SYNTAX_ERRORS + 500);
    const shown = diagnosticsOf(text);
    // Each `policy` line's error is at the next line's `policy`; the last of them gives way to ACL0206.
    expect(shown).toHaveLength(MAX_SYNTAX_ERRORS);
    expect(shown.at(-2)?.code).toBe('ACL0204');
    expect(shown.at(-1)).toEqual({
      code: 'ACL0206',
      at: `${MAX_SYNTAX_ERRORS + 1}:1-${MAX_SYNTAX_ERRORS + 1}:7`,
      message: 'too many syntax errors; the rest of the file is not checked',
      help: `aclc stops reading a file after ${MAX_SYNTAX_ERRORS} syntax errors; fix the errors above and run it again`,
    });
    expect(parse(text).ast.decls).toHaveLength(MAX_SYNTAX_ERRORS);
  });

  it('reports one error per broken declaration and keeps the others', () => {
    const text = [
      'policy "a" allow if everyone',
      'policy "b" deny if',
      'policy "c" allow { }',
      'app "d" { domain "d.example.com"; alow "x" if everyone }',
      'group "e" = email("x"',
      'policy "f" bypass if ip("10.0.0.0/8")',
    ].join('\n');
    const { ast } = parse(text);
    expect(diagnosticsOf(text).map((d) => `${d.code} ${d.at}`)).toEqual([
      'ACL0204 3:1-3:7',
      'ACL0201 3:18-3:19',
      'ACL0205 4:35-4:39',
      'ACL0203 5:22',
    ]);
    expect(ast.decls.map((d) => d.kind)).toEqual(['Policy', 'Policy', 'Policy', 'App', 'Group', 'Policy']);
  });

  it('keeps going inside an app after a broken item', () => {
    const text = 'app "a" {\n  allow "x" if\n  use "p"\n  domain "a.example.com"\n}';
    const { ast } = parse(text);
    const app = ast.decls[0];
    if (app?.kind !== 'App') throw new Error('expected an app');
    expect(app.items.map((i) => i.kind)).toEqual(['InlinePolicy', 'Use', 'Setting']);
    expect(diagnosticsOf(text).map((d) => `${d.code} ${d.at} ${d.message}`)).toEqual([
      'ACL0204 3:3-3:6 expected an expression, found `use`',
    ]);
  });

  it('fills lost parts with placeholders: empty names and empty spans where they were expected', () => {
    const { ast } = parse('policy "p" allow if');
    expect(ast.decls[0]).toMatchObject({
      kind: 'Policy',
      expr: { kind: 'Selector', name: { name: '' }, form: 'bare', span: { start: 19, end: 19 } },
    });
  });

  it('never reports two diagnostics at the same offset', () => {
    const { diagnostics } = parse('policy "a allow if email(\n app "x" { { } ]\n group group group');
    const starts = diagnostics.map((d) => d.span.start);
    expect(new Set(starts).size).toBe(starts.length);
  });

  it('puts an error at the end of the file at the end of the text, with an empty span', () => {
    const text = 'idp x = id(';
    const { diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.span)).toEqual([
      { file: 'main.acl', start: text.length, end: text.length },
    ]);
  });
});
