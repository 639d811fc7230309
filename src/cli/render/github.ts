import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { codeAndRule } from '../../diagnostics/rules.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { describeIdentity } from './witness.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Escaping of a workflow command's message (https://github.com/actions/toolkit, `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a workflow command's property values (`escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * GitHub Actions workflow annotations, one line per diagnostic:
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. Info diagnostics become notices.
 */
export function renderGithub(
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
): string {
  const lines = diagnostics.map((d) => {
    const file = files.get(d.span.file);
    const start = file?.position(d.span.start) ?? { line: 1, column: 1 };
    const end = file?.position(Math.max(d.span.start, d.span.end)) ?? start;
    const props = [
      `file=${escapeProperty(d.span.file.replace(/\\/g, '/'))}`,
      `line=${start.line}`,
      `col=${start.column}`,
      `endLine=${end.line}`,
      `endColumn=${end.column}`,
      `title=${escapeProperty(`aclc ${codeAndRule(d)}`)}`,
    ];
    const body = [d.message];
    if (d.witness) body.push(`witness: ${describeIdentity(d.witness)}`);
    if (d.help) body.push(`help: ${d.help}`);
    return `::${COMMAND[d.severity]} ${props.join(',')}::${escapeData(body.join('\n'))}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
