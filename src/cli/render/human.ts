import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { ruleName } from '../../diagnostics/rules.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { describeIdentity } from './witness.js';

/** ANSI styling, or plain text when colour is off. */
export interface Style {
  error(text: string): string;
  warning(text: string): string;
  info(text: string): string;
  accent(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
export const COLOR: Style = {
  error: ansi(31, 39),
  warning: ansi(33, 39),
  info: ansi(36, 39),
  accent: ansi(34, 39),
  dim: ansi(2, 22),
  bold: ansi(1, 22),
};
const id = (text: string) => text;
export const PLAIN: Style = { error: id, warning: id, info: id, accent: id, dim: id, bold: id };

/** Colour when writing to a terminal, unless NO_COLOR is set (https://no-color.org) or FORCE_COLOR asks for it. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return COLOR;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  return stream.isTTY ? COLOR : PLAIN;
}

export function location(span: Span, files: ReadonlyMap<string, SourceFile>): string {
  const file = files.get(span.file);
  if (!file) return span.file;
  const { line, column } = file.position(span.start);
  return `${span.file}:${line}:${column}`;
}

/** Widest source text a snippet shows, in columns; a longer line is shown as a window around the span. */
const WINDOW = 200;
/** Columns kept before the span when a long line is windowed. */
const LEAD = 60;

/**
 * The source line of a span with carets under it; multi-line spans show their first line. Only a window of the
 * line is ever copied (`WINDOW` columns around the span, with `…` where it is cut), so a finding on a line of
 * megabytes costs as little as one on a short line.
 */
function snippet(span: Span, file: SourceFile, style: Style, paint: (t: string) => string): string[] {
  const { text } = file;
  if (text.length === 0) return [];
  const at = Math.max(0, Math.min(span.start, text.length));
  const start = file.position(at);
  const lineStart = at - (start.column - 1);
  // INVARIANT: every slice below is at most WINDOW + 1 long, whatever the line's length.
  let from = lineStart;
  if (at - lineStart > WINDOW - LEAD) from = at - LEAD;
  const raw = text.slice(from, from + WINDOW + 1);
  const lineBreak = raw.search(/[\r\n]/);
  let shown = lineBreak >= 0 ? raw.slice(0, lineBreak) : raw;
  const cutRight = shown.length > WINDOW;
  if (cutRight) shown = shown.slice(0, WINDOW);
  const cutLeft = from > lineStart;
  const end = Math.max(at, Math.min(span.end, text.length));
  const spanEnd = lineBreak >= 0 && end - from > lineBreak ? from + shown.length : end;
  const caretFrom = at - from;
  const width = Math.max(1, Math.min(spanEnd - at, shown.length - caretFrom));
  const gutter = String(start.line).length;
  const pad = ' '.repeat(gutter);
  const body = `${cutLeft ? '…' : ''}${shown.replace(/\t/g, ' ')}${cutRight ? '…' : ''}`;
  return [
    `${pad} ${style.accent('|')}`,
    `${style.accent(String(start.line))} ${style.accent('|')} ${body}`,
    `${pad} ${style.accent('|')} ${' '.repeat(caretFrom + (cutLeft ? 1 : 0))}${paint('^'.repeat(width))}`,
  ];
}

/** One diagnostic, rustc style: header, location, snippet with carets, related notes, help and witness. */
export function renderDiagnostic(
  d: Diagnostic,
  files: ReadonlyMap<string, SourceFile>,
  style: Style,
): string {
  const paint = d.severity === 'error' ? style.error : d.severity === 'warning' ? style.warning : style.info;
  // The rule name follows the message when it is not the code itself: `error[ACL0302]: … (undefined-reference)`.
  const rule = ruleName(d);
  const named = rule === d.code ? '' : ` ${style.dim(`(${rule})`)}`;
  const lines = [`${paint(style.bold(`${d.severity}[${d.code}]`))}${style.bold(`: ${d.message}`)}${named}`];
  const file = files.get(d.span.file);
  lines.push(`  ${style.accent('-->')} ${location(d.span, files)}`);
  if (file) lines.push(...snippet(d.span, file, style, paint).map((l) => `  ${l}`));
  for (const related of d.related ?? []) {
    lines.push(`  ${style.accent('=')} note: ${related.message} (${location(related.span, files)})`);
  }
  if (d.witness) lines.push(`  ${style.accent('=')} witness: ${describeIdentity(d.witness)}`);
  if (d.help) lines.push(`  ${style.accent('=')} help: ${d.help}`);
  if (d.fix) lines.push(`  ${style.accent('=')} fix: ${d.fix.description}`);
  return lines.join('\n');
}

/** All diagnostics plus a summary line; empty string for none. */
export function renderHuman(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  style: Style,
): string {
  return [...renderHumanChunks(diagnostics, files, style)].join('');
}

/** Characters of report a chunk of `renderHumanChunks` holds before it is handed over. */
const CHUNK = 1 << 18;

/**
 * `renderHuman` in pieces of about `CHUNK` characters, each ending between two diagnostics: a report of tens of
 * thousands of findings is written as it is rendered instead of being held whole (and again as bytes) in memory.
 */
export function* renderHumanChunks(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  style: Style,
): Generator<string> {
  if (diagnostics.length === 0) return;
  const counts = { error: 0, warning: 0, info: 0 };
  let blocks: string[] = [];
  let size = 0;
  for (const d of diagnostics) {
    counts[d.severity]++;
    const block = renderDiagnostic(d, files, style);
    blocks.push(block);
    size += block.length;
    if (size >= CHUNK) {
      yield `${blocks.join('\n\n')}\n\n`;
      blocks = [];
      size = 0;
    }
  }
  const parts = (['error', 'warning', 'info'] as const)
    .filter((word) => counts[word] > 0)
    .map((word) => `${counts[word]} ${word}${counts[word] === 1 || word === 'info' ? '' : 's'}`);
  yield `${blocks.length > 0 ? `${blocks.join('\n\n')}\n\n` : ''}${style.bold(parts.join(', '))}\n`;
}
