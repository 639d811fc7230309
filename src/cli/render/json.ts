import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { ruleName } from '../../diagnostics/rules.js';
import type { SourceFile } from '../../diagnostics/source.js';

/** Machine-readable diagnostics: the Diagnostic data plus its rule name and computed line/column for each span. */
export function renderJson(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
): string {
  const withPosition = (span: Diagnostic['span']) => {
    const file = files.get(span.file);
    const start = file?.position(span.start) ?? { line: 1, column: 1 };
    const end = file?.position(span.end) ?? start;
    return { ...span, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
  // `code` then `rule` first in each object, then the rest of the diagnostic.
  const out = diagnostics.map(({ code, ...d }) => ({
    code,
    rule: ruleName({ code }),
    ...d,
    span: withPosition(d.span),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, span: withPosition(r.span) })) } : {}),
  }));
  return `${JSON.stringify({ diagnostics: out }, null, 2)}\n`;
}
