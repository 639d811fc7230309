import type { IToken } from 'chevrotain';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Comment } from '../parser/ast.js';
import { scanStream, type TokenStream, tokenAt } from './scan.js';
import { decodeString, type EscapeProblem } from './strings.js';
import { StringLiteral } from './tokens.js';

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

/** What `lexStream` gives: tokens as parallel arrays (see `TokenStream`), comments and diagnostics. */
export interface LexStreamResult {
  /** Tokens for the parser, as in `LexResult`; an unterminated string has the kind of a string. */
  stream: TokenStream;
  comments: Comment[];
  diagnostics: Diagnostic[];
}

const STRING_KIND = StringLiteral.tokenTypeIdx as number;

/**
 * Split a file into tokens. Never throws: bad characters, unterminated strings and unknown escapes become
 * diagnostics (one per run of bad characters) and lexing goes on.
 */
export function lex(file: SourceFile): LexResult {
  const { stream, comments, diagnostics } = lexStream(file);
  const tokens: IToken[] = new Array(stream.count);
  for (let i = 0; i < stream.count; i++) tokens[i] = tokenAt(stream, i);
  return { tokens, comments, diagnostics };
}

/** `lex`, with the tokens as parallel arrays rather than one object each (what `parseFile` reads). */
export function lexStream(file: SourceFile): LexStreamResult {
  const text = file.text;
  const path = file.path;
  const stream = scanStream(text);
  const diagnostics: Diagnostic[] = [];

  // Runs of bad characters: our own `BadCharacters` tokens plus chevrotain's error runs (a `/` that does not start
  // a comment), merged when they touch.
  const runs: { start: number; end: number }[] = [];
  for (let k = 0; k < stream.bad.length; k += 2)
    runs.push({ start: stream.bad[k] as number, end: stream.bad[k + 1] as number });
  for (const offset of stream.errors) runs.push({ start: offset, end: offset + 1 });
  if (stream.errors.length > 0 && stream.bad.length > 0) runs.sort((a, b) => a.start - b.start);
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

  const { kinds, starts, ends } = stream;
  let problems: EscapeProblem[] | undefined;
  // Only strings that are unterminated or hold a backslash need a look (`special`, in token order).
  for (const i of stream.special) {
    const kind = kinds[i] as number;
    const start = starts[i] as number;
    const end = ends[i] as number;
    const terminated = kind === STRING_KIND;
    const report = diagnostics.length < MAX_LEXER_DIAGNOSTICS;
    if (!terminated) {
      if (report) diagnostics.push(diagnostic('ACL0102', { file: path, start, end }));
      // The parser sees it as a string so the rest of the declaration still parses.
      kinds[i] = STRING_KIND;
    }
    if (!report) continue;
    let escapes = false;
    for (let k = start + 1; k < end && !escapes; k++) escapes = text.charCodeAt(k) === 0x5c;
    if (!escapes) continue;
    problems ??= [];
    problems.length = 0;
    decodeString(text.slice(start, end), terminated, problems);
    for (const p of problems) {
      diagnostics.push(
        diagnostic(
          'ACL0103',
          { file: path, start: start + p.start, end: start + p.end },
          { escape: visible(p.text) },
        ),
      );
    }
  }

  const comments: Comment[] = new Array(stream.comments.length / 2);
  for (let k = 0; k < stream.comments.length; k += 2) {
    const start = stream.comments[k] as number;
    const end = stream.comments[k + 1] as number;
    comments[k / 2] = { kind: 'Comment', span: { file: path, start, end }, text: text.slice(start, end) };
  }

  if (diagnostics.length > 1) diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { stream, comments, diagnostics };
}
