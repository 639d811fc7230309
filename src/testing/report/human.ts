import { renderHuman, type Style } from '../../cli/render/human.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { renderTrace } from '../../explain/render.js';
import type { Project } from '../../model/project.js';
import type { CoverageReport } from '../coverage.js';
import { renderWitnessTest } from '../emit.js';
import type { TestResult } from '../run.js';
import { summaryLine } from './summary.js';

export interface ReportContext {
  files: ReadonlyMap<string, SourceFile>;
  project?: Project;
  style: Style;
  /** Print passing tests too (the default prints one line per test either way). */
  verbose?: boolean;
}

const ms = (n: number): string => (n < 1 ? `${n.toFixed(2)} ms` : `${Math.round(n)} ms`);

/** One line per test, failures with expected vs actual, the counterexample and the trace; the summary last. */
export function renderHumanResults(results: readonly TestResult[], ctx: ReportContext): string {
  const out: string[] = [];
  const { style } = ctx;
  const trace = { ok: style.accent, bad: style.error, dim: style.dim, bold: style.bold };
  let file = '';
  for (const r of results) {
    if (r.file !== file) {
      file = r.file;
      out.push(style.bold(file));
    }
    const label =
      r.status === 'pass'
        ? style.accent('PASS ')
        : r.status === 'fail'
          ? style.error('FAIL ')
          : style.error('ERROR');
    const kind = r.kind === 'invariant' ? 'invariant ' : '';
    out.push(`  ${label} ${kind}${r.name} ${style.dim(`(${ms(r.durationMs)})`)}`);
    if (r.errors.length > 0) {
      const text = renderHuman(r.errors, ctx.files, style);
      for (const l of text.replace(/\n$/, '').split('\n')) out.push(l === '' ? '' : `        ${l}`);
    }
    for (const f of r.failures) {
      out.push(`        app "${f.app}": expected ${f.expected}, got ${style.bold(f.actual)}`);
      out.push(`        ${f.counterexample ? 'counterexample' : 'identity'}: ${f.written}`);
      out.push(...renderTrace(f.trace, ctx.files, trace, '        '));
    }
  }
  return `${out.join('\n')}${out.length ? '\n' : ''}`;
}

/** Coverage per app: reached regions, decisive rules, and ready-to-paste examples for what no test reaches. */
export function renderHumanCoverage(report: CoverageReport, ctx: ReportContext): string {
  const out: string[] = [
    `coverage of the decision space: ${report.percent}% (${report.covered} of ${report.total})`,
  ];
  for (const app of report.apps) {
    out.push(`  app "${app.app}": ${app.percent}%`);
    for (const r of app.regions) {
      if (!r.reachable) continue;
      const what = r.policy
        ? `${r.outcome === 'non_identity' ? 'service_auth' : r.outcome} "${r.source}"`
        : 'no-match';
      out.push(`    ${r.examples > 0 ? 'reached  ' : 'UNREACHED'} ${what}: ${r.examples} example(s)`);
      if (r.witness) {
        const text = renderWitnessTest(
          {
            name: `${app.app}: ${r.policy ? `decided by ${r.source}` : 'no policy matches'}`,
            identity: r.witness,
            expects: [
              { app: app.app, outcome: r.outcome, ...(r.source !== undefined ? { policy: r.source } : {}) },
            ],
          },
          ctx.project,
        );
        for (const l of text.replace(/\n$/, '').split('\n')) out.push(l === '' ? '' : `        ${l}`);
      }
    }
    const idle = app.terms.filter((t) => !t.decisive);
    for (const t of idle) out.push(`    never decisive: ${t.list} ${t.text} in "${t.policy}"`);
  }
  return `${out.join('\n')}\n`;
}

export { summaryLine };
