import { type FoldingRange, FoldingRangeKind, type FoldingRangeParams } from 'vscode-languageserver';
import type { SettingsBlock, Value } from '../../parser/ast.js';
import { type ServerContext, viewOf } from '../context.js';

/** Folding: declarations and blocks that span lines, and runs of comment lines. */
export function foldingRanges(ctx: ServerContext, params: FoldingRangeParams): FoldingRange[] {
  const view = viewOf(ctx, params.textDocument.uri);
  if (!view) return [];
  const { source, ast } = view;
  const out: FoldingRange[] = [];
  const add = (span: { start: number; end: number }, kind?: FoldingRangeKind) => {
    const start = source.position(span.start).line - 1;
    const end = source.position(span.end).line - 1;
    if (end > start)
      out.push(kind ? { startLine: start, endLine: end, kind } : { startLine: start, endLine: end });
  };
  const block = (b: SettingsBlock | undefined) => {
    if (!b) return;
    add(b.span);
    for (const s of b.settings) value(s.value);
  };
  const value = (v: Value) => {
    if (v.kind === 'Settings') block(v);
    else if (v.kind === 'List') {
      add(v.span);
      for (const item of v.items) value(item);
    }
  };
  for (const d of ast.decls) {
    add(d.span);
    if (d.kind === 'Policy') block(d.settings);
    if (d.kind === 'App')
      for (const item of d.items) {
        if (item.kind === 'InlinePolicy') {
          add(item.span);
          block(item.settings);
        } else if (item.kind === 'Setting') value(item.value);
      }
  }
  // Consecutive comment lines fold together.
  let run: { start: number; end: number } | undefined;
  for (const c of ast.comments) {
    const line = source.position(c.span.start).line - 1;
    if (run && line === run.end + 1) run.end = line;
    else {
      if (run && run.end > run.start)
        out.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
      run = { start: line, end: line };
    }
  }
  if (run && run.end > run.start)
    out.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
  return out;
}
