import type { Identity } from '../model/identity.js';

/** How bad a finding is. Compiler errors are always `error`; lint rules may be re-levelled. */
export type Severity = 'error' | 'warning' | 'info';

/** A half-open range `[start, end)` of UTF-16 offsets into one source file. */
export interface Span {
  /** Path of the file as the user named it (or a virtual name for in-memory sources). */
  file: string;
  start: number;
  end: number;
}

/** Another place that explains a diagnostic: the shadowing policy, the unmatched `(`, … */
export interface Related {
  span: Span;
  message: string;
}

/** A text edit; a fix is a set of non-overlapping edits applied together. */
export interface TextEdit {
  span: Span;
  text: string;
}

export interface Fix {
  /** What applying the fix does, e.g. "remove the leading `@`". */
  description: string;
  edits: TextEdit[];
}

/**
 * The one finding type of aclc, shared by the lexer, parser, resolver, compiler, linter and API layer.
 * It is data: nothing in the core throws to report bad input.
 */
export interface Diagnostic {
  /** Stable code: `ACL####` for compiler diagnostics (see catalog.ts), a kebab-case rule id for lint rules. */
  code: string;
  severity: Severity;
  /** One line, lower-case first letter, no final period, user input in backticks. */
  message: string;
  span: Span;
  /** The remedy, kept apart from the message. */
  help?: string;
  related?: Related[];
  fix?: Fix;
  /** A concrete identity that demonstrates a semantic finding. */
  witness?: Identity;
}

/** A stage's result: a value (possibly partial) plus what went wrong on the way. */
export interface Result<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, then offset, then code: the order every renderer prints in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
