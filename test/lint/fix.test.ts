import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fix } from '../../src/diagnostics/diagnostic.js';
import { applyFixes, fixesByFile } from '../../src/lint/fix.js';

const edit = (start: number, end: number, text: string, file = 'a.acl'): Fix => ({
  description: 'edit',
  edits: [{ span: { file, start, end }, text }],
});

describe('applyFixes', () => {
  it('applies non-overlapping fixes from the end backwards', () => {
    const r = applyFixes('abcdef', 'a.acl', [edit(0, 1, 'X'), edit(4, 6, ''), edit(2, 2, '+')]);
    expect(r).toEqual({ text: 'Xb+cd', applied: 3, skipped: 0 });
  });

  it('skips overlapping fixes and counts identical ones once', () => {
    const r = applyFixes('abcdef', 'a.acl', [edit(1, 4, 'X'), edit(2, 5, 'Y'), edit(1, 4, 'X')]);
    expect(r).toEqual({ text: 'aXef', applied: 1, skipped: 1 });
  });

  it('applies a fix whole or not at all, and ignores other files and bad spans', () => {
    const two: Fix = {
      description: 'two',
      edits: [
        { span: { file: 'a.acl', start: 0, end: 1 }, text: '1' },
        { span: { file: 'a.acl', start: 3, end: 4 }, text: '4' },
      ],
    };
    const r = applyFixes('abcdef', 'a.acl', [
      edit(3, 5, 'Z'),
      two,
      edit(0, 1, 'Q', 'b.acl'),
      edit(5, 99, ''),
    ]);
    expect(r).toEqual({ text: '1bc4ef', applied: 1, skipped: 2 });
  });

  it('never produces overlapping edits (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(30), fc.nat(5), fc.string({ maxLength: 3 })), { maxLength: 8 }),
        (text, raw) => {
          const fixes = raw.map(([s, len, t]) =>
            edit(Math.min(s, text.length), Math.min(s + len, text.length), t),
          );
          const r = applyFixes(text, 'a.acl', fixes);
          expect(r.applied + r.skipped).toBeLessThanOrEqual(fixes.length);
          if (r.applied === 0) expect(r.text).toBe(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The former quadratic implementation, kept as the reference: every chosen edit checked, applied from the end. */
function reference(text: string, fixes: readonly Fix[]): { text: string; applied: number; skipped: number } {
  const seen = new Set<string>();
  const candidates = fixes
    .filter((f) => {
      const key = JSON.stringify(f.edits.map((e) => [e.span.start, e.span.end, e.text]));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => ({ fix: f, start: Math.min(...f.edits.map((e) => e.span.start)) }))
    .sort((a, b) => a.start - b.start);
  type E = { start: number; end: number; text: string };
  const meet = (e: E, c: E) =>
    (e.start < c.end && c.start < e.end) || (e.start === e.end && e.start === c.start);
  const chosen: E[] = [];
  let applied = 0;
  let skipped = 0;
  for (const { fix } of candidates) {
    const edits = fix.edits.map((e) => ({ start: e.span.start, end: e.span.end, text: e.text }));
    const bad =
      edits.some((e) => chosen.some((c) => meet(e, c))) ||
      edits.some((e) => e.start < 0 || e.end > text.length || e.end < e.start) ||
      edits.some((e, i) => edits.some((c, j) => j < i && meet(e, c)));
    if (bad) {
      skipped++;
      continue;
    }
    chosen.push(...edits);
    applied++;
  }
  // From the end; at one offset the replacement first, so an insertion there ends up before it.
  chosen.sort((a, b) => b.start - a.start || (a.start === a.end ? 1 : 0) - (b.start === b.end ? 1 : 0));
  let out = text;
  for (const e of chosen) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, skipped };
}

describe('applyFixes against the reference', () => {
  it('chooses and applies the same edits as checking every pair (property)', () => {
    const anEdit = fc.tuple(fc.nat(24), fc.oneof(fc.constant(0), fc.nat(4)), fc.string({ maxLength: 2 }));
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 24 }),
        fc.array(fc.array(anEdit, { minLength: 1, maxLength: 3 }), { maxLength: 12 }),
        (text, raw) => {
          const fixes: Fix[] = raw.map((edits) => ({
            description: 'edit',
            edits: edits.map(([s, len, t]) => ({
              span: {
                file: 'a.acl',
                start: Math.min(s, text.length + 1),
                end: Math.min(s + len, text.length + 1),
              },
              text: t,
            })),
          }));
          expect(applyFixes(text, 'a.acl', fixes)).toEqual(reference(text, fixes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('puts an insertion before a replacement chosen after it at the same offset', () => {
    const r = applyFixes('abcdef', 'a.acl', [edit(2, 2, '+'), edit(2, 4, 'X')]);
    expect(r).toEqual({ text: 'ab+Xef', applied: 2, skipped: 0 });
  });

  it('rewrites a file of 60,000 fixes at once (half remove a line, half insert)', () => {
    const line = 'group "g" = country("US")\n';
    const text = line.repeat(60_000);
    const fixes = Array.from({ length: 60_000 }, (_, i) =>
      i % 2 === 0
        ? edit(i * line.length, (i + 1) * line.length, '')
        : edit(i * line.length, i * line.length, '#'),
    );
    const r = applyFixes(text, 'a.acl', fixes);
    expect(r.applied).toBe(60_000);
    expect(r.text).toBe(`#${line}`.repeat(30_000));
  });
});

describe('fixesByFile', () => {
  it('groups the fixes of diagnostics by the file they edit', () => {
    const d = (file: string, fix?: Fix) => ({
      code: 'x',
      severity: 'warning' as const,
      message: 'm',
      span: { file, start: 0, end: 0 },
      ...(fix ? { fix } : {}),
    });
    const map = fixesByFile([d('a.acl', edit(0, 1, '')), d('a.acl'), d('b.acl', edit(0, 1, '', 'b.acl'))]);
    expect([...map.keys()]).toEqual(['a.acl', 'b.acl']);
    expect(map.get('a.acl')).toHaveLength(1);
  });
});
