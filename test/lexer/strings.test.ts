import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lex } from '../../src/lexer/lexer.js';
import { decodeString, type EscapeProblem, quoteString } from '../../src/lexer/strings.js';

describe('string literals', () => {
  it.each([
    ['"plain"', 'plain'],
    ['"a\\"b"', 'a"b'],
    ['"a\\\\b"', 'a\\b'],
    ['"\\n\\t"', '\n\t'],
    ['"\\u{1F600}\\u{e9}"', '😀é'],
    ['""', ''],
  ])('decodes %s', (image, value) => {
    const problems: EscapeProblem[] = [];
    expect(decodeString(image, true, problems)).toBe(value);
    expect(problems).toEqual([]);
  });

  it('decodes an unterminated string up to the end of its line', () => {
    expect(decodeString('"abc', false)).toBe('abc');
    expect(decodeString('"', false)).toBe('');
  });

  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['line\nbreak\ttab', '"line\\nbreak\\ttab"'],
    ['\u0000\u001f\u007f\u2028', '"\\u{0}\\u{1F}\\u{7F}\\u{2028}"'],
    ['😀 é', '"😀 é"'],
    ['\ud800x', '"\\u{D800}x"'],
  ])('quotes %j canonically', (value, literal) => {
    expect(quoteString(value)).toBe(literal);
  });

  it('round-trips every string: one token, no diagnostics, the same value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const literal = quoteString(value);
        const lexed = lex(new SourceFile('s.acl', literal));
        expect(lexed.diagnostics).toEqual([]);
        expect(lexed.tokens.map((t) => t.image)).toEqual([literal]);
        expect(decodeString(literal)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
