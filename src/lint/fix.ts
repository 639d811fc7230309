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

/**
 * Apply the fixes whose edits fall in `file` to `text`. A fix is applied whole or not at all; fixes that overlap
 * an already chosen one are skipped (identical fixes count once). Edits are applied from the end backwards.
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

  const chosen: { start: number; end: number; text: string }[] = [];
  let applied = 0;
  let skipped = 0;
  for (const { fix } of candidates) {
    const edits = fix.edits.map((e) => ({ start: e.span.start, end: e.span.end, text: e.text }));
    const overlaps = edits.some((e) =>
      chosen.some((c) => (e.start < c.end && c.start < e.end) || (e.start === e.end && e.start === c.start)),
    );
    if (overlaps || edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start)) {
      skipped++;
      continue;
    }
    chosen.push(...edits);
    applied++;
  }
  chosen.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of chosen) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, skipped };
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
