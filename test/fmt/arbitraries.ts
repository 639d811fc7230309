import fc from 'fast-check';

/**
 * Valid programs as token lists, generated from the grammar, then joined with random layout: spaces, tabs, line
 * breaks, blank lines and comments between any two tokens, optional separators, non-canonical string escapes.
 */

const NAMES = [
  'everyone',
  'email',
  'country',
  'ip',
  'okta_group',
  'x',
  'a-b',
  '_z9',
  'session_duration',
  'cors',
];
const DECISIONS = ['allow', 'deny', 'block', 'bypass', 'service_auth', 'non_identity'];

/** A string literal whose value is arbitrary, written with a random mix of raw characters and escapes. */
const stringLiteral: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 }), fc.nat(9)), {
    maxLength: 8,
  })
  .map((chars) => {
    let out = '"';
    for (const [ch, how] of chars) {
      const code = ch.codePointAt(0) as number;
      if (ch === '"') out += '\\"';
      else if (ch === '\\') out += '\\\\';
      else if (ch === '\n') out += how < 5 ? '\\n' : '\\u{A}';
      else if (ch === '\t') out += how < 5 ? '\\t' : '\t';
      else if (ch === '\r' || how === 0) out += `\\u{${code.toString(16)}}`;
      else out += ch;
    }
    return `${out}"`;
  });

const ident = fc.constantFrom(...NAMES);
const number = fc.nat(5000).map(String);
const duration = fc.constantFrom('24h', '30m', '2h45m', '300ms', '1.5h', '10µs');
const idLit = stringLiteral.map((s) => ['id', '(', s, ')']);

const arg: fc.Arbitrary<string[]> = fc.oneof(
  stringLiteral.map((s) => [s]),
  ident.map((s) => [s]),
  number.map((s) => [s]),
  idLit,
);
const args = (min: number) =>
  fc.tuple(fc.array(arg, { minLength: min, maxLength: 3 }), fc.boolean()).map(([list, trailing]) => {
    const out: string[] = [];
    list.forEach((a, i) => {
      if (i > 0) out.push(',');
      out.push(...a);
    });
    if (trailing && list.length > 0) out.push(',');
    return out;
  });
const selector: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom('everyone', 'x', 'a-b').map((s) => [s]),
  fc
    .tuple(fc.constantFrom('email', 'ip', 'okta_group', 'group'), args(0))
    .map(([n, a]) => [n, '(', ...a, ')']),
  fc.tuple(fc.constantFrom('country', 'group'), args(1)).map(([n, a]) => [n, 'in', '(', ...a, ')']),
);

const { expr } = fc.letrec<{ expr: string[]; and: string[]; not: string[]; primary: string[] }>((tie) => ({
  expr: fc
    .array(tie('and'), { minLength: 1, maxLength: 3 })
    .map((xs) => xs.flatMap((x, i) => (i ? ['or', ...x] : x))),
  and: fc
    .array(tie('not'), { minLength: 1, maxLength: 3 })
    .map((xs) => xs.flatMap((x, i) => (i ? ['and', ...x] : x))),
  not: fc.tuple(fc.nat(2), tie('primary')).map(([n, p]) => [...Array<string>(n).fill('not'), ...p]),
  primary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    selector,
    tie('expr').map((e) => ['(', ...e, ')']),
  ),
}));

const separator = fc.constantFrom<string[]>([], [], [';'], [',']);

const { value, block } = fc.letrec<{ value: string[]; block: string[]; setting: string[] }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringLiteral.map((s) => [s]),
    number.map((s) => [s]),
    duration.map((s) => [s]),
    fc.constantFrom('true', 'false').map((s) => [s]),
    ident.map((s) => [s]),
    idLit,
    fc
      .tuple(fc.array(tie('value'), { maxLength: 3 }), fc.boolean())
      .map(([items, trailing]) => [
        '[',
        ...items.flatMap((v, i) => (i ? [',', ...v] : v)),
        ...(trailing && items.length ? [','] : []),
        ']',
      ]),
    tie('block'),
  ),
  setting: fc.tuple(ident, tie('value')).map(([k, v]) => [k, ...v]),
  block: fc
    .array(fc.tuple(tie('setting'), separator), { maxLength: 3 })
    .map((items) => ['{', ...items.flatMap(([s, sep]) => [...s, ...sep]), '}']),
}));

const setting = fc.tuple(ident, value).map(([k, v]) => [k, ...v]);
const decision = fc.constantFrom(...DECISIONS);
const precedence = fc.option(
  number.map((n) => ['precedence', n]),
  { nil: undefined },
);

const appItem: fc.Arbitrary<string[]> = fc.oneof(
  setting,
  fc
    .tuple(decision, stringLiteral, expr, precedence, fc.option(block, { nil: undefined }))
    .map(([d, n, e, p, b]) => [d, n, 'if', ...e, ...(p ?? []), ...(b ?? [])]),
  fc.tuple(stringLiteral, precedence).map(([n, p]) => ['use', n, ...(p ?? [])]),
  fc
    .tuple(
      fc.oneof(
        stringLiteral.map((s) => [s]),
        idLit,
      ),
      precedence,
    )
    .map(([n, p]) => ['use', 'extern', ...n, ...(p ?? [])]),
);

const decl: fc.Arbitrary<string[]> = fc.oneof(
  fc
    .tuple(
      ident,
      fc.option(ident, { nil: undefined }),
      fc.oneof(
        stringLiteral.map((s) => [s]),
        idLit,
      ),
    )
    .map(([n, t, v]) => ['idp', n, ...(t ? [':', t] : []), '=', ...v]),
  fc
    .tuple(
      stringLiteral,
      fc.option(
        fc.oneof(
          stringLiteral.map((s) => [s]),
          idLit,
        ),
        { nil: undefined },
      ),
      expr,
    )
    .map(([n, z, e]) => ['group', n, ...(z ? ['in', 'zone', ...z] : []), '=', ...e]),
  stringLiteral.map((n) => ['extern', 'group', n]),
  fc
    .tuple(stringLiteral, decision, expr, fc.option(block, { nil: undefined }))
    .map(([n, d, e, b]) => ['policy', n, d, 'if', ...e, ...(b ?? [])]),
  fc
    .tuple(stringLiteral, fc.array(fc.tuple(appItem, separator), { maxLength: 4 }))
    .map(([n, items]) => ['app', n, '{', ...items.flatMap(([i, s]) => [...i, ...s]), '}']),
);

const COMMENTS = ['# note', '// note', '#', '#  spaced  ', '# "quoted" { ( not code', '// 😀 é'];
const gap = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(' ', '  ', '\n', '\t', '\n\n', '\r\n', '\n  ') },
  { weight: 1, arbitrary: fc.constantFrom(...COMMENTS).map((c) => ` ${c}\n`) },
  { weight: 1, arbitrary: fc.constantFrom(...COMMENTS).map((c) => `\n\n${c}\n\n`) },
);

/** A valid program: declarations joined with random layout and comments. */
export const program: fc.Arbitrary<string> = fc.array(decl, { maxLength: 5 }).chain((decls) => {
  const tokens = decls.flat();
  return fc
    .tuple(fc.array(gap, { minLength: tokens.length + 1, maxLength: tokens.length + 1 }))
    .map(([gaps]) => gaps[0] + tokens.map((t, i) => t + gaps[i + 1]).join(''));
});
