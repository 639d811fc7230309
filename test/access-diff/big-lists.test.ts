import { describe, expect, it, vi } from 'vitest';
import { accessDiff } from '../../src/access-diff/engine.js';
import { Layout } from '../../src/analysis/layout.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { compiled } from './helpers.js';

// Lists declared in code are encoded with their members. The terms of a change are found by trying literal after
// literal, and each try used to encode every list atom of the term again, member by member: 30 apps of 5 policies
// naming lists of 1,000 items made 6,447 encodings of list atoms (727 now): one-atom literals are kept for the diff.
function project(after: boolean): string {
  const lines: string[] = [];
  for (let l = 0; l < 5; l++) {
    const emails = Array.from({ length: 1000 }, (_, i) => `"u${i}@l${l}.example.com"`).join(', ');
    const ips = Array.from({ length: 1000 }, (_, i) => `"10.${l}.${i >> 8}.${i & 255}/32"`).join(', ');
    lines.push(`list "Staff ${l}" = email(${emails})`, `list "Office ${l}" = ip(${ips})`);
  }
  for (let g = 0; g < 10; g++)
    lines.push(`group "Team ${g}" = email_list("Staff ${g % 5}") or email_domain("t${g}.example.com")`);
  for (let a = 0; a < 30; a++) {
    const policies = Array.from({ length: 5 }, (_, k) => {
      const where = after && k === 0 ? `(ip_list("Office ${k}") or country("DE"))` : `ip_list("Office ${k}")`;
      return `  allow "P${k}" if group("Team ${(a + k) % 10}") and ${where}`;
    });
    lines.push(`app "App ${a}" {\n  domain "app${a}.example.com"\n${policies.join('\n')}\n}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('access diff on big lists', () => {
  it('describes the changes of 30 apps of 5 policies that name lists of 1,000 items', () => {
    const before = compiled(project(false));
    const after = compiled(project(true));
    const encode = vi.spyOn(Layout.prototype, 'encodeAtom');
    let diff: ReturnType<typeof accessDiff>;
    let lists: number;
    try {
      diff = accessDiff({ before, after });
      // Each list atom (a list named in a policy or a group) is encoded a few times, not once per literal of every
      // try of every app.
      lists = encode.mock.calls.filter(([a]) => a.sel === 'email_list' || a.sel === 'ip_list').length;
    } finally {
      encode.mockRestore();
    }
    expect(lists).toBeLessThan(1500);
    expect(diff.summary).toMatchObject({ apps: 30, analysed: 30, gains: 30, undecided: 0 });
    for (const app of diff.apps) {
      expect(app.status).toBe('changed');
      const gain = app.changes.find((c) => c.kind === 'gain');
      expect(gain?.terms.length).toBeGreaterThan(0);
      for (const t of gain?.terms ?? []) {
        expect(t.text).toContain('`DE`');
        expect(evaluateCompiledApp(before, app.app, t.witness).decision).not.toBe('allow');
        expect(evaluateCompiledApp(after, app.app, t.witness).decision).toBe('allow');
      }
    }
  });
});
