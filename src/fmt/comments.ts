import { countLineBreaks, hasLineBreak } from '../diagnostics/lines.js';
import type { Comment } from '../parser/ast.js';

/**
 * The comments of a file, handed out once each as the printer walks the tree: leading comments before a node,
 * a trailing comment on the line where a node ends, comments hoisted out of places that hold none (inside a
 * condition), and dangling ones at the end of a block.
 */
export class CommentQueue {
  private readonly used: boolean[];

  constructor(
    private readonly comments: readonly Comment[],
    private readonly text: string,
  ) {
    this.used = new Array(comments.length).fill(false);
  }

  /** Index of the first comment starting at or after `offset`. */
  private from(offset: number): number {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.comments[mid] as Comment).span.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The unused comments starting in `[start, end)`, in order; they count as used from now on. */
  take(start: number, end: number): Comment[] {
    const out: Comment[] = [];
    for (let i = this.from(start); i < this.comments.length; i++) {
      const c = this.comments[i] as Comment;
      if (c.span.start >= end) break;
      if (this.used[i]) continue;
      this.used[i] = true;
      out.push(c);
    }
    return out;
  }

  /** The first unused comment after `end` (before `limit`) if it is on the same line as `end`. */
  takeTrailing(end: number, limit: number): Comment | undefined {
    for (let i = this.from(end); i < this.comments.length; i++) {
      const c = this.comments[i] as Comment;
      if (c.span.start >= limit) return undefined;
      if (this.used[i]) continue;
      if (hasLineBreak(this.text.slice(end, c.span.start))) return undefined;
      this.used[i] = true;
      return c;
    }
    return undefined;
  }

  /** Whether the text between two offsets holds an empty line (separators `;` and `,` count as blank). */
  blankBetween(start: number, end: number): boolean {
    if (start >= end) return false;
    // A blank line: two line breaks with only spaces and separators between them.
    for (const gap of this.text.slice(start, end).split(/[^ \t\r\n;,]+/))
      if (countLineBreaks(gap) >= 2) return true;
    return false;
  }

  /** Whether every comment has been handed out. */
  get done(): boolean {
    return this.used.every(Boolean);
  }
}
