import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countLineBreaks, lineEndAfter, lineStartBefore, lineStarts } from '../../src/diagnostics/lines.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lex } from '../../src/lexer/lexer.js';

const text = fc
  .array(fc.constantFrom('a', ' ', '\r', '\n', '\r\n', '#', '"', 'x', 'group', '='), { maxLength: 40 })
  .map((xs) => xs.join(''));

describe('one definition of a line', () => {
  it('ends lines at `\\r\\n`, a lone `\\r` and a lone `\\n`', () => {
    expect(lineStarts('a\r\nb\rc\nd')).toEqual([0, 3, 5, 7]);
    expect(lineStarts('\r\r\n\n')).toEqual([0, 1, 3, 4]);
    expect(countLineBreaks('\r\n\r\n')).toBe(2);
    const file = new SourceFile('f', 'a\rbc\r\nd');
    expect([file.position(2), file.position(6), file.lineText(2), file.lineCount]).toEqual([
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      'bc',
      3,
    ]);
  });

  it('agrees with splitting on every kind of break, and with the lexer: a comment never spans two lines', () => {
    fc.assert(
      fc.property(text, (t) => {
        // Files with `\n` breaks only take a path of their own.
        const unix = t.replaceAll('\r', '');
        expect(lineStarts(unix)).toEqual([
          0,
          ...[...unix.matchAll(/\n/g)].map((m) => (m.index as number) + 1),
        ]);
        const starts = lineStarts(t);
        const lines = t.split(/\r\n|\r|\n/);
        expect(starts.length).toBe(lines.length);
        lines.forEach((l, i) => {
          const s = starts[i] as number;
          expect(t.slice(s, s + l.length)).toBe(l);
          expect(lineEndAfter(t, s)).toBe(s + l.length);
          for (let k = s; k <= s + l.length; k++) expect(lineStartBefore(t, k)).toBe(s);
        });
        const file = new SourceFile('f', t);
        for (const c of lex(file).comments) {
          expect(file.position(c.span.end).line).toBe(file.position(c.span.start).line);
          expect(file.lineText(file.position(c.span.start).line).endsWith(c.text)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
