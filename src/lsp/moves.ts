import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { DiagnosticData } from './convert.js';
import type { AppliedChange } from './documents.js';

// Findings carried along with edits to their document until the next full run replaces them.

/** A span moved through edits to its file, or undefined when an edit touched it. */
export function moveSpan(span: Span, file: string, applied: readonly AppliedChange[]): Span | undefined {
  if (span.file !== file) return span;
  let { start, end } = span;
  for (const c of applied) {
    if (c.full) return undefined;
    if (end <= c.start) continue;
    if (start >= c.end) {
      const delta = c.inserted - (c.end - c.start);
      start += delta;
      end += delta;
      continue;
    }
    return undefined;
  }
  return { file: span.file, start, end };
}

/** Whether every span of a finding (its own, related, fix edits) is in `file`. */
export function ownSpans(d: Diagnostic, file: string): boolean {
  return (
    d.span.file === file &&
    (d.related ?? []).every((r) => r.span.file === file) &&
    (d.fix?.edits ?? []).every((e) => e.span.file === file)
  );
}

/** A converted finding re-stamped with the version its fix is valid for. */
export function atVersion(lsp: LspDiagnostic, version: number): LspDiagnostic {
  const data = lsp.data as DiagnosticData;
  return data.version === version ? lsp : { ...lsp, data: { ...data, version } };
}

/**
 * Whether every span of a finding in `file` ends before the first edit. The text up to and including its last
 * character is then unchanged, so are the line and column of every span, and the finding is kept as it is.
 */
function allBefore(d: Diagnostic, file: string, applied: readonly AppliedChange[]): boolean {
  let first = Number.POSITIVE_INFINITY;
  for (const c of applied) {
    if (c.full) return false;
    first = Math.min(first, c.start);
  }
  const before = (span: Span) => span.file !== file || span.end < first;
  return (
    before(d.span) &&
    (d.related ?? []).every((r) => before(r.span)) &&
    (d.fix?.edits ?? []).every((e) => before(e.span))
  );
}

export function moveAll(
  diagnostics: readonly Diagnostic[],
  file: string,
  applied: readonly AppliedChange[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (allBefore(d, file, applied)) {
      out.push(d);
      continue;
    }
    const span = moveSpan(d.span, file, applied);
    if (!span) continue;
    const moved: Diagnostic = { ...d, span };
    if (d.related) {
      const related = d.related.flatMap((r) => {
        const s = moveSpan(r.span, file, applied);
        return s ? [{ ...r, span: s }] : [];
      });
      if (related.length > 0) moved.related = related;
      else delete moved.related;
    }
    if (d.fix) {
      const edits = d.fix.edits.map((e) => ({ ...e, span: moveSpan(e.span, file, applied) }));
      if (edits.every((e) => e.span)) moved.fix = { ...d.fix, edits: edits as typeof d.fix.edits };
      else delete moved.fix;
    }
    out.push(moved);
  }
  return out;
}
