import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { widthFor, wrap } from '../../src/plan-view/wrap.js';

/** Wrapping never loses or reorders a character, and keeps every line within the width whenever it can. */

const text = fc.string({
  unit: fc.constantFrom('a', 'b', 'é', ' ', ',', '"', '(', ')', 'x', '1'),
  maxLength: 400,
});

describe('wrap', () => {
  it('keeps every character, in order, and respects the width when a line has room', () => {
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 40, max: 160 }),
        fc.integer({ min: 0, max: 30 }),
        (value, width, indent) => {
          const lead = ' '.repeat(indent);
          const lines = wrap(lead, value, width, indent + 2);
          expect(lines[0]?.startsWith(lead)).toBe(true);
          // Only spaces at a break may go: every other character comes back in order.
          const body = lines.map((l, i) => l.slice(i === 0 ? indent : indent + 2)).join('');
          expect(body.replace(/ /g, '')).toBe(value.replace(/ /g, ''));
          for (const l of lines) expect(l.length).toBeLessThanOrEqual(Math.max(width, indent + 2 + 16));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('breaks after a space or a comma when one fits', () => {
    expect(wrap('  ', 'country("KP", "IR", "CU", "SY", "RU", "BY")', 24, 4)).toEqual([
      '  country("KP", "IR",',
      '    "CU", "SY", "RU",',
      '    "BY")',
    ]);
  });

  it('takes --width, else the terminal, else 80', () => {
    expect(widthFor('120', 200)).toBe(120);
    expect(widthFor(undefined, 132)).toBe(132);
    expect(widthFor(undefined, undefined)).toBe(80);
  });
});
