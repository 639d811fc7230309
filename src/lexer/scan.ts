import type { IToken, TokenType } from 'chevrotain';
import {
  BadCharacters,
  Colon,
  Comma,
  Comment,
  Duration,
  Equals,
  Identifier,
  KEYWORD_TOKENS,
  LBracket,
  LCurly,
  LParen,
  NumberLiteral,
  RBracket,
  RCurly,
  RParen,
  Semicolon,
  StringLiteral,
  UnterminatedString,
} from './tokens.js';

/**
 * A hand-written scanner for the token types of `tokens.ts`. It gives exactly what chevrotain's lexer gives for
 * `ALL_TOKENS` (same tokens, groups and errors: a test compares the two on random and mutated inputs), without
 * building chevrotain's lexer at start-up and with less work per character.
 *
 * Chevrotain tries the patterns in `ALL_TOKENS` order at each offset and takes the first that matches; a keyword
 * gives way to `Identifier` (its `longer_alt`) when the name goes on. With these patterns the first character
 * decides which patterns can match, which is what the dispatch below does.
 */
export interface ScanResult {
  /** Tokens for the parser (no whitespace, comments or bad characters). */
  tokens: IToken[];
  /** The `comments` group. */
  comments: IToken[];
  /** The `bad` group: runs of characters that cannot start a token. */
  bad: IToken[];
  /** Characters no pattern matches (a `/` that does not start a comment), as chevrotain's lexer errors. */
  errors: { offset: number; length: number }[];
}

const C_BAD = 0;
const C_SPACE = 1;
const C_NAME = 2;
const C_DIGIT = 3;
const C_PUNCT = 4;
const C_QUOTE = 5;
const C_HASH = 6;
const C_SLASH = 7;

/** What each UTF-16 code unit can start; every unit not listed is in `BadCharacters`' set. */
const START = new Uint8Array(0x10000);
/** Characters that continue a name: `[A-Za-z0-9_-]`. */
const NAME_PART = new Uint8Array(128);
const PUNCT: (TokenType | undefined)[] = new Array(128);
{
  for (const c of ' \t\r\n\uFEFF') START[c.charCodeAt(0)] = C_SPACE;
  for (let c = 0x30; c <= 0x39; c++) {
    START[c] = C_DIGIT;
    NAME_PART[c] = 1;
  }
  for (let c = 0x41; c <= 0x5a; c++) {
    START[c] = C_NAME;
    START[c + 0x20] = C_NAME;
    NAME_PART[c] = 1;
    NAME_PART[c + 0x20] = 1;
  }
  START[0x5f] = C_NAME;
  NAME_PART[0x5f] = 1;
  NAME_PART[0x2d] = 1;
  START[0x22] = C_QUOTE;
  START[0x23] = C_HASH;
  START[0x2f] = C_SLASH;
  const punctuation: [string, TokenType][] = [
    ['(', LParen],
    [')', RParen],
    ['{', LCurly],
    ['}', RCurly],
    ['[', LBracket],
    [']', RBracket],
    [',', Comma],
    [':', Colon],
    ['=', Equals],
    [';', Semicolon],
  ];
  for (const [c, type] of punctuation) {
    START[c.charCodeAt(0)] = C_PUNCT;
    PUNCT[c.charCodeAt(0)] = type;
  }
}

const KEYWORDS = new Map<string, TokenType>(KEYWORD_TOKENS.map((t) => [(t.PATTERN as RegExp).source, t]));

/** `Duration`'s own pattern, anchored at the offset (it is tried before `NumberLiteral` on a digit). */
const DURATION = new RegExp((Duration.PATTERN as RegExp).source, 'y');

/** Token types by `tokenTypeIdx`. */
const TYPES: TokenType[] = [];
for (const t of [
  ...KEYWORDS.values(),
  ...PUNCT,
  Identifier,
  StringLiteral,
  UnterminatedString,
  Duration,
  NumberLiteral,
  Comment,
  BadCharacters,
]) {
  if (t) TYPES[t.tokenTypeIdx as number] = t;
}
if (TYPES.length > 256) throw new Error('token kinds must fit in a byte'); // INVARIANT: few token types

/**
 * Tokens as parallel arrays, without an object per token: what `parseFile` reads. `kinds` holds each token's
 * `tokenTypeIdx`; token `i` is `text.slice(starts[i], ends[i])`.
 */
export interface TokenStream {
  text: string;
  count: number;
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** The `comments` group, as `[start, end]` pairs in one array. */
  comments: number[];
  /** The `bad` group (runs of characters that cannot start a token), as `[start, end]` pairs. */
  bad: number[];
  /** Offsets of the characters no pattern matches (a `/` that does not start a comment), each one long. */
  errors: number[];
  /** Indices of the string tokens that are unterminated or hold a backslash: the only ones the lexer checks further. */
  special: number[];
}

/** The type of a token kind (`tokenTypeIdx`). */
export function tokenType(kind: number): TokenType {
  return TYPES[kind] as TokenType;
}

/** Token `i` of a stream as chevrotain's offset-only token object. */
export function tokenAt(stream: TokenStream, i: number): IToken {
  const type = TYPES[stream.kinds[i] as number] as TokenType;
  return token(
    stream.text.slice(stream.starts[i] as number, stream.ends[i] as number),
    stream.starts[i] as number,
    type,
  );
}

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  // The shape of chevrotain's offset-only tokens.
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx as number, tokenType } as IToken;
}

