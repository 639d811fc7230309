import type { IToken, TokenType } from 'chevrotain';
import {
  Allow as AllowKw,
  And,
  App,
  BadCharacters,
  Block,
  Bypass,
  Colon,
  Comma,
  Comment,
  Deny,
  Duration,
  Equals,
  Extern,
  False,
  Group,
  Id,
  Identifier,
  Idp,
  If,
  In,
  LBracket,
  LCurly,
  LParen,
  NonIdentity,
  Not,
  NumberLiteral,
  Or,
  Policy,
  Precedence,
  RBracket,
  RCurly,
  RParen,
  Semicolon,
  ServiceAuth,
  StringLiteral,
  True,
  UnterminatedString,
  Use,
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

const KEYWORDS = new Map<string, TokenType>(
  [
    Idp,
    Id,
    Group,
    Extern,
    Policy,
    App,
    Use,
    If,
    And,
    Or,
    Not,
    In,
    Precedence,
    True,
    False,
    AllowKw,
    Deny,
    Block,
    Bypass,
    ServiceAuth,
    NonIdentity,
  ].map((t) => [(t.PATTERN as RegExp).source, t]),
);

/** `Duration`'s own pattern, anchored at the offset (it is tried before `NumberLiteral` on a digit). */
const DURATION = new RegExp((Duration.PATTERN as RegExp).source, 'y');

function token(image: string, startOffset: number, tokenType: TokenType): IToken {
  // The shape of chevrotain's offset-only tokens.
  return { image, startOffset, tokenTypeIdx: tokenType.tokenTypeIdx as number, tokenType } as IToken;
}

/** Split a text into tokens, exactly as chevrotain's lexer does for `ALL_TOKENS` (offset-only positions). */
export function scan(text: string): ScanResult {
  const n = text.length;
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const bad: IToken[] = [];
  const errors: { offset: number; length: number }[] = [];
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
        const image = text.slice(start, i);
        tokens.push(token(image, start, KEYWORDS.get(image) ?? Identifier));
        break;
      }
      case C_PUNCT: {
        i++;
        tokens.push(token(text[start] as string, start, PUNCT[c] as TokenType));
        break;
      }
      case C_QUOTE: {
        // Greedy `"(?:[^"\\\r\n]|\\[^\r\n])*` then `"` (a string) or an optional `\` (an unterminated one).
        i++;
        let type = UnterminatedString;
        for (;;) {
          if (i >= n) break;
          const d = text.charCodeAt(i);
          if (d === 0x22) {
            i++;
            type = StringLiteral;
            break;
          }
          if (d === 0x0a || d === 0x0d) break;
          if (d === 0x5c) {
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
        tokens.push(token(text.slice(start, i), start, type));
        break;
      }
      case C_DIGIT: {
        DURATION.lastIndex = start;
        if (DURATION.test(text)) {
          i = DURATION.lastIndex;
          tokens.push(token(text.slice(start, i), start, Duration));
          break;
        }
        i++;
        while (i < n && START[text.charCodeAt(i)] === C_DIGIT) i++;
        tokens.push(token(text.slice(start, i), start, NumberLiteral));
        break;
      }
      case C_HASH:
        i = lineEnd(text, i + 1);
        comments.push(token(text.slice(start, i), start, Comment));
        break;
      case C_SLASH:
        if (i + 1 < n && text.charCodeAt(i + 1) === 0x2f) {
          i = lineEnd(text, i + 2);
          comments.push(token(text.slice(start, i), start, Comment));
        } else {
          // No pattern starts with a lone `/`; every other character starts one, so the error is one character.
          i++;
          errors.push({ offset: start, length: 1 });
        }
        break;
      default: {
        i++;
        while (i < n && START[text.charCodeAt(i)] === C_BAD) i++;
        bad.push(token(text.slice(start, i), start, BadCharacters));
      }
    }
  }
  return { tokens, comments, bad, errors };
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
