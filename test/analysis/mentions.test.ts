import { describe, expect, it } from 'vitest';
import { MentionsMemo } from '../../src/analysis/mentions.js';
import { MENTIONS_IP, MENTIONS_RISK } from '../../src/analysis/witness.js';
import type { Formula } from '../../src/model/formula.js';
import { and, country, group, ip, not, or, risk } from './formulas.js';

describe('what a formula mentions (MentionsMemo)', () => {
  it('expands groups, and a cycle does not leave a partial mask behind', () => {
    // a uses b, b uses a: each mentions what the other does.
    const groups: Record<string, Formula> = {
      a: or(group('b'), ip('10.0.0.0/8')),
      b: and(group('a'), not(risk('high'))),
      c: country('US'),
    };
    const memo = new MentionsMemo((name) => groups[name]);
    expect(memo.of(group('a'))).toBe(MENTIONS_IP | MENTIONS_RISK);
    // `b` was walked inside `a` with `a` cut off; its own mask still counts `a`'s address.
    expect(memo.of(group('b'))).toBe(MENTIONS_IP | MENTIONS_RISK);
    expect(memo.of(group('c'))).toBe(0);
    expect(memo.of(group('missing'))).toBe(0);
  });

  it('reuses the links of a long union, and walks formulas deeper than the recursion', () => {
    const memo = new MentionsMemo(() => undefined);
    let union: Formula = country('US');
    for (let i = 0; i < 5000; i++) {
      union = or(union, i === 0 ? ip('10.0.0.1/32') : country('DE'));
      expect(memo.of(union)).toBe(MENTIONS_IP);
    }
    let deep: Formula = risk('low');
    for (let i = 0; i < 50_000; i++) deep = not(deep);
    expect(memo.of(deep)).toBe(MENTIONS_RISK);
  });
});
