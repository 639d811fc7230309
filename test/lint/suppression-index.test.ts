import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Suppression, SuppressionIndex } from '../../src/lint/suppress.js';

type Entry = { s: Suppression; n: number };

const suppression = (form: Suppression['form'], scope: [number, number] | null): Suppression => ({
  span: { file: 'a.acl', start: 0, end: 0 },
  form,
  scope: form === 'file' ? undefined : scope && { file: 'a.acl', start: scope[0], end: scope[1] },
  trailing: false,
  ids: [{ id: 'unused-group', span: { file: 'a.acl', start: 0, end: 0 } }],
});

/** Whether two ranges are nested or apart, as the scopes of a tree's nodes are. */
const laminar = ([a, b]: [number, number], [c, d]: [number, number]) =>
  b <= c || d <= a || (a <= c && d <= b) || (c <= a && b <= d);

const range = fc
  .tuple(fc.nat(60), fc.integer({ min: 1, max: 30 }))
  .map(([s, n]): [number, number] => [s, s + n]);

/** The suppressions that apply at `offset`, the slow way. */
const applying = (entries: Entry[], offset: number) =>
  entries
    .filter(
      ({ s }) => s.form === 'file' || (s.scope != null && s.scope.start <= offset && offset < s.scope.end),
    )
    .map((e) => e.n)
    .sort((x, y) => x - y);

describe('SuppressionIndex', () => {
  it('finds exactly the suppressions that apply at each offset, scopes nested or overlapping (property)', () => {
    let nestedSets = 0;
    let deep = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('next-line', 'line', 'file', 'none'), range), { maxLength: 25 }),
        fc.boolean(),
        (raw, keepNested) => {
          const kept: [number, number][] = [];
          const entries: Entry[] = [];
          raw.forEach(([form, r], n) => {
            if (keepNested && !kept.every((k) => laminar(k, r))) return;
            kept.push(r);
            entries.push({
              s: suppression(form === 'none' ? 'next-line' : form, form === 'none' ? null : r),
              n,
            });
          });
          if (keepNested) nestedSets++;
          const index = new SuppressionIndex(entries);
          for (let offset = 0; offset <= 95; offset++) {
            const found = index.covering(offset).map((e) => e.n);
            expect(found.sort((x, y) => x - y)).toEqual(applying(entries, offset));
            if (keepNested && found.length >= 3) deep++;
          }
        },
      ),
      { numRuns: 400 },
    );
    // The nested search ran, and often found several scopes around one offset.
    expect(nestedSets).toBeGreaterThan(100);
    expect(deep).toBeGreaterThan(100);
  });
});
