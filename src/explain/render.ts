import type { SourceFile } from '../diagnostics/source.js';
import type { Identity } from '../model/identity.js';
import type { Project } from '../model/project.js';
import { identityLines } from '../testing/emit.js';
import type { AppTrace } from './trace.js';

/** Display style; the CLI passes ANSI colours on a terminal. */
export interface TraceStyle {
  ok(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const same = (t: string): string => t;
export const PLAIN_TRACE: TraceStyle = { ok: same, bad: same, dim: same, bold: same };

/** `{ email "bob@example.com" country "DE" idp okta }` (`{}` for an identity that carries nothing). */
export function identityText(identity: Identity, project?: Project): string {
  const lines = identityLines(identity, project);
  return lines.length === 0 ? '{}' : `{ ${lines.join(' ')} }`;
}

const where = (
  span: { file: string; start: number } | undefined,
  files: ReadonlyMap<string, SourceFile>,
): string => {
  if (!span) return '';
  const f = files.get(span.file);
  if (!f) return span.file;
  const { line, column } = f.position(span.start);
  return `${span.file}:${line}:${column}`;
};

const OUTCOME_WORD = {
  allow: 'allow',
  deny: 'deny',
  bypass: 'bypass',
  non_identity: 'service_auth',
  none: 'no-match',
};

/**
 * A trace as lines: the decision, then every policy in Access's order (matched or not, reached or not) with each
 * include / require / exclude rule, whether it held, and where it comes from in the source.
 */
export function renderTrace(
  trace: AppTrace,
  files: ReadonlyMap<string, SourceFile>,
  style: TraceStyle = PLAIN_TRACE,
  indent = '',
): string[] {
  const lines: string[] = [];
  const decision =
    trace.outcome === 'none'
      ? 'no-match (no policy matched; Access denies)'
      : `${OUTCOME_WORD[trace.outcome]} by "${trace.policySource ?? trace.policy}"`;
  lines.push(`${indent}app "${trace.app}": ${style.bold(decision)}`);
  if (trace.policies.length === 0) lines.push(`${indent}  (the app has no policies)`);
  trace.policies.forEach((p, i) => {
    const mark = p.decided ? style.ok('→') : p.matched ? '✓' : '✗';
    const state = p.decided
      ? 'matched, decided'
      : !p.reached
        ? p.matched
          ? 'not reached (would match)'
          : 'not reached'
        : p.matched
          ? 'matched'
          : 'did not match';
    const loc = where(p.span, files);
    const name = p.source !== p.name ? `"${p.source}" (${p.name})` : `"${p.name}"`;
    lines.push(
      `${indent}  ${i + 1}. ${mark} ${OUTCOME_WORD[p.decision]} ${name} precedence ${p.precedence}: ${state}${loc ? `  ${style.dim(loc)}` : ''}`,
    );
    for (const t of p.terms) {
      const held = t.held ? style.ok('held') : style.bad('not held');
      const group = t.group?.synthesized ? style.dim(` [synthesized group ${t.group.name}]`) : '';
      const l = where(t.span, files);
      lines.push(
        `${indent}       ${t.list.padEnd(7)} ${held.padEnd(8)} ${t.text}${group}${l ? `  ${style.dim(l)}` : ''}`,
      );
    }
  });
  return lines;
}
