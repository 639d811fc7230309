import { pathToFileURL } from 'node:url';
import {
  type DiagnosticRelatedInformation,
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type TextEdit as LspTextEdit,
  type Position,
  type Range,
} from 'vscode-languageserver';
import { DEFAULT_DOCS_BASE } from '../cli/render/sarif.js';
import { describeIdentity } from '../cli/render/witness.js';
import type { Diagnostic, Fix, Span } from '../diagnostics/diagnostic.js';
import { lineEndAfter } from '../diagnostics/lines.js';
import type { SourceFile } from '../diagnostics/source.js';
import { ruleById } from '../lint/rules/index.js';

/** LSP position (0-based line, UTF-16 character) of an offset. */
export function positionOf(file: SourceFile, offset: number): Position {
  const p = file.position(offset);
  return { line: p.line - 1, character: p.column - 1 };
}

export function rangeOf(file: SourceFile, span: { start: number; end: number }): Range {
  return { start: positionOf(file, span.start), end: positionOf(file, span.end) };
}

/** Offset of an LSP position, clamped into the text (a character past the line's end means its end). */
export function offsetOf(file: SourceFile, position: Position): number {
  // LSP ends lines at `\n`, `\r\n` and `\r`, as the lexer does: one line index serves both.
  const starts = file.starts();
  if (position.line < 0) return 0;
  const start = starts[position.line];
  if (start === undefined) return file.text.length;
  const end = lineEndAfter(file.text, start);
  return Math.min(start + Math.max(0, position.character), end);
}

export const fileUri = (path: string): string => pathToFileURL(path).href;

/** How the server finds a diagnostic's files: display path → its text and URI. */
export interface FileLookup {
  file(display: string): { source: SourceFile; uri: string } | undefined;
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/** What a published diagnostic carries for code actions: its fix, valid for the version it was computed on. */
export interface DiagnosticData {
  version: number;
  fix?: { title: string; edits: { uri: string; edit: LspTextEdit }[] };
  /** The rule id a suppression comment may name (lint rules that are not compiler errors). */
  suppressible?: string;
  /** Set when the finding has a witness identity: the key that finds it again for "add this witness as a test". */
  witnessKey?: string;
}

/**
 * An aclc diagnostic as the editor shows it: message with the witness and help on their own lines, related spans
 * as `relatedInformation`, the rule's doc page as `codeDescription`, the fix in `data`.
 */
export function toLspDiagnostic(
  d: Diagnostic,
  source: SourceFile,
  version: number,
  lookup: FileLookup,
): LspDiagnostic {
  const lines = [d.message];
  if (d.witness) lines.push(`witness: ${describeIdentity(d.witness)}`);
  if (d.help) lines.push(`help: ${d.help}`);
  const out: LspDiagnostic = {
    range: rangeOf(source, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'aclc',
    message: lines.join('\n'),
  };
  const rule = ruleById(d.code);
  if (rule) out.codeDescription = { href: `${DEFAULT_DOCS_BASE}${rule.meta.id}.md` };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related ?? []) {
    const where = lookup.file(r.span.file);
    if (where)
      related.push({
        location: { uri: where.uri, range: rangeOf(where.source, r.span) },
        message: r.message,
      });
  }
  if (related.length > 0) out.relatedInformation = related;
  const data: DiagnosticData = { version };
  if (d.fix) {
    const edits = fixEdits(d.fix, lookup);
    if (edits) data.fix = { title: d.fix.description, edits };
  }
  if (rule && !rule.meta.covers) data.suppressible = rule.meta.id;
  if (d.witness) data.witnessKey = witnessKeyOf(d);
  out.data = data;
  return out;
}

/** A fix's edits as LSP edits, or undefined when one of its files is unknown. */
export function fixEdits(fix: Fix, lookup: FileLookup): { uri: string; edit: LspTextEdit }[] | undefined {
  const out: { uri: string; edit: LspTextEdit }[] = [];
  for (const e of fix.edits) {
    const where = lookup.file(e.span.file);
    if (!where) return undefined;
    out.push({ uri: where.uri, edit: { range: rangeOf(where.source, e.span), newText: e.text } });
  }
  return out;
}

/** What makes two findings the same (the syntax pass and a full run both report parse errors). */
export const findingKey = (d: Diagnostic): string =>
  `${d.code}\u0000${d.span.start}\u0000${d.span.end}\u0000${d.message}`;

/**
 * A short key that finds a finding with a witness again among the document's current findings: its code, span and
 * a hash of its message (the message itself is already in the diagnostic; sending it twice doubled the size of
 * every publication).
 */
export function witnessKeyOf(d: Diagnostic): string {
  // FNV-1a over the message's UTF-16 code units.
  let h = 0x811c9dc5;
  for (let i = 0; i < d.message.length; i++) h = Math.imul(h ^ d.message.charCodeAt(i), 0x01000193);
  return `${d.code}:${d.span.start}:${d.span.end}:${(h >>> 0).toString(36)}`;
}

/** Whether two spans are the same place (for merging the syntax and the full results). */
export const sameSpan = (a: Span, b: Span): boolean =>
  a.file === b.file && a.start === b.start && a.end === b.end;
