import type { Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Comment } from '../parser/ast.js';

/** The directive: `# aclc-disable-next-line rule-id[, rule-id] -- reason`. */
export const DIRECTIVE = 'aclc-disable-next-line';

/** One parsed suppression comment. */
export interface Suppression {
  /** The whole comment. */
  span: Span;
  /** 1-based line of the file the suppression applies to (the line after the comment). */
  line: number;
  /** The rule ids named, each with its span. */
  ids: { id: string; span: Span }[];
  /** The text after `--`, trimmed; undefined when there is none. */
  reason?: string;
}

/** The suppressions among a file's comments (comments that do not start with the directive are ignored). */
export function parseSuppressions(comments: readonly Comment[], file: SourceFile): Suppression[] {
  const out: Suppression[] = [];
  for (const comment of comments) {
    const marker = comment.text.startsWith('//') ? 2 : comment.text.startsWith('#') ? 1 : 0;
    const body = comment.text.slice(marker);
    const lead = body.length - body.trimStart().length;
    if (!body.trimStart().startsWith(DIRECTIVE)) continue;
    const afterDirective = marker + lead + DIRECTIVE.length;
    const rest = comment.text.slice(afterDirective);
    if (rest !== '' && !/^\s/.test(rest)) continue; // e.g. `aclc-disable-next-lines`
    const dashes = rest.indexOf('--');
    const idsText = dashes < 0 ? rest : rest.slice(0, dashes);
    const reason = dashes < 0 ? undefined : rest.slice(dashes + 2).trim();
    const ids: Suppression['ids'] = [];
    for (const m of idsText.matchAll(/[^\s,]+/g)) {
      const start = comment.span.start + afterDirective + (m.index ?? 0);
      ids.push({ id: m[0], span: { file: comment.span.file, start, end: start + m[0].length } });
    }
    const suppression: Suppression = {
      span: comment.span,
      line: file.position(comment.span.start).line + 1,
      ids,
    };
    if (reason) suppression.reason = reason;
    out.push(suppression);
  }
  return out;
}
