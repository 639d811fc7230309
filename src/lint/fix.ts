import type { Diagnostic, Fix } from '../diagnostics/diagnostic.js';
import { append } from './walk.js';

/** The result of applying fixes to one file's text. */
export interface FixResult {
  text: string;
  /** How many fixes were applied. */
  applied: number;
  /** Fixes left out because they overlapped one applied earlier (a second pass may apply them). */
  skipped: number;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Index of the first element of `sorted` (ascending `start`) whose start is at least `at`. */
function firstFrom(sorted: readonly Edit[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as Edit).start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Insert `e` into `sorted` (ascending `start`); fixes come in order of their first edit, so usually at the end. */
function insertSorted(sorted: Edit[], e: Edit): void {
  const last = sorted[sorted.length - 1];
  if (!last || last.start <= e.start) sorted.push(e);
  else sorted.splice(firstFrom(sorted, e.start), 0, e);
}

/**
 * The edits chosen so far: replacements (pairwise disjoint, so sorted by start they are sorted by end too) and
 * insertions (at distinct offsets), each sorted, so a new edit is checked against its neighbours only.
 */
class ChosenEdits {
  readonly replacements: Edit[] = [];
  readonly insertions: Edit[] = [];

  /**
   * Whether `e` meets a chosen edit: their ranges intersect, or it is an insertion at a chosen edit's start (an
   * insertion at the start of a replacement chosen *before* it is allowed, and goes first).
   */
  meets(e: Edit): boolean {
    const r = this.replacements;
    const k = firstFrom(r, e.start);
    const before = r[k - 1];
    if (before && before.end > e.start) return true;
    const from = r[k];
    if (from && (e.start === e.end ? from.start === e.start : from.start < e.end)) return true;
    const ins = this.insertions;
    const j = firstFrom(ins, e.start);
    const at = ins[j];
    if (e.start === e.end) return at !== undefined && at.start === e.start;
    const inside = at && at.start === e.start ? ins[j + 1] : at;
    return inside !== undefined && inside.start < e.end;
  }

  add(e: Edit): void {
    insertSorted(e.start === e.end ? this.insertions : this.replacements, e);
  }

  /** Every chosen edit in text order (an insertion before a replacement at the same offset). */
  inOrder(): Edit[] {
    const out: Edit[] = [];
    const { replacements: r, insertions: ins } = this;
    let i = 0;
    let j = 0;
    while (i < ins.length || j < r.length) {
      const a = ins[i];
      const b = r[j];
      if (a && (!b || a.start <= b.start)) {
        out.push(a);
        i++;
      } else {
        out.push(b as Edit);
        j++;
      }
    }
    return out;
  }
}

/** Whether two edits of one fix meet (a malformed fix, never applied). */
function meetsItself(edits: readonly Edit[]): boolean {
  if (edits.length < 2) return false;
  const own = new ChosenEdits();
  for (const e of edits) {
    if (own.meets(e)) return true;
    own.add(e);
  }
  return false;
}

/**
 * Apply the fixes whose edits fall in `file` to `text`. A fix is applied whole or not at all; fixes that overlap
 * an already chosen one are skipped (identical fixes count once). Linear in the text and the fixes (bar sorting):
 * a file with tens of thousands of fixes is rewritten at once.
 */
export function applyFixes(text: string, file: string, fixes: readonly Fix[]): FixResult {
  const seen = new Set<string>();
  const candidates = fixes
    .filter((f) => f.edits.length > 0 && f.edits.every((e) => e.span.file === file))
    .filter((f) => {
      const key = JSON.stringify(f.edits.map((e) => [e.span.start, e.span.end, e.text]));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => ({ fix: f, start: Math.min(...f.edits.map((e) => e.span.start)) }))
    .sort((a, b) => a.start - b.start);

  const chosen = new ChosenEdits();
  let applied = 0;
  let skipped = 0;
  for (const { fix } of candidates) {
    const edits = fix.edits.map((e) => ({ start: e.span.start, end: e.span.end, text: e.text }));
    if (
      edits.some((e) => chosen.meets(e)) ||
      edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start) ||
      meetsItself(edits)
    ) {
      skipped++;
      continue;
    }
    for (const e of edits) chosen.add(e);
    applied++;
  }
  const pieces: string[] = [];
  let cursor = 0;
  for (const e of chosen.inOrder()) {
    pieces.push(text.slice(cursor, e.start), e.text);
    cursor = e.end;
  }
  pieces.push(text.slice(cursor));
  return { text: pieces.join(''), applied, skipped };
}

/** The fixes of a run's diagnostics, by file. */
export function fixesByFile(diagnostics: readonly Diagnostic[]): Map<string, Fix[]> {
  const out = new Map<string, Fix[]>();
  for (const d of diagnostics) {
    if (!d.fix) continue;
    const file = d.fix.edits[0]?.span.file ?? d.span.file;
    append(out, file, d.fix);
  }
  return out;
}
