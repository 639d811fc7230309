import type {
  DocumentFormattingParams,
  DocumentRangeFormattingParams,
  TextEdit,
} from 'vscode-languageserver';
import { diffLines } from '../../cli/commands/fmt.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatSource } from '../../fmt/print.js';
import { type ServerContext, viewOf } from '../context.js';

/** Format the whole document as `aclc fmt` would; nothing when it does not parse (as `aclc fmt` leaves it). */
export function formatDocument(ctx: ServerContext, params: DocumentFormattingParams): TextEdit[] {
  const edits = lineEdits(ctx, params.textDocument.uri);
  return edits ?? [];
}

/**
 * Format a range: the whole document is formatted (the format of a line depends on its declaration), and only the
 * changed runs of lines that touch the range are applied.
 */
export function formatRange(ctx: ServerContext, params: DocumentRangeFormattingParams): TextEdit[] {
  const edits = lineEdits(ctx, params.textDocument.uri);
  if (!edits) return [];
  const { start, end } = params.range;
  return edits.filter((e) => e.range.start.line <= end.line && e.range.end.line >= start.line);
}

/** The formatter's changes as one edit per run of changed lines. */
function lineEdits(ctx: ServerContext, uri: string): TextEdit[] | undefined {
  const view = viewOf(ctx, uri);
  if (!view) return undefined;
  const formatted = formatSource(view.source);
  if (hasErrors(formatted.diagnostics)) return undefined;
  const before = view.source.text;
  const after = formatted.value;
  if (before === after) return [];
  const split = (t: string) => (t.endsWith('\n') ? t.slice(0, -1) : t).split('\n');
  const a = split(before).map((l) => l.replace(/\r$/, ''));
  const b = split(after);
  // Line endings or the final line break differ: replace the whole text.
  if (before.includes('\r') || before.endsWith('\n') !== after.endsWith('\n'))
    return [
      {
        range: { start: { line: 0, character: 0 }, end: view.open.doc.positionAt(before.length) },
        newText: after,
      },
    ];
  const edits: TextEdit[] = [];
  let line = 0;
  let run: { start: number; removed: number; added: string[] } | undefined;
  const close = () => {
    if (!run) return;
    const newText = run.added.map((l) => `${l}\n`).join('');
    edits.push({
      range: {
        start: { line: run.start, character: 0 },
        end: { line: run.start + run.removed, character: 0 },
      },
      newText,
    });
    run = undefined;
  };
  for (const e of diffLines(a, b)) {
    if (e.op === ' ') {
      close();
      line++;
      continue;
    }
    run ??= { start: line, removed: 0, added: [] };
    if (e.op === '-') {
      run.removed++;
      line++;
    } else run.added.push(e.line);
  }
  close();
  return edits;
}
