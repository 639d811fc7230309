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

/** Source lines of a span with carets under it; multi-line spans show their first line. */
function snippet(span: Span, file: SourceFile, style: Style, paint: (t: string) => string): string[] {
  if (file.text.length === 0) return [];
  const start = file.position(span.start);
  const end = file.position(Math.max(span.start, span.end));
  const text = file.lineText(start.line).replace(/\t/g, ' ');
  const gutter = String(start.line).length;
  const pad = ' '.repeat(gutter);
  const lastColumn = end.line === start.line ? end.column : text.length + 1;
  const width = Math.max(1, lastColumn - start.column);
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return [
    `${pad} ${style.accent('|')}`,
    `${style.accent(String(start.line))} ${style.accent('|')} ${shown}`,
    `${pad} ${style.accent('|')} ${' '.repeat(start.column - 1)}${paint('^'.repeat(Math.min(width, 200)))}`,
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
  if (diagnostics.length === 0) return '';
  const blocks = diagnostics.map((d) => renderDiagnostic(d, files, style));
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  const parts = [
    [count('error'), 'error'],
    [count('warning'), 'warning'],
    [count('info'), 'info'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`);
  return `${blocks.join('\n\n')}\n\n${style.bold(parts.join(', '))}\n`;
}
