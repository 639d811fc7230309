import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import {
  lex,
  MAX_BAD_CHARACTER_RUNS,
  MAX_LEXER_DIAGNOSTICS,
  tokenEnd,
  tokenSpan,
} from '../../src/lexer/lexer.js';
import { show } from '../parser/helpers.js';

function tokensOf(text: string): string[] {
  const result = lex(new SourceFile('main.acl', text));
  return result.tokens.map((t) => `${t.tokenType.name} ${t.image}`);
}

function diagnosticsOf(text: string) {
  const file = new SourceFile('main.acl', text);
  return lex(file).diagnostics.map((d) => show(file, d));
}

const BAD_HELP = 'remove it; strings go in double quotes and comments start with `#` or `//`';
const BAD_HELP_MANY = 'remove them; strings go in double quotes and comments start with `#` or `//`';

describe('tokens', () => {
  const cases: [string, string[]][] = [
    ['idp id idps identity', ['Idp idp', 'Id id', 'Identifier idps', 'Identifier identity']],
    ['in inline if iffy', ['In in', 'Identifier inline', 'If if', 'Identifier iffy']],
    ['not not-me note', ['Not not', 'Identifier not-me', 'Identifier note']],
    [
      'allow deny block bypass service_auth non_identity allowed',
      [
        'Allow allow',
        'Deny deny',
        'Block block',
        'Bypass bypass',
        'ServiceAuth service_auth',
        'NonIdentity non_identity',
        'Identifier allowed',
      ],
    ],
    [
      'group extern policy app use and or precedence true false',
      [
        'Group group',
        'Extern extern',
        'Policy policy',
        'App app',
        'Use use',
        'And and',
        'Or or',
        'Precedence precedence',
        'True true',
        'False false',
      ],
    ],
    ['_x a-b-c A9_', ['Identifier _x', 'Identifier a-b-c', 'Identifier A9_']],
    ['0 42 007', ['NumberLiteral 0', 'NumberLiteral 42', 'NumberLiteral 007']],
    [
      '24h 2h45m 300ms 1.5h 10us 10µs 10μs 5ns 90s 1h2m3s4ms',
      [
        'Duration 24h',
        'Duration 2h45m',
        'Duration 300ms',
        'Duration 1.5h',
        'Duration 10us',
        'Duration 10µs',
        'Duration 10μs',
        'Duration 5ns',
        'Duration 90s',
        'Duration 1h2m3s4ms',
      ],
    ],
    ['24hours', ['NumberLiteral 24', 'Identifier hours']],
    ['-1 0 -42', ['NumberLiteral -1', 'NumberLiteral 0', 'NumberLiteral -42']],
    ['1-2 a-1', ['NumberLiteral 1', 'NumberLiteral -2', 'Identifier a-1']],
    ['-1h', ['NumberLiteral -1', 'Identifier h']],
    [
      '( ) { } [ ] , : = ;',
      [
        'LParen (',
        'RParen )',
        'LCurly {',
        'RCurly }',
        'LBracket [',
        'RBracket ]',
        'Comma ,',
        'Colon :',
        'Equals =',
        'Semicolon ;',
      ],
    ],
    ['"" "a b" "a\\"b"', ['StringLiteral ""', 'StringLiteral "a b"', 'StringLiteral "a\\"b"']],
    ['\uFEFFapp', ['App app']],
    ['a # b c\nd // e\r\nf', ['Identifier a', 'Identifier d', 'Identifier f']],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(tokensOf(text)).toEqual(expected);
    expect(diagnosticsOf(text)).toEqual([]);
  });

  it('gives half-open spans', () => {
    const result = lex(new SourceFile('main.acl', 'ab  "cd"'));
    const [a, b] = result.tokens;
    if (!a || !b) throw new Error('expected two tokens');
    expect([a.startOffset, tokenEnd(a)]).toEqual([0, 2]);
    expect(tokenSpan('main.acl', b)).toEqual({ file: 'main.acl', start: 4, end: 8 });
  });

  it('keeps comments with their marker and exact span', () => {
    const result = lex(new SourceFile('main.acl', 'x # one\n// two\r\ny#three'));
    expect(result.comments).toEqual([
      { kind: 'Comment', span: { file: 'main.acl', start: 2, end: 7 }, text: '# one' },
      { kind: 'Comment', span: { file: 'main.acl', start: 8, end: 14 }, text: '// two' },
      { kind: 'Comment', span: { file: 'main.acl', start: 17, end: 23 }, text: '#three' },
    ]);
  });
});

