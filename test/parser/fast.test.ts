import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateProject } from '../../scripts/bench/generate.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lex, lexStream } from '../../src/lexer/lexer.js';
import { fastDecl } from '../../src/parser/fast.js';
import { declarationEnd, parseFile, parseFileWithChevrotain } from '../../src/parser/index.js';
import { ParseMessages } from '../../src/parser/messages.js';
import { AclParser } from '../../src/parser/parser.js';
import { program } from '../fmt/arbitraries.js';
import { FRAGMENTS, mutate, mutation, VALID_PROGRAMS } from './corpus.js';

/**
 * The fast path (`src/parser/fast.ts`) must be invisible: on every input, `parseFile` gives the same tree (spans and
 * key order included) and the same diagnostics as parsing every declaration with chevrotain.
 */
function expectSameAsChevrotain(text: string): void {
  const file = new SourceFile('main.acl', text);
  const fast = parseFile(file);
  const slow = parseFileWithChevrotain(file);
  expect(JSON.stringify(fast.value)).toBe(JSON.stringify(slow.value));
  expect(fast.diagnostics).toEqual(slow.diagnostics);
}

/** Whether the fast path reads every declaration of a text (so chevrotain is never needed for it). */
function fastReadsAll(text: string): boolean {
  const tokens = lexStream(new SourceFile('main.acl', text)).stream;
  for (let i = 0; i < tokens.count; ) {
    const j = declarationEnd(tokens, i);
    if (!fastDecl(tokens, i, j, 'main.acl')) return false;
    i = j;
  }
  return true;
}

const root = join(import.meta.dirname, '..', '..');
const EXAMPLES: string[] = [];
for (const dir of readdirSync(join(root, 'examples'))) {
  if (dir === 'ci') continue;
  for (const name of readdirSync(join(root, 'examples', dir))) {
    if (name.endsWith('.acl')) EXAMPLES.push(readFileSync(join(root, 'examples', dir, name), 'utf8'));
  }
}

/** One token-level edit: delete, duplicate or swap tokens, or insert a fragment between two. */
const tokenEdit = fc.record({
  op: fc.constantFrom('delete', 'duplicate', 'swap', 'insert'),
  at: fc.nat(),
  text: fc.constantFrom(...FRAGMENTS),
});
function editTokens(text: string, edits: { op: string; at: number; text: string }[]): string {
  const images = lex(new SourceFile('x.acl', text)).tokens.map((t) => t.image);
  for (const e of edits) {
    if (images.length === 0) break;
    const k = e.at % images.length;
    if (e.op === 'delete') images.splice(k, 1);
    else if (e.op === 'duplicate') images.splice(k, 0, images[k] as string);
    else if (e.op === 'swap' && k + 1 < images.length)
      images.splice(k, 2, images[k + 1] as string, images[k] as string);
    else images.splice(k, 0, e.text);
  }
  return images.join(' ');
}

describe('the fast path of the parser', () => {
  it('reads every declaration of the valid corpus, the examples and the benchmark projects', () => {
    for (const text of [...VALID_PROGRAMS, generateProject(200, 10)]) {
      expect(fastReadsAll(text), text).toBe(true);
      expectSameAsChevrotain(text);
    }
    for (const text of EXAMPLES) expectSameAsChevrotain(text);
  });

  it('leaves misspelt decisions to chevrotain and the builder (ACL0205 with its suggestion)', () => {
    const text = 'policy "p" alow if x\napp "a" { dney "q" if y }';
    expect(fastReadsAll(text)).toBe(false);
    expectSameAsChevrotain(text);
    expect(parseFile(new SourceFile('main.acl', text)).diagnostics.map((d) => d.code)).toEqual([
      'ACL0205',
      'ACL0205',
    ]);
  });

  it('agrees with chevrotain on near misses of every rule', () => {
    const NEAR_MISSES = [
      'policy "p" allow if x in ()',
      'policy "p" allow if x in (,)',
      'policy "p" allow if x(,)',
      'policy "p" allow if x("a",,)',
      'policy "p" allow if x("a" "b")',
      'policy "p" allow if x(id("a"), 1, b, "c",)',
      'policy "p" allow if x(id(a))',
      'policy "p" allow if id("x")',
      'policy "p" allow if group',
      'policy "p" allow if group in ("a")',
      'policy "p" allow if',
      'policy "p" allow x',
      'policy "p" if x',
      'policy allow if x',
      'policy "p" allow if (x',
      'policy "p" allow if x)',
      'policy "p" allow if ()',
      'policy "p" allow if not',
      'policy "p" allow if x and',
      'policy "p" allow if x or or y',
      'policy "p" allow if x and not not (y or not z)',
      'policy "p" allow if x { y }',
      'policy "p" allow if x {}',
      'policy "p" allow if x { a 1 } { b 2 }',
      'policy "p" allow if x precedence 1',
      'idp a =',
      'idp a: = "x"',
      'idp a b = "x"',
      'idp a = id("x"',
      'idp "a" = "x"',
      'extern group',
      'extern "x"',
      'group "g" =',
      'group "g" x',
      'group "g" = x y',
      'app "a" { use "p" precedence }',
      'app "a" { use "p" precedence "1" }',
      'app "a" { allow "p" if x precedence 1 precedence 2 }',
      'app "a" { allow "p" if x { a 1 } precedence 1 }',
      'app "a" { x }',
      'app "a" { x "s" if y }',
      'app "a" { ; }',
      'app "a" { x 1 ;; }',
      'app "a" { x 1 ; y 2 , }',
      'app "a" { s { a 1,, } }',
      'app "a" { s id("x") }',
      'app "a" { s [,] }',
      'app "a" { s [1,,] }',
      'app "a" { s [1 2] }',
      'app "a" { s [1, [2, {a b}],] }',
      'app "a" { s }',
      'app "a" {',
      'app "a" { } }',
    ];
    for (const text of NEAR_MISSES) expectSameAsChevrotain(text);
  });

  it('agrees with chevrotain on generated valid programs', () => {
    fc.assert(
      fc.property(program, (text) => {
        expect(fastReadsAll(text)).toBe(true);
        expectSameAsChevrotain(text);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with chevrotain on every one-token deletion, duplication and swap of the corpus', () => {
    for (const text of VALID_PROGRAMS) {
      const n = lex(new SourceFile('x.acl', text)).tokens.length;
      for (let k = 0; k < n; k++) {
        for (const op of ['delete', 'duplicate', 'swap'])
          expectSameAsChevrotain(editTokens(text, [{ op, at: k, text: '' }]));
      }
    }
  });

  it('agrees with chevrotain on programs with token-level edits', () => {
    fc.assert(
      fc.property(
        fc.oneof(program, fc.constantFrom(...VALID_PROGRAMS)),
        fc.array(tokenEdit, { minLength: 1, maxLength: 3 }),
        (text, edits) => expectSameAsChevrotain(editTokens(text, edits)),
      ),
      { numRuns: 600 },
    );
  });

  it('agrees with chevrotain on mutated programs and soups of fragments', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_PROGRAMS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (text, ms) => expectSameAsChevrotain(ms.reduce(mutate, text)),
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), (parts) =>
        expectSameAsChevrotain(parts.join(' ')),
      ),
      { numRuns: 300 },
    );
  });
});

describe('the chevrotain grammar', () => {
  it('passes chevrotain’s own validations (skipped when the CLI builds the parser)', () => {
    expect(() => new AclParser(new ParseMessages(50), true)).not.toThrow();
  });
});
