import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Span } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { AstFile } from '../../src/parser/ast.js';
import { MAX_NESTING, MAX_SYNTAX_ERRORS, parseFile } from '../../src/parser/index.js';
import { FRAGMENTS, mutate, mutation, VALID_PROGRAMS } from './corpus.js';

/** Every span in a tree (iteratively: trees may be deep). */
function spansOf(root: AstFile): Span[] {
  const out: Span[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v)) {
        if (key === 'span') out.push(inner as Span);
        else stack.push(inner);
      }
    }
  }
  return out;
}

function checkInvariants(text: string, diagnostics: readonly Diagnostic[], ast: AstFile): void {
  const inside = (s: Span) =>
    s.file === 'fuzz.acl' && 0 <= s.start && s.start <= s.end && s.end <= text.length;
  for (const d of diagnostics) {
    expect(inside(d.span), `${d.code} ${JSON.stringify(d.span)} in a text of ${text.length}`).toBe(true);
    for (const r of d.related ?? []) expect(inside(r.span)).toBe(true);
    expect(d.message).not.toMatch(/^[A-Z]|\.$/);
  }
  const starts = diagnostics.map((d) => d.span.start);
  expect(new Set(starts).size, 'two diagnostics at one offset').toBe(starts.length);
  for (const s of spansOf(ast)) expect(inside(s), JSON.stringify(s)).toBe(true);
}

function parseChecked(text: string): { diagnostics: Diagnostic[]; ast: AstFile } {
  const result = parseFile(new SourceFile('fuzz.acl', text));
  checkInvariants(text, result.diagnostics, result.value);
  return { diagnostics: result.diagnostics, ast: result.value };
}

describe('the corpus', () => {
  it.each(VALID_PROGRAMS.map((p, i) => [i, p]))('program %i parses cleanly', (_i, text) => {
    expect(parseChecked(text as string).diagnostics).toEqual([]);
  });
});

describe('parsing never throws and keeps every span inside the text', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 })),
        (text) => {
          parseChecked(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on soups of language fragments', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }), (parts) => {
        parseChecked(parts.join(' '));
        parseChecked(parts.join(''));
      }),
      { numRuns: 400 },
    );
  });

  it('on mutated valid programs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_PROGRAMS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (program, ms) => {
          parseChecked(ms.reduce(mutate, program));
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('pathological inputs finish', () => {
  const depthCode = (text: string) => parseChecked(text).diagnostics.map((d) => d.code);

  it('an empty file', () => {
    expect(parseChecked('')).toMatchObject({ diagnostics: [], ast: { decls: [], comments: [] } });
  });

  it('10,000 nested parentheses: ACL0104, no stack overflow', () => {
    const text = `policy "p" allow if ${'('.repeat(10_000)}x${')'.repeat(10_000)}`;
    const { diagnostics } = parseChecked(text);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['ACL0104', `expression nested too deeply (more than ${MAX_NESTING} levels)`],
    ]);
    expect(diagnostics[0]?.span.start).toBe(20 + MAX_NESTING);
  });

  it('nesting up to the limit still parses', () => {
    const n = MAX_NESTING;
    expect(depthCode(`policy "p" allow if ${'('.repeat(n)}x${')'.repeat(n)}`)).toEqual([]);
    expect(depthCode(`policy "p" allow if ${'not ('.repeat(n / 2)}x${')'.repeat(n / 2)}`)).toEqual([]);
    expect(depthCode(`app "a" { x ${'['.repeat(n - 1)}${']'.repeat(n - 1)} }`)).toEqual([]);
    expect(depthCode(`app "a" { ${'x {'.repeat(n - 1)}${'}'.repeat(n)}`)).toEqual([]);
    expect(depthCode(`app "a" { x ${'['.repeat(n)}${']'.repeat(n)} }`)).toEqual(['ACL0104']);
  });

  it('degrades to ACL0104 rather than throwing when the caller has already used most of the stack', () => {
    const text = `policy "p" allow if ${'('.repeat(MAX_NESTING)}x${')'.repeat(MAX_NESTING)}`;
    const atDepth = (n: number): Diagnostic[] =>
      n === 0 ? parseFile(new SourceFile('fuzz.acl', text)).diagnostics : atDepth(n - 1);
    const seen = new Set<string>();
    for (let n = 0; n < 1_000_000; n += 200) {
      let diagnostics: Diagnostic[];
      try {
        diagnostics = atDepth(n);
      } catch (e) {
        if (e instanceof RangeError) break; // the test's own recursion reached the end of the stack
        throw e;
      }
      seen.add(diagnostics.map((d) => `${d.code} ${d.span.start}`).join());
    }
    expect([...seen]).toEqual(['', 'ACL0104 0']);
  });

  it('10,000 `not`s: ACL0104; a long but allowed chain is a chain of Not nodes', () => {
    expect(depthCode(`policy "p" allow if ${'not '.repeat(10_000)}x`)).toEqual(['ACL0104']);
    const { ast } = parseChecked(`policy "p" allow if ${'not '.repeat(200)}x`);
    let e = (ast.decls[0] as { expr: { kind: string; operand?: unknown } }).expr;
    let depth = 0;
    while (e.kind === 'Not') {
      depth++;
      e = e.operand as typeof e;
    }
    expect([depth, e.kind]).toEqual([200, 'Selector']);
  });

  it('a 10 MB file', () => {
    const policy =
      'policy "p" allow if email("a@example.com") or country in ("US", "CA") { session_duration 24h }\n';
    const text = policy.repeat(Math.ceil(10_000_000 / policy.length));
    const result = parseFile(new SourceFile('fuzz.acl', text));
    expect(result.diagnostics).toEqual([]);
    expect(result.value.decls).toHaveLength(Math.ceil(10_000_000 / policy.length));
  });

  it('1 MB of binary garbage', () => {
    let state = 12345;
    let text = '';
    for (let i = 0; i < 1_000_000; i++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      text += String.fromCharCode(state >> 23);
    }
    const { diagnostics } = parseChecked(text);
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it('an app full of errors, and a file of alternating junk and declarations', () => {
    const app = `app "x" {${' = domain "a"'.repeat(50_000)} }`;
    expect(parseChecked(app).diagnostics.length).toBeGreaterThan(0);
    const junk = '= policy "x" allow if a\n'.repeat(20_000);
    const { diagnostics } = parseChecked(junk);
    expect(diagnostics.length).toBeLessThanOrEqual(MAX_SYNTAX_ERRORS + 1);
    expect(diagnostics.at(-1)?.code).toBe('ACL0206');
  });
});
