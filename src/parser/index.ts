import { EOF, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Result, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { lexStream, tokenEnd, visible } from '../lexer/lexer.js';
import { type TokenStream, tokenAt } from '../lexer/scan.js';
import {
  And,
  App,
  Equals,
  Extern,
  Group,
  Idp,
  If,
  In,
  LBracket,
  LCurly,
  List,
  LParen,
  Not,
  Or,
  Policy,
  RBracket,
  RCurly,
  RParen,
  Use,
} from '../lexer/tokens.js';
import type { AstFile, Decl } from './ast.js';
import { buildDecl } from './build-ast.js';
import { fastDecl } from './fast.js';
import { decodeParseError, openerOf, TooManyParseErrors } from './messages.js';
import { getParser } from './parser.js';

/**
 * Deepest nesting of `(`, `[`, `{` (plus a run of `not`s) that a file may have. Deeper files are rejected before
 * parsing with ACL0104, so neither the parser nor any later recursive pass over the tree can run out of stack.
 */
export const MAX_NESTING = 256;

/**
 * Syntax errors reported per file before aclc stops reading it (ACL0206): past this the file is not aclc source
 * (or not yet), more messages help no one, and every error costs recovery work.
 */
export const MAX_SYNTAX_ERRORS = 1000;

const OPEN_IDX = new Set([LParen.tokenTypeIdx, LBracket.tokenTypeIdx, LCurly.tokenTypeIdx]);
const CLOSE_IDX = new Set([RParen.tokenTypeIdx, RBracket.tokenTypeIdx, RCurly.tokenTypeIdx]);

const OPEN_KINDS = new Uint8Array(256);
const CLOSE_KINDS = new Uint8Array(256);
for (const idx of OPEN_IDX) OPEN_KINDS[idx as number] = 1;
for (const idx of CLOSE_IDX) CLOSE_KINDS[idx as number] = 1;

/** Index of the first token nested deeper than `MAX_NESTING`, or -1. */
function tooDeep(tokens: TokenStream): number {
  const notIdx = Not.tokenTypeIdx;
  const kinds = tokens.kinds;
  let depth = 0;
  let nots = 0;
  for (let i = 0; i < tokens.count; i++) {
    const idx = kinds[i] as number;
    if (idx === notIdx) {
      if (depth + ++nots > MAX_NESTING) return i;
      continue;
    }
    nots = 0;
    if (OPEN_KINDS[idx] === 1) {
      if (++depth > MAX_NESTING) return i;
    } else if (CLOSE_KINDS[idx] === 1 && depth > 0) depth--;
  }
  return -1;
}

const DECL_START = new Set([
  Idp.tokenTypeIdx,
  Extern.tokenTypeIdx,
  List.tokenTypeIdx,
  Policy.tokenTypeIdx,
  App.tokenTypeIdx,
]);
/** Tokens after which `group` is a selector (`if group("x")`, `not group in (…)`), or part of `extern group`. */
const GROUP_AS_SELECTOR_AFTER = new Set(
  [Extern, If, And, Or, Not, LParen, Equals].map((t) => t.tokenTypeIdx),
);

/**
 * Whether token `i` begins a declaration. Declaration keywords appear nowhere else, except `group`, which is also
 * a selector (`group("x")`, `group in (…)`, after an operator) and follows `extern`.
 */
const GROUP_KIND = Group.tokenTypeIdx as number;
const DECL_START_KINDS = new Uint8Array(256);
for (const idx of DECL_START) DECL_START_KINDS[idx as number] = 1;
DECL_START_KINDS[GROUP_KIND] = 2;
// `extern` also follows `use` inside an app (`use extern "Policy"`).
DECL_START_KINDS[Extern.tokenTypeIdx as number] = 3;
const USE_KIND = Use.tokenTypeIdx as number;

function startsDecl(tokens: TokenStream, i: number): boolean {
  const idx = tokens.kinds[i] as number;
  const start = DECL_START_KINDS[idx];
  if (start === 1) return true;
  const prev = i > 0 ? tokens.kinds[i - 1] : undefined;
  if (start === 3) return prev !== USE_KIND;
  if (start !== 2) return false;
  const next = i + 1 < tokens.count ? tokens.kinds[i + 1] : undefined;
  if (prev !== undefined && GROUP_AS_SELECTOR_AFTER.has(prev)) return false;
  return next !== LParen.tokenTypeIdx && next !== In.tokenTypeIdx;
}

/** Index of the token after the declaration that starts at token `i`: the next declaration keyword, or the end. */
export function declarationEnd(tokens: TokenStream, i: number): number {
  let j = i + 1;
  while (j < tokens.count && !startsDecl(tokens, j)) j++;
  return j;
}

function describe(tokens: TokenStream, i: number): string {
  if (i >= tokens.count) return 'end of file';
  return `\`${visible(tokens.text.slice(tokens.starts[i] as number, tokens.ends[i] as number), 32)}\``;
}

/** Index of the first token of `tokens` that starts at or after `offset`. */
function indexAt(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid] as IToken).startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The innermost opener of kind `open` still unclosed before token index `upTo` of `tokens`. */
function unclosedOpener(tokens: readonly IToken[], upTo: number, open: TokenType): IToken | undefined {
  const stack: IToken[] = [];
  for (let i = 0; i < upTo && i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (OPEN_IDX.has(t.tokenTypeIdx)) stack.push(t);
    else if (CLOSE_IDX.has(t.tokenTypeIdx)) {
      const opener = openerOf(t.tokenType);
      for (let j = stack.length - 1; j >= 0; j--) {
        if ((stack[j] as IToken).tokenType === opener) {
          stack.length = j;
          break;
        }
      }
    }
  }
  for (let j = stack.length - 1; j >= 0; j--) if ((stack[j] as IToken).tokenType === open) return stack[j];
  return undefined;
}

