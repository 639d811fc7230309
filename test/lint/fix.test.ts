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
