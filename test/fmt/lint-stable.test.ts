import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { ruleName } from '../../src/diagnostics/rules.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { formatSource } from '../../src/fmt/print.js';
import { lex, tokenEnd } from '../../src/lexer/lexer.js';
import { validProject } from '../lint/arbitraries.js';
import { FILE, lintCase } from '../lint/rule-tester.js';

/**
 * Formatting never changes what the linter says (issue 15 item 4): the same findings, with suppressions of every form
 * kept on the node they name, whatever the layout, comments, blank lines and line endings of the source.
 */

const RULES = [
  'unused-group',
  'unused-policy',
  'shadowed-policy',
  'redundant-term',
  'unsatisfiable-policy',
  'conflicting-policies',
  'equivalent-policies',
  'allows-everyone',
  'bypass-everyone',
  'missing-mfa',
  'missing-include',
  'public-email-domain',
  'order-misleading',
  'no-allow',
  'bypass-service-token',
];
const ids = fc
  .uniqueArray(fc.constantFrom(...RULES), { minLength: 1, maxLength: 3 })
  .map((xs) => xs.join(', '));

/** Text put into a gap between two tokens (each ends its line, so the code after it stays valid). */
const insertion: fc.Arbitrary<string> = fc.oneof(
  ids.map((x) => ` # aclc-disable-line ${x} -- reason\n`),
  ids.map((x) => `\n# aclc-disable-next-line ${x} -- reason\n`),
  ids.map((x) => ` # aclc-disable-next-line ${x} -- reason\n`),
  ids.map((x) => `\n// aclc-disable-file ${x} -- reason\n`),
  ids.map((x) => `\n# aclc-disable-nextline ${x} -- typo\n`),
  fc.constantFrom(' # a note\n', '\n\n', '\n\n\n', '\n# note\n\n', ' // why\n', '\n'),
);

const ending = fc.constantFrom('\n', '\r\n', '\r');
const withEnding = (text: string, eol: string) => text.replace(/\r\n|\r|\n/g, eol);

/** A valid project with insertions at random gaps between tokens, written with one kind of line ending. */
const source: fc.Arbitrary<string> = fc
  .tuple(validProject, fc.array(fc.tuple(fc.nat(), insertion), { maxLength: 8 }), ending)
  .map(([text, inserts, eol]) => {
    const gaps = lex(new SourceFile(FILE, text)).tokens.map((t) => tokenEnd(t));
    if (gaps.length === 0) return withEnding(text, eol);
    const at = new Map<number, string>();
    for (const [n, s] of inserts) {
      const g = gaps[n % gaps.length] as number;
      at.set(g, (at.get(g) ?? '') + s);
    }
    let out = '';
    let prev = 0;
    for (const g of [...at.keys()].sort((a, b) => a - b)) {
      out += text.slice(prev, g) + at.get(g);
      prev = g;
    }
    return withEnding(out + text.slice(prev), eol);
  });

const lintAll = (text: string): Diagnostic[] => lintCase('', text).all;

/** A finding without its place in the layout: rule, code, severity, message and the code it points at. */
const key = (text: string, d: Diagnostic) =>
  [
    ruleName(d),
    d.code,
    d.severity,
    d.message,
    text
      .slice(d.span.start, d.span.end)
      .replace(/(?:#|\/\/)[^\r\n]*/g, '')
      .replace(/\s+/g, ''),
  ].join(' | ');

/** A finding where it is: code, rule, line and column. */
const located = (text: string, d: Diagnostic) => {
  const p = new SourceFile(FILE, text).position(d.span.start);
  return `${p.line}:${p.column} ${d.code} ${ruleName(d)}`;
};

const formatted = (text: string) => formatSource(new SourceFile(FILE, text));

describe('lint findings are the same before and after fmt', () => {
  it('any layout, comments, suppressions and line endings: the same findings on the same code', () => {
    fc.assert(
      fc.property(source, (text) => {
        const out = formatted(text);
        expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const before = lintAll(text)
          .map((d) => key(text, d))
          .sort();
        const after = lintAll(out.value)
          .map((d) => key(out.value, d))
          .sort();
        expect(after).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('canonical text with `\\r`, `\\r\\n` or `\\n` endings: the same findings at the same line and column', () => {
    fc.assert(
      fc.property(source, ending, (text, eol) => {
        const canonical = withEnding(formatted(text).value, eol);
        const after = formatted(canonical).value;
        const at = (t: string) =>
          lintAll(t)
            .map((d) => located(t, d))
            .sort();
        expect(at(after)).toEqual(at(canonical));
      }),
      { numRuns: 100 },
    );
  });
});
