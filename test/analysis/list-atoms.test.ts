import { describe, expect, it, vi } from 'vitest';
import { createAnalyzer } from '../../src/analysis/engine.js';
import { Layout } from '../../src/analysis/layout.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import type { Formula } from '../../src/model/formula.js';

// A list declared in code is encoded as the union of its members. Every atom naming it used to build that union
// again, one member at a time into a growing union: 60 policies naming a list of 1,000 blocks built 60,000 blocks.
const blocks = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
const ipList = (): Formula => ({
  op: 'atom',
  atom: { sel: 'ip_list', args: { id: { kind: 'ip_list', name: 'Offices', members: blocks } } },
});
const country = (code: string): Formula => ({
  op: 'atom',
  atom: { sel: 'country', args: { country_code: code } },
});

describe('lists declared in code', () => {
  it('are encoded once per manager, however many atoms name them', () => {
    const analyzer = createAnalyzer({ groups: () => undefined });
    const ip = vi.spyOn(Layout.prototype as unknown as { ip(cidr: string): number }, 'ip');
    const answers: boolean[] = [];
    try {
      for (let p = 0; p < 60; p++) {
        // A fresh atom object each time, as each policy that names the list has its own.
        const f: Formula = { op: 'and', args: [ipList(), { op: 'not', arg: country(p % 2 ? 'US' : 'DE') }] };
        const r = analyzer.satisfiable(f);
        if (r.result === 'incomplete') throw new Error('incomplete');
        answers.push(r.result);
        if (r.result) expect(evaluateFormula(f, r.witness, () => undefined)).toBe(true);
      }
      expect(ip.mock.calls.length).toBeLessThanOrEqual(2 * blocks.length);
    } finally {
      ip.mockRestore();
    }
    expect(answers.every((a) => a)).toBe(true);
    // The union is the list: an address in its last block is in it, one past it is not.
    const last = analyzer.implies(
      { op: 'atom', atom: { sel: 'ip', args: { ip: '10.3.231.0/24' } } },
      ipList(),
    );
    expect(last.result).toBe(true);
    const past = analyzer.implies(
      { op: 'atom', atom: { sel: 'ip', args: { ip: '10.3.232.0/24' } } },
      ipList(),
    );
    expect(past.result).toBe(false);
  });
});