describe('lexical errors', () => {
  it('ACL0101: one diagnostic per run of bad characters', () => {
    expect(diagnosticsOf('a @@@ b $ c')).toEqual([
      { code: 'ACL0101', at: '1:3-1:6', message: 'unexpected characters `@@@`', help: BAD_HELP_MANY },
      { code: 'ACL0101', at: '1:9-1:10', message: 'unexpected character `$`', help: BAD_HELP },
    ]);
    expect(tokensOf('a @@@ b')).toEqual(['Identifier a', 'Identifier b']);
  });

  it('ACL0101: a `/` that does not start a comment, merged with bad characters next to it', () => {
    expect(diagnosticsOf('a / b\n@/x')).toEqual([
      { code: 'ACL0101', at: '1:3-1:4', message: 'unexpected character `/`', help: BAD_HELP },
      { code: 'ACL0101', at: '2:1-2:3', message: 'unexpected characters `@/`', help: BAD_HELP_MANY },
    ]);
  });

  it('ACL0101: shows invisible characters and cuts long runs', () => {
    expect(diagnosticsOf('a\u0001\u007fb').map((d) => d.message)).toEqual([
      'unexpected characters `\\u{1}\\u{7F}`',
    ]);
    expect(diagnosticsOf(`x ${'!'.repeat(40)}`).map((d) => d.message)).toEqual([
      `unexpected characters \`${'!'.repeat(16)}…\``,
    ]);
  });

  it('stops reporting after a bounded number of diagnostics', () => {
    expect(diagnosticsOf('a @ '.repeat(MAX_BAD_CHARACTER_RUNS + 50))).toHaveLength(MAX_BAD_CHARACTER_RUNS);
    expect(diagnosticsOf('"\n'.repeat(MAX_LEXER_DIAGNOSTICS + 50))).toHaveLength(MAX_LEXER_DIAGNOSTICS);
  });

  it('ACL0102: a string that reaches the end of its line, then lexing goes on', () => {
    expect(diagnosticsOf('x "abc\ny "d')).toEqual([
      {
        code: 'ACL0102',
        at: '1:3-1:7',
        message: 'unterminated string',
        help: 'close the string with `"` on the same line',
      },
      {
        code: 'ACL0102',
        at: '2:3-2:5',
        message: 'unterminated string',
        help: 'close the string with `"` on the same line',
      },
    ]);
    // The parser sees it as a string.
    expect(tokensOf('x "abc\ny')).toEqual(['Identifier x', 'StringLiteral "abc', 'Identifier y']);
    expect(diagnosticsOf('"ab\\"').map((d) => d.code)).toEqual(['ACL0102']);
  });

  it('ACL0103: unknown escapes, each with its own span', () => {
    const help = 'valid escapes are `\\"`, `\\\\`, `\\n`, `\\t` and `\\u{…}`';
    expect(diagnosticsOf('"a\\qb\\u{110000}\\u{}\\uZ \\u{41}\\u{10FFFF}"')).toEqual([
      { code: 'ACL0103', at: '1:3-1:5', message: 'unknown escape `\\q` in string', help },
      { code: 'ACL0103', at: '1:6-1:16', message: 'unknown escape `\\u{110000}` in string', help },
      { code: 'ACL0103', at: '1:16-1:20', message: 'unknown escape `\\u{}` in string', help },
      { code: 'ACL0103', at: '1:20-1:22', message: 'unknown escape `\\u` in string', help },
    ]);
  });
});
