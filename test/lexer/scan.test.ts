import { type IToken, Lexer } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/lexer/scan.js';
import { ALL_TOKENS } from '../../src/lexer/tokens.js';
import { FRAGMENTS, mutate, mutation, VALID_PROGRAMS } from '../parser/corpus.js';

// The reference: chevrotain's own lexer over the token definitions, as aclc used it before the hand-written scanner.
const reference = new Lexer(ALL_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true });

const shape = (t: IToken) => [t.image, t.startOffset, t.tokenTypeIdx, t.tokenType.name];

function expectSameAsChevrotain(text: string): void {
  const ours = scan(text);
  const theirs = reference.tokenize(text);
  expect(ours.tokens.map(shape)).toEqual(theirs.tokens.map(shape));
  expect(ours.comments.map(shape)).toEqual((theirs.groups.comments ?? []).map(shape));
  expect(ours.bad.map(shape)).toEqual((theirs.groups.bad ?? []).map(shape));
  expect(ours.errors).toEqual(theirs.errors.map((e) => ({ offset: e.offset, length: e.length })));
  // Same object shape as chevrotain's offset-only tokens (the parser reads these fields).
  for (const t of ours.tokens)
    expect(Object.keys(t)).toEqual(['image', 'startOffset', 'tokenTypeIdx', 'tokenType']);
}

/** Characters around every token boundary of the language, plus a few from elsewhere in Unicode. */
const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123456789.',
  ...'"\\#/ \t\r\n(){}[],:=;@!$%&\'*+<>?^`|~',
  'µ',
  'μ',
  '\uFEFF',
  '\uFEFE',
  '\uFF00',
  '\u0000',
  '\u007F',
  '\u2028',
  '\uD800',
  '\uDC00',
  'é',
];
const soupOf = (pieces: readonly string[]) =>
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => p.join(''));
const WORDS = [
  'idp',
  'id',
  'idps',
  'group',
  'groups',
  'extern',
  'policy',
  'app',
  'use',
  'user',
  'if',
  'and',
  'or',
  'not',
  'not-me',
  'in',
  'precedence',
  'true',
  'false',
  'allow',
  'deny',
  'block',
  'bypass',
  'service_auth',
  'non_identity',
  'non',
  '24h',
  '2h45m',
  '1.5h',
  '10µs',
  '10μs',
  '5ns',
  '24hours',
  '1.',
  '7ms-',
  '"a\\"b"',
  '"\\',
  '//',
];

describe('the hand-written scanner gives exactly what chevrotain gives', () => {
  it('on the corpus', () => {
    for (const program of VALID_PROGRAMS) expectSameAsChevrotain(program);
    expectSameAsChevrotain(FRAGMENTS.join(' '));
    expectSameAsChevrotain(FRAGMENTS.join(''));
    expectSameAsChevrotain('a / b\n@/x//y\n/');
  });

  it('on soups of characters, words and fragments', () => {
    fc.assert(
      fc.property(
        fc.oneof(soupOf(CHARS), soupOf([...CHARS, ...WORDS, ...FRAGMENTS]), fc.string({ unit: 'binary' })),
        expectSameAsChevrotain,
      ),
      { numRuns: 1000 },
    );
  });

  it('on mutated valid programs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VALID_PROGRAMS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (program, ms) => expectSameAsChevrotain(ms.reduce(mutate, program)),
      ),
      { numRuns: 500 },
    );
  });
});