function isReal(t: IToken | undefined): t is IToken {
  return (
    t !== undefined && t.tokenType !== EOF && t.isInsertedInRecovery !== true && !Number.isNaN(t.startOffset)
  );
}

/** Turn chevrotain's errors for one declaration (`chunk`, followed by `next`) into catalog diagnostics. */
function parseErrors(
  errors: readonly IRecognitionException[],
  chunk: readonly IToken[],
  next: IToken | undefined,
  file: SourceFile,
  out: Diagnostic[],
): void {
  const path = file.path;
  const eof = file.text.length;
  for (const e of errors) {
    const info = decodeParseError(e.message);
    if (!info) continue;
    const at = isReal(e.token) ? e.token : next;
    let span: Span = info.at
      ? { file: path, start: info.at[0], end: info.at[1] }
      : at
        ? { file: path, start: at.startOffset, end: tokenEnd(at) }
        : { file: path, start: eof, end: eof };
    if (info.code === 'ACL0203') {
      const open = info.args.open === '(' ? LParen : info.args.open === '[' ? LBracket : LCurly;
      const opener = unclosedOpener(
        chunk,
        at && at !== next ? indexAt(chunk, at.startOffset) : chunk.length,
        open,
      );
      const previous = (e as IRecognitionException & { previousToken?: IToken }).previousToken;
      // The closer belongs right after the last token before the error: point there, and offer to insert it.
      if (isReal(previous)) span = { file: path, start: tokenEnd(previous), end: tokenEnd(previous) };
      // No real opener: recovery inserted it after an error that is already reported.
      if (!opener) continue;
      const close = info.args.close ?? ')';
      out.push(
        diagnostic('ACL0203', span, info.args, {
          ...(opener
            ? {
                related: [
                  {
                    span: { file: path, start: opener.startOffset, end: tokenEnd(opener) },
                    message: `\`${info.args.open}\` opened here`,
                  },
                ],
              }
            : {}),
          fix: {
            description: `insert \`${close}\``,
            edits: [{ span: { ...span, end: span.start }, text: close }],
          },
        }),
      );
      continue;
    }
    out.push(diagnostic(info.code, span, info.args));
  }
}

/** Keep the first diagnostic at each start offset (lexer before parser before builder), in offset order. */
function onePerOffset(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.span.start - b.d.span.start || a.i - b.i);
  const out: Diagnostic[] = [];
  let last = -1;
  for (const { d } of sorted) {
    if (d.span.start === last) continue;
    last = d.span.start;
    out.push(d);
  }
  return out;
}