/** Split a text into tokens, exactly as chevrotain's lexer does for `ALL_TOKENS` (offset-only positions). */
export function scan(text: string): ScanResult {
  const stream = scanStream(text);
  const tokens: IToken[] = new Array(stream.count);
  for (let i = 0; i < stream.count; i++) tokens[i] = tokenAt(stream, i);
  const group = (pairs: number[], type: TokenType): IToken[] => {
    const out: IToken[] = [];
    for (let k = 0; k < pairs.length; k += 2) {
      out.push(token(text.slice(pairs[k] as number, pairs[k + 1] as number), pairs[k] as number, type));
    }
    return out;
  };
  return {
    tokens,
    comments: group(stream.comments, Comment),
    bad: group(stream.bad, BadCharacters),
    errors: stream.errors.map((offset) => ({ offset, length: 1 })),
  };
}

const IDENTIFIER = Identifier.tokenTypeIdx as number;
const STRING = StringLiteral.tokenTypeIdx as number;
const UNTERMINATED = UnterminatedString.tokenTypeIdx as number;
const DURATION_KIND = Duration.tokenTypeIdx as number;
const NUMBER = NumberLiteral.tokenTypeIdx as number;
const KEYWORD_KINDS = new Map<string, number>(
  [...KEYWORDS].map(([word, t]) => [word, t.tokenTypeIdx as number]),
);
const PUNCT_KINDS: number[] = PUNCT.map((t) => (t ? (t.tokenTypeIdx as number) : 0));

/** `scan` as parallel arrays. */
export function scanStream(text: string): TokenStream {
  const n = text.length;
  let capacity = Math.max(16, n >> 2);
  let kinds = new Uint8Array(capacity);
  let starts = new Int32Array(capacity);
  let ends = new Int32Array(capacity);
  let count = 0;
  const push = (kind: number, start: number, end: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const k = new Uint8Array(capacity);
      k.set(kinds);
      kinds = k;
      const s = new Int32Array(capacity);
      s.set(starts);
      starts = s;
      const e = new Int32Array(capacity);
      e.set(ends);
      ends = e;
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  };
  const comments: number[] = [];
  const bad: number[] = [];
  const errors: number[] = [];
  const special: number[] = [];
  let i = 0;
  while (i < n) {
    const start = i;
    const c = text.charCodeAt(i);
    switch (START[c]) {
      case C_SPACE: {
        i++;
        while (i < n && START[text.charCodeAt(i)] === C_SPACE) i++;
        break;
      }
      case C_NAME: {
        i++;
        while (i < n && NAME_PART[text.charCodeAt(i)] === 1) i++;
        // Most names are not keywords: only look words of keyword length up.
        const len = i - start;
        const kind = len >= 2 && len <= 12 ? KEYWORD_KINDS.get(text.slice(start, i)) : undefined;
        push(kind ?? IDENTIFIER, start, i);
        break;
      }
      case C_PUNCT: {
        i++;
        push(PUNCT_KINDS[c] as number, start, i);
        break;
      }
      case C_QUOTE: {
        // Greedy `"(?:[^"\\\r\n]|\\[^\r\n])*` then `"` (a string) or an optional `\` (an unterminated one).
        i++;
        let kind = UNTERMINATED;
        let escapes = false;
        for (;;) {
          if (i >= n) break;
          const d = text.charCodeAt(i);
          if (d === 0x22) {
            i++;
            kind = STRING;
            break;
          }
          if (d === 0x0a || d === 0x0d) break;
          if (d === 0x5c) {
            escapes = true;
            const e = i + 1 < n ? text.charCodeAt(i + 1) : -1;
            if (e === -1 || e === 0x0a || e === 0x0d) {
              i++;
              break;
            }
            i += 2;
            continue;
          }
          i++;
        }
        if (escapes || kind === UNTERMINATED) special.push(count);
        push(kind, start, i);
        break;
      }
      case C_DIGIT: {
        DURATION.lastIndex = start;
        if (DURATION.test(text)) {
          i = DURATION.lastIndex;
          push(DURATION_KIND, start, i);
          break;
        }
        i++;
        while (i < n && START[text.charCodeAt(i)] === C_DIGIT) i++;
        push(NUMBER, start, i);
        break;
      }
      case C_HASH:
        i = lineEnd(text, i + 1);
        comments.push(start, i);
        break;
      case C_SLASH:
        if (i + 1 < n && text.charCodeAt(i + 1) === 0x2f) {
          i = lineEnd(text, i + 2);
          comments.push(start, i);
        } else {
          // No pattern starts with a lone `/`; every other character starts one, so the error is one character.
          i++;
          errors.push(start);
        }
        break;
      default: {
        // `-` then a digit starts a negative number (`NumberLiteral` comes before `BadCharacters`).
        if (c === 0x2d && i + 1 < n && START[text.charCodeAt(i + 1)] === C_DIGIT) {
          i += 2;
          while (i < n && START[text.charCodeAt(i)] === C_DIGIT) i++;
          push(NUMBER, start, i);
          break;
        }
        i++;
        while (i < n && START[text.charCodeAt(i)] === C_BAD) i++;
        bad.push(start, i);
      }
    }
  }
  return { text, count, kinds, starts, ends, comments, bad, errors, special };
}

function lineEnd(text: string, from: number): number {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) break;
    i++;
  }
  return i;
}
