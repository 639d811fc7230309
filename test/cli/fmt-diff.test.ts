import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/cli/commands/fmt.js';

/** Rebuild both sides from an edit script. */
const sides = (edits: { op: string; line: string }[]) => ({
  a: edits.filter((e) => e.op !== '+').map((e) => e.line),
  b: edits.filter((e) => e.op !== '-').map((e) => e.line),
});

describe('diffLines', () => {
  it('is a minimal edit script', () => {
    const edits = diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
    expect(edits.map((e) => `${e.op}${e.line}`)).toEqual([' a', '-b', '+x', ' c', ' d', '+e']);
  });

  it('turns one side into the other, keeping as many lines as the longest common subsequence (property)', () => {
    const lcs = (a: string[], b: string[]) => {
      const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
      for (let i = a.length - 1; i >= 0; i--)
        for (let j = b.length - 1; j >= 0; j--)
          t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
      return t[0]![0]!;
    };
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 12 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const edits = diffLines(a, b);
        expect(sides(edits)).toEqual({ a, b });
        expect(edits.filter((e) => e.op === ' ').length).toBe(lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a.acl', 'x\n', 'x\n')).toBe('');
  });

  it('prints hunks with three lines of context, merging nearby changes', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', ''].join(
      '\n',
    );
    const after = before.replace('2\n', 'two\n').replace('4\n', 'four\n').replace('14\n', 'fourteen\n');
    expect(unifiedDiff('dir/a.acl', before, after)).toBe(
      [
        '--- a/dir/a.acl',
        '+++ b/dir/a.acl',
        '@@ -1,7 +1,7 @@',
        ' 1',
        '-2',
        '+two',
        ' 3',
        '-4',
        '+four',
        ' 5',
        ' 6',
        ' 7',
        '@@ -11,5 +11,5 @@',
        ' 11',
        ' 12',
        ' 13',
        '-14',
        '+fourteen',
        ' 15',
        '',
      ].join('\n'),
    );
  });

  it('counts an empty side as line 0', () => {
    expect(unifiedDiff('a.acl', '', 'x\n')).toBe('--- a/a.acl\n+++ b/a.acl\n@@ -0,0 +1 @@\n+x\n');
  });

  it('notes a missing final line break after the line that lacks it', () => {
    expect(unifiedDiff('a.acl', 'a\nx', 'a\nx\n')).toBe(
      '--- a/a.acl\n+++ b/a.acl\n@@ -1,2 +1,2 @@\n a\n-x\n\\ No newline at end of file\n+x\n',
    );
  });
});
