import { describe, expect, it } from 'vitest';
import { stripSpans } from '../helpers/ast.js';
import {
  and,
  bare,
  bool,
  call,
  decision,
  declsOf,
  dur,
  exprOf,
  ident,
  idLit,
  inSet,
  list,
  not,
  num,
  or,
  paren,
  parse,
  setting,
  settings,
  str,
} from './helpers.js';

describe('declarations', () => {
  const cases: [string, string, unknown[]][] = [
    ['idp without type', 'idp okta = "Okta"', [{ kind: 'Idp', name: ident('okta'), value: str('Okta') }]],
    [
      'idp with type and id',
      'idp gh: github = id("0f3c")',
      [{ kind: 'Idp', name: ident('gh'), type: ident('github'), value: idLit('0f3c') }],
    ],
    [
      'group',
      'group "eng" = email("a@x.com")',
      [{ kind: 'Group', name: str('eng'), expr: call('email', str('a@x.com')) }],
    ],
    ['extern group', 'extern group "Employees"', [{ kind: 'ExternGroup', name: str('Employees') }]],
    [
      'policy',
      'policy "p" allow if everyone',
      [{ kind: 'Policy', name: str('p'), decision: decision('allow'), expr: bare('everyone') }],
    ],
    [
      'policy with settings',
      'policy "p" deny if everyone { session_duration 24h; isolation_required true }',
      [
        {
          kind: 'Policy',
          name: str('p'),
          decision: decision('deny'),
          expr: bare('everyone'),
          settings: settings(
            setting('session_duration', dur('24h')),
            setting('isolation_required', bool(true)),
          ),
        },
      ],
    ],
    ['empty app', 'app "A" {}', [{ kind: 'App', name: str('A'), items: [] }]],
    [
      'app with every kind of item and separator',
      `app "A" {
        domain "a.example.com"; session_duration 12h,
        allow "Team" if group("eng") precedence 3 { session_duration 1h }
        use "Block" precedence 1
        bypass "Health" if ip("10.0.0.0/8")
        use "Other"
        use extern "Dashboard" precedence 7
        use extern id("c0ffee")
      }`,
      [
        {
          kind: 'App',
          name: str('A'),
          items: [
            setting('domain', str('a.example.com')),
            setting('session_duration', dur('12h')),
            {
              kind: 'InlinePolicy',
              decision: decision('allow'),
              name: str('Team'),
              expr: call('group', str('eng')),
              precedence: num('3'),
              settings: settings(setting('session_duration', dur('1h'))),
            },
            { kind: 'Use', name: str('Block'), precedence: num('1') },
            {
              kind: 'InlinePolicy',
              decision: decision('bypass'),
              name: str('Health'),
              expr: call('ip', str('10.0.0.0/8')),
            },
            { kind: 'Use', name: str('Other') },
            { kind: 'Use', name: str('Dashboard'), extern: true, precedence: num('7') },
            { kind: 'Use', name: { kind: 'Id', value: 'c0ffee' }, extern: true },
          ],
        },
      ],
    ],
    ['empty file', '', []],
    ['only comments', '# one\n// two\n', []],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(declsOf(text)).toEqual(expected);
  });

  it('keeps declarations in source order', () => {
    const decls = declsOf(
      'extern group "a"\nidp x = "X"\npolicy "p" allow if everyone\ngroup "g" = everyone',
    ) as {
      kind: string;
    }[];
    expect(decls.map((d) => d.kind)).toEqual(['ExternGroup', 'Idp', 'Policy', 'Group']);
  });

  it.each(['allow', 'deny', 'block', 'bypass', 'service_auth', 'non_identity'])(
    'decision keyword `%s` is kept as written',
    (kw) => {
      expect(declsOf(`policy "p" ${kw} if everyone`)).toEqual([
        { kind: 'Policy', name: str('p'), decision: decision(kw), expr: bare('everyone') },
      ]);
      expect(declsOf(`app "a" { ${kw} "p" if everyone }`)).toEqual([
        {
          kind: 'App',
          name: str('a'),
          items: [{ kind: 'InlinePolicy', decision: decision(kw), name: str('p'), expr: bare('everyone') }],
        },
      ]);
    },
  );
});

describe('setting values', () => {
  const cases: [string, unknown][] = [
    ['"text"', str('text')],
    ['42', num('42')],
    ['24h', dur('24h')],
    ['2h45m', dur('2h45m')],
    ['300ms', dur('300ms')],
    ['1.5h', dur('1.5h')],
    ['10µs', dur('10µs')],
    ['true', bool(true)],
    ['false', bool(false)],
    ['self_hosted', ident('self_hosted')],
    ['id("abc")', idLit('abc')],
    ['[]', list()],
    ['["a", "b"]', list(str('a'), str('b'))],
    ['["a", 1, 2h,]', list(str('a'), num('1'), dur('2h'))],
    ['[[1], []]', list(list(num('1')), list())],
    [
      '{ allow_all_origins true, max_age 300 }',
      settings(setting('allow_all_origins', bool(true)), setting('max_age', num('300'))),
    ],
    ['{ a { b 1 } }', settings(setting('a', settings(setting('b', num('1')))))],
    ['{}', settings()],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(declsOf(`app "a" { x ${text} }`)).toEqual([
      { kind: 'App', name: str('a'), items: [setting('x', expected)] },
    ]);
  });
});

