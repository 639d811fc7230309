import { describe, expect, it } from 'vitest';
import { PLAIN, renderDiagnostic } from '../../../src/cli/render/human.js';
import { diagnostic } from '../../../src/diagnostics/catalog.js';
import { SourceFile } from '../../../src/diagnostics/source.js';

/** Issue #15.5: a snippet is a window around the span, never the whole line, however long the line. */
const render = (text: string, start: number, end: number) => {
  const file = new SourceFile('f.acl', text);
  const d = diagnostic('ACL0002', { file: 'f.acl', start, end }, { path: 'f.acl', reason: 'x' });
  return renderDiagnostic(d, new Map([['f.acl', file]]), PLAIN).split('\n');
};

describe('human snippets', () => {
  it('show a short line whole, carets under the span', () => {
    const lines = render('group "a" = everyone\n', 6, 9);
    expect(lines.slice(2)).toEqual([
      '    |',
      '  1 | group "a" = everyone',
      '    |       ^^^',
      '  = help: check that the path exists and is readable',
    ]);
  });

  it.each([100_000, 10_000_000])(
    'show a window of a %i-character line, with the carets under the span',
    (size) => {
      const at = Math.floor(size / 2);
      const text = `${'x'.repeat(at)}TARGET${'y'.repeat(size - at)}\n`;
      const lines = render(text, at, at + 6);
      const source = lines[3] as string;
      const carets = lines[4] as string;
      expect(source.length).toBeLessThan(220);
      expect(source).toMatch(/^ {2}1 \| …x+TARGETy+…$/);
      const column = carets.indexOf('^');
      expect(source.slice(column, column + 6)).toBe('TARGET');
      expect(carets.slice(column)).toBe('^^^^^^');
    },
  );

  it('a span reaching past the window or the line ends its carets there', () => {
    const text = `${'a'.repeat(50)}${'b'.repeat(1000)}\nnext\n`;
    const lines = render(text, 50, 1060);
    expect((lines[4] as string).trim()).toMatch(/^\|\s*\^+$/);
    expect((lines[4] as string).length).toBeLessThanOrEqual((lines[3] as string).length);
  });

  it('a span at the end of a long line is shown with the text before it', () => {
    const text = `${'z'.repeat(5000)}END`;
    const lines = render(text, 5000, 5003);
    expect(lines[3]).toMatch(/…z+END$/);
    const column = (lines[4] as string).indexOf('^');
    expect((lines[3] as string).slice(column, column + 3)).toBe('END');
  });
});
