import type { Span } from '../diagnostics/diagnostic.js';
import { lineEndAfter } from '../diagnostics/lines.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { AstFile, Comment } from '../parser/ast.js';
import { type Attachable, nodeStartingAt, ownExtent, placeOf } from '../parser/attach.js';
import { DIRECTIVES, directiveOf } from './directive.js';

export { DIRECTIVE, DIRECTIVES } from './directive.js';

/** Which directive a suppression uses. */
export type SuppressionForm = 'next-line' | 'line' | 'file';

/** One parsed suppression comment. */
export interface Suppression {
  /** The whole comment. */
  span: Span;
  form: SuppressionForm;
  /**
   * The node it applies to (findings whose span starts in it are suppressed): `next-line` — the declaration, app item
   * or setting that starts on the next line holding code; `line` — the one the comment ends or sits inside; a comment
   * inside a node (a condition written over several lines) applies to that node in both forms. `file` — undefined:
   * every finding of the file. Absent (`null`) when there is no such node.
   */
  scope: Span | null | undefined;
  /** Whether code precedes the comment on its line. */
  trailing: boolean;
  /** The rule ids named, each with its span. */
  ids: { id: string; span: Span }[];
  /** The text after `--`, trimmed; undefined when there is none. */
  reason?: string;
}

/** A comment that starts like a directive (`# aclc-…`) but names none. */
export interface UnknownDirective {
  span: Span;
  word: string;
}

const FORMS: Readonly<Record<string, SuppressionForm>> = {
  [DIRECTIVES.nextLine]: 'next-line',
  [DIRECTIVES.line]: 'line',
  [DIRECTIVES.file]: 'file',
};

/** The suppressions among a file's comments, and the comments that look like directives but are none. */
export function parseSuppressions(
  ast: AstFile,
  file: SourceFile,
): { suppressions: Suppression[]; unknown: UnknownDirective[] } {
  const suppressions: Suppression[] = [];
  const unknown: UnknownDirective[] = [];
  for (const comment of ast.comments) {
    const directive = directiveOf(comment.text);
    if (!directive) continue;
    const at = (offset: number) => comment.span.start + offset;
    const form = FORMS[directive.word];
    if (!form) {
      unknown.push({
        word: directive.word,
        span: { file: comment.span.file, start: at(directive.start), end: at(directive.end) },
      });
      continue;
    }
    const rest = comment.text.slice(directive.end);
    const dashes = rest.indexOf('--');
    const idsText = dashes < 0 ? rest : rest.slice(0, dashes);
    const reason = dashes < 0 ? undefined : rest.slice(dashes + 2).trim();
    const ids: Suppression['ids'] = [];
    for (const m of idsText.matchAll(/[^\s,]+/g)) {
      const start = at(directive.end + (m.index ?? 0));
      ids.push({ id: m[0], span: { file: comment.span.file, start, end: start + m[0].length } });
    }
    const place = placeOf(ast, comment, file.text);
    const lineStart = file.starts()[file.position(comment.span.start).line - 1] ?? 0;
    const suppression: Suppression = {
      span: comment.span,
      form,
      scope: form === 'file' ? undefined : scopeOf(form, place, ast, comment, file.text),
      trailing: file.text.slice(lineStart, comment.span.start).trim() !== '',
      ids,
    };
    if (reason) suppression.reason = reason;
    suppressions.push(suppression);
  }
  return { suppressions, unknown };
}

function scopeOf(
  form: 'next-line' | 'line',
  place: { inside?: Attachable; after?: Attachable },
  ast: AstFile,
  comment: Comment,
  text: string,
): Span | null {
  if (place.inside) return ownExtent(place.inside);
  if (form === 'line') return place.after ? ownExtent(place.after) : null;
  const next = nodeStartingAt(ast, nextCode(text, comment.span.end));
  return next ? ownExtent(next) : null;
}

/** The offset of the first code after `from`: white space, `;`, `,` and comments are skipped (the lexer's view). */
function nextCode(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\uFEFF' || c === ';' || c === ',') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) i = lineEndAfter(text, i);
    else break;
  }
  return i;
}

/** Whether a suppression applies to a finding of its rule starting at `offset` of its file. */
function covers(s: Suppression, offset: number): boolean {
  if (s.form === 'file') return true;
  return s.scope != null && s.scope.start <= offset && offset < s.scope.end;
}

/**
 * The suppressions of one file and rule, by what they cover: `covering(offset)` finds every one that applies to a
 * finding starting there in O(log n + depth), so tens of thousands of suppressions and findings are matched in one
 * pass. Scoped entries are sorted by start and each points at the entry that was innermost open when it started:
 * every scope still open at an offset is on that chain from the last scope starting before it. Scopes are nodes of
 * the tree (nested or apart), so the chains are as short as the tree is deep.
 */
export class SuppressionIndex<T extends { s: Suppression }> {
  private readonly everywhere: T[] = [];
  /** Scoped entries by start, the longer first among equal starts. */
  private readonly scoped: T[] = [];
  /** `parent[i]`: the innermost entry still open where entry i starts, or -1. */
  private readonly parent: number[] = [];

  constructor(entries: readonly T[]) {
    for (const e of entries) {
      if (e.s.form === 'file') this.everywhere.push(e);
      else if (e.s.scope != null) this.scoped.push(e);
    }
    const scope = (e: T) => e.s.scope as Span;
    this.scoped.sort((a, b) => scope(a).start - scope(b).start || scope(b).end - scope(a).end);
    const open: number[] = [];
    this.scoped.forEach((e, i) => {
      const { start } = scope(e);
      while (open.length > 0 && scope(this.scoped[open[open.length - 1] as number] as T).end <= start)
        open.pop();
      this.parent.push(open[open.length - 1] ?? -1);
      open.push(i);
    });
  }

  /** Every entry that applies to a finding starting at `offset`. */
  covering(offset: number): T[] {
    const out = [...this.everywhere];
    const scoped = this.scoped;
    let lo = 0;
    let hi = scoped.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (((scoped[mid] as T).s.scope as Span).start <= offset) lo = mid + 1;
      else hi = mid;
    }
    // INVARIANT: a scope that contains `offset` was never closed before the last scope starting at or before it.
    for (let i = lo - 1; i >= 0; i = this.parent[i] as number) {
      const e = scoped[i] as T;
      if (covers(e.s, offset)) out.push(e);
    }
    return out;
  }
}
