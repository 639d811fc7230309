import { escapeData, escapeProperty } from '../../cli/render/github.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { renderTrace } from '../../explain/render.js';
import type { CoverageReport } from '../coverage.js';
import type { TestResult } from '../run.js';
import { summarize, summaryLine } from './summary.js';

const position = (files: ReadonlyMap<string, SourceFile>, file: string, offset: number) =>
  files.get(file)?.position(offset) ?? { line: 1, column: 1 };

/** `--reporter json`: every result with its location, failures with identity and trace; the summary; coverage. */
export function renderJsonResults(
  results: readonly TestResult[],
  files: ReadonlyMap<string, SourceFile>,
  coverage?: CoverageReport,
): string {
  const doc = {
    results: results.map((r) => {
      const { line, column } = position(files, r.file, r.span.start);
      return {
        kind: r.kind,
        name: r.name,
        file: r.file,
        line,
        column,
        status: r.status,
        durationMs: Math.round(r.durationMs * 1000) / 1000,
        failures: r.failures,
        errors: r.errors.map((d) => ({ ...d, ...position(files, d.span.file, d.span.start) })),
      };
    }),
    summary: summarize(results),
    ...(coverage ? { coverage } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const xml = (s: string): string =>
  s
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
    )
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

function failureText(r: TestResult, files: ReadonlyMap<string, SourceFile>): string {
  const lines: string[] = [];
  for (const d of r.errors) {
    const { line, column } = position(files, d.span.file, d.span.start);
    lines.push(
      `${d.span.file}:${line}:${column}: ${d.code} ${d.message}${d.help ? ` (help: ${d.help})` : ''}`,
    );
  }
  for (const f of r.failures) {
    lines.push(`app "${f.app}": expected ${f.expected}, got ${f.actual}`);
    lines.push(`${f.counterexample ? 'counterexample' : 'identity'}: ${f.written}`);
    lines.push(...renderTrace(f.trace, files));
  }
  return lines.join('\n');
}

/** `--reporter junit`: one `<testsuite>` per test file (JUnit XML as CI systems read it). */
export function renderJunitResults(
  results: readonly TestResult[],
  files: ReadonlyMap<string, SourceFile>,
): string {
  const byFile = new Map<string, TestResult[]>();
  for (const r of results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const s = summarize(results);
  const total = results.reduce((t, r) => t + r.durationMs, 0) / 1000;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="aclc test" tests="${results.length}" failures="${s.failed - s.errors}" errors="${s.errors}" time="${total.toFixed(3)}">`,
  ];
  for (const [file, list] of byFile) {
    const fails = list.filter((r) => r.status === 'fail').length;
    const errs = list.filter((r) => r.status === 'error').length;
    const time = list.reduce((t, r) => t + r.durationMs, 0) / 1000;
    out.push(
      `  <testsuite name="${xml(file)}" tests="${list.length}" failures="${fails}" errors="${errs}" time="${time.toFixed(3)}">`,
    );
    for (const r of list) {
      const head = `    <testcase name="${xml(r.name)}" classname="${xml(file)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.status === 'pass') {
        out.push(`${head}/>`);
        continue;
      }
      const tag = r.status === 'fail' ? 'failure' : 'error';
      const message = r.failures[0]
        ? `app "${r.failures[0].app}": expected ${r.failures[0].expected}, got ${r.failures[0].actual}`
        : (r.errors[0]?.message ?? 'error');
      out.push(`${head}>`);
      out.push(`      <${tag} message="${xml(message)}">${xml(failureText(r, files))}</${tag}>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

/** `--reporter github`: a workflow annotation per failed test at its location, then the summary line. */
export function renderGithubResults(
  results: readonly TestResult[],
  files: ReadonlyMap<string, SourceFile>,
): string {
  const out: string[] = [];
  for (const r of results) {
    if (r.status === 'pass') continue;
    const start = position(files, r.file, r.span.start);
    const end = position(files, r.file, r.span.end);
    const props = [
      `file=${escapeProperty(r.file.replace(/\\/g, '/'))}`,
      `line=${start.line}`,
      `col=${start.column}`,
      `endLine=${end.line}`,
      `endColumn=${end.column}`,
      `title=${escapeProperty(`aclc test: ${r.name}`)}`,
    ];
    out.push(`::error ${props.join(',')}::${escapeData(failureText(r, files))}`);
  }
  out.push(summaryLine(results));
  return `${out.join('\n')}\n`;
}
