import type { IToken } from 'chevrotain';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Comment } from '../parser/ast.js';
import { scan } from './scan.js';
import { decodeString, type EscapeProblem } from './strings.js';
import { StringLiteral, UnterminatedString } from './tokens.js';

export interface LexResult {
  /** Tokens for the parser: no whitespace, comments or bad characters; unterminated strings appear as strings. */
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

/** Runs of bad characters reported per file; past that the file is likely not source text at all. */
export const MAX_BAD_CHARACTER_RUNS = 100;

/** Lexical diagnostics reported per file in all (the parser stops reading a file past its own limit). */
export const MAX_LEXER_DIAGNOSTICS = 1000;

/** First offset of a token. */
export function tokenStart(token: IToken): number {
  return token.startOffset;
}

/**
 * End of a token as a half-open offset. Chevrotain's `endOffset` is inclusive (and absent with the offset-only
 * position tracking used here for speed); this is the one place that computes an end, and every span in aclc is
 * built from `tokenStart`/`tokenEnd`.
 */
export function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** The half-open span of a token. */
export function tokenSpan(file: string, token: IToken): Span {
  return { file, start: token.startOffset, end: token.startOffset + token.image.length };
}

/**
 * Source text as a message shows it: cut to `max` characters, invisible characters as `\u{…}`, backticks escaped
 * (messages put user input in backticks).
 */
export function visible(text: string, max = 16): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  const invisible =
    /[\x00-\x1F\x7F-\x9F\u2028\u2029\uFEFF`]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  return cut.replace(invisible, (c) =>
    c === '`' ? '\\`' : `\\u{${(c.codePointAt(0) as number).toString(16).toUpperCase()}}`,
  );
}

/**
 * Split a file into tokens. Never throws: bad characters, unterminated strings and unknown escapes become
 * diagnostics (one per run of bad characters) and lexing goes on.
 */
export function lex(file: SourceFile): LexResult {
  const text = file.text;
  const path = file.path;
  const result = scan(text);
  const diagnostics: Diagnostic[] = [];

  // Runs of bad characters: our own `BadCharacters` tokens plus chevrotain's error runs (a `/` that does not start
  // a comment), merged when they touch.
  const bad = result.bad;
  const runs: { start: number; end: number }[] = [];
  for (const t of bad) runs.push({ start: t.startOffset, end: tokenEnd(t) });
  for (const e of result.errors) runs.push({ start: e.offset, end: e.offset + e.length });
  if (result.errors.length > 0 && bad.length > 0) runs.sort((a, b) => a.start - b.start);
  for (let i = 0; i < runs.length && diagnostics.length < MAX_BAD_CHARACTER_RUNS; i++) {
    const start = (runs[i] as { start: number }).start;
    let end = (runs[i] as { end: number }).end;
    while (i + 1 < runs.length && (runs[i + 1] as { start: number }).start <= end) {
      end = Math.max(end, (runs[i + 1] as { end: number }).end);
      i++;
    }
    const chars = text.slice(start, end);
    diagnostics.push(
      diagnostic(
        'ACL0101',
        { file: path, start, end },
        [...chars].length > 1
          ? { what: 'characters', it: 'them', text: visible(chars) }
          : { what: 'character', it: 'it', text: visible(chars) },
      ),
    );
  }

  const tokens = result.tokens;
  let problems: EscapeProblem[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (t.image.charCodeAt(0) !== 0x22) continue;
    const terminated = t.tokenType !== UnterminatedString;
    const report = diagnostics.length < MAX_LEXER_DIAGNOSTICS;
    if (!terminated) {
      if (report) diagnostics.push(diagnostic('ACL0102', tokenSpan(path, t)));
      // The parser sees it as a string so the rest of the declaration still parses.
      t.tokenType = StringLiteral;
      t.tokenTypeIdx = StringLiteral.tokenTypeIdx as number;
    }
    if (!report || t.image.indexOf('\\') === -1) continue;
    problems ??= [];
    problems.length = 0;
    decodeString(t.image, terminated, problems);
    for (const p of problems) {
      diagnostics.push(
        diagnostic(
          'ACL0103',
          { file: path, start: t.startOffset + p.start, end: t.startOffset + p.end },
          { escape: visible(p.text) },
        ),
      );
    }
  }

  const commentTokens = result.comments;
  const comments: Comment[] = new Array(commentTokens.length);
  for (let i = 0; i < commentTokens.length; i++) {
    const c = commentTokens[i] as IToken;
    comments[i] = { kind: 'Comment', span: tokenSpan(path, c), text: c.image };
  }

  if (diagnostics.length > 1) diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { tokens, comments, diagnostics };
}