/**
 * Lex, parse and build the AST of one file. Never throws: errors are diagnostics, and the AST holds every
 * declaration that could be read (with placeholders for parts lost to errors, see `build-ast.ts`).
 */
export function parseFile(file: SourceFile): Result<AstFile> {
  return parse(file, true);
}

/**
 * `parseFile` without the fast path: every declaration goes through chevrotain and the CST builder. Same result
 * (a test compares the two); for tests and for measuring.
 */
export function parseFileWithChevrotain(file: SourceFile): Result<AstFile> {
  return parse(file, false);
}

function parse(file: SourceFile, fastPath: boolean): Result<AstFile> {
  const lexed = lexStream(file);
  const diagnostics: Diagnostic[] = lexed.diagnostics.slice();
  const decls: Decl[] = [];
  const value: AstFile = {
    kind: 'File',
    span: { file: file.path, start: 0, end: file.text.length },
    decls,
    comments: lexed.comments,
  };
  const tokens = lexed.stream;

  const deep = tooDeep(tokens);
  if (deep >= 0) {
    diagnostics.push(diagnostic('ACL0104', spanOf(file, tokens, deep), { limit: MAX_NESTING }));
    return { value, diagnostics: onePerOffset(diagnostics) };
  }

  let i = 0;
  // Anything before the first declaration keyword is not a declaration.
  while (i < tokens.count && !startsDecl(tokens, i)) i++;
  if (i > 0) diagnostics.push(diagnostic('ACL0202', spanOf(file, tokens, 0), { found: describe(tokens, 0) }));

  const parserDiagnostics: Diagnostic[] = [];
  const builderDiagnostics: Diagnostic[] = [];
  while (i < tokens.count) {
    const errors = diagnostics.length + parserDiagnostics.length + builderDiagnostics.length;
    if (errors >= MAX_SYNTAX_ERRORS) {
      // Pushed before the parser's diagnostics, so it is the one kept if an error is at the same offset.
      diagnostics.push(diagnostic('ACL0206', spanOf(file, tokens, i), { limit: MAX_SYNTAX_ERRORS }));
      break;
    }
    const j = declarationEnd(tokens, i);
    const quick = fastPath ? fastDecl(tokens, i, j, file.path) : undefined;
    if (quick) {
      decls.push(quick);
      i = j;
      continue;
    }
    // Chevrotain reads token objects: made for this declaration only.
    const chunk: IToken[] = new Array(j - i);
    for (let k = i; k < j; k++) chunk[k - i] = tokenAt(tokens, k);
    const next = j < tokens.count ? tokenAt(tokens, j) : undefined;
    const parser = getParser();
    parser.input = chunk;
    parser.messages.reset(chunk, next);
    let cst: ReturnType<typeof parser.decl> | undefined;
    let overflow = false;
    // Chevrotain reports each parse error as an Error; capturing their stack traces is most of the cost of an
    // error-heavy file and the traces are never read, so they are off while the parser runs.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      cst = parser.decl();
    } catch (e) {
      // Too many errors in one declaration (they are reported), or, despite the nesting limit, a stack overflow
      // (when the caller already uses much of the stack): give up on this declaration.
      if (e instanceof RangeError) overflow = true;
      else if (!(e instanceof TooManyParseErrors)) throw e;
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    if (!overflow) {
      parseErrors(parser.errors, chunk, next, file, parserDiagnostics);
      try {
        const decl = cst && buildDecl(cst, file.path, builderDiagnostics);
        if (decl) decls.push(decl);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        overflow = true;
      }
    }
    if (overflow) diagnostics.push(diagnostic('ACL0104', spanOf(file, tokens, i), { limit: MAX_NESTING }));
    i = j;
  }
  for (const d of parserDiagnostics) diagnostics.push(d);
  for (const d of builderDiagnostics) diagnostics.push(d);
  return { value, diagnostics: onePerOffset(diagnostics) };
}

function spanOf(file: SourceFile, tokens: TokenStream, i: number): Span {
  return i < tokens.count
    ? { file: file.path, start: tokens.starts[i] as number, end: tokens.ends[i] as number }
    : { file: file.path, start: file.text.length, end: file.text.length };
}