describe('expressions', () => {
  const cases: [string, unknown][] = [
    ['everyone', bare('everyone')],
    ['certificate()', call('certificate')],
    ['email("a@x.com")', call('email', str('a@x.com'))],
    ['email("a@x.com", "b@x.com",)', call('email', str('a@x.com'), str('b@x.com'))],
    ['github_org(gh, "acme", "infra")', call('github_org', ident('gh'), str('acme'), str('infra'))],
    ['group(id("x"))', call('group', idLit('x'))],
    ['something(1, x, "s", id("i"))', call('something', num('1'), ident('x'), str('s'), idLit('i'))],
    ['country in ("US", "CA")', inSet('country', str('US'), str('CA'))],
    ['country in ("US",)', inSet('country', str('US'))],
    ['group in ("a", "b")', inSet('group', str('a'), str('b'))],
    ['a or b or c', or(bare('a'), bare('b'), bare('c'))],
    ['a and b and c', and(bare('a'), bare('b'), bare('c'))],
    ['a or b and c', or(bare('a'), and(bare('b'), bare('c')))],
    ['a and b or c', or(and(bare('a'), bare('b')), bare('c'))],
    ['not a', not(bare('a'))],
    ['not not a', not(not(bare('a')))],
    ['not a and b', and(not(bare('a')), bare('b'))],
    ['a and not b or not c', or(and(bare('a'), not(bare('b'))), not(bare('c')))],
    ['(a or b) and c', and(paren(or(bare('a'), bare('b'))), bare('c'))],
    ['((a))', paren(paren(bare('a')))],
    ['not (a and b)', not(paren(and(bare('a'), bare('b'))))],
    [
      'a and (b or (c and not d))',
      and(bare('a'), paren(or(bare('b'), paren(and(bare('c'), not(bare('d'))))))),
    ],
    [
      'group("eng") and not country in ("KP")',
      and(call('group', str('eng')), not(inSet('country', str('KP')))),
    ],
    // `group` is also a declaration keyword: after an operator it is a selector, even without arguments.
    ['group and not group or (group)', or(and(bare('group'), not(bare('group'))), paren(bare('group')))],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(exprOf(text)).toEqual(expected);
  });
});

describe('lexical details in the tree', () => {
  it('decodes string escapes', () => {
    expect(declsOf('extern group "a\\"b\\\\c\\n\\t\\u{1F600}\\u{41}"')).toEqual([
      { kind: 'ExternGroup', name: str('a"b\\c\n\t😀A') },
    ]);
  });

  it('keeps comments apart from declarations, in order, with their exact text', () => {
    const { ast, diagnostics } = parse('# head\npolicy "p" allow if everyone // tail\n  # inner\n');
    expect(diagnostics).toEqual([]);
    expect(ast.comments.map((c) => [c.text, c.span.start, c.span.end])).toEqual([
      ['# head', 0, 6],
      ['// tail', 36, 43],
      ['# inner', 46, 53],
    ]);
    expect(stripSpans(ast.decls)).toEqual([
      { kind: 'Policy', name: str('p'), decision: decision('allow'), expr: bare('everyone') },
    ]);
  });

  it('treats keywords inside longer names as names', () => {
    expect(exprOf('allowed or identity or inline or not-me or idp_x')).toEqual(
      or(bare('allowed'), bare('identity'), bare('inline'), bare('not-me'), bare('idp_x')),
    );
  });
});

describe('spans', () => {
  it('are half-open offsets of what was written', () => {
    const text = 'policy "p" allow if email("a") and not x';
    const { ast } = parse(text);
    const policy = ast.decls[0];
    if (policy?.kind !== 'Policy') throw new Error('expected a policy');
    const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
    expect(slice(policy.span)).toBe(text);
    expect(slice(policy.name.span)).toBe('"p"');
    expect(slice(policy.decision.span)).toBe('allow');
    expect(slice(policy.expr.span)).toBe('email("a") and not x');
    if (policy.expr.kind !== 'And') throw new Error('expected and');
    expect(policy.expr.operands.map((o) => slice(o.span))).toEqual(['email("a")', 'not x']);
    expect(ast.span).toEqual({ file: 'main.acl', start: 0, end: text.length });
  });

  it('cover an app from its keyword to its closing brace', () => {
    const text = 'app "A" {\n  domain "x"\n  use "p" precedence 2\n}';
    const { ast } = parse(text);
    const app = ast.decls[0];
    if (app?.kind !== 'App') throw new Error('expected an app');
    expect(text.slice(app.span.start, app.span.end)).toBe(text);
    expect(app.items.map((i) => text.slice(i.span.start, i.span.end))).toEqual([
      'domain "x"',
      'use "p" precedence 2',
    ]);
  });
});
