import { describe, expect, it } from 'vitest';
import { accessDiff } from '../../src/access-diff/engine.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { compiled } from './helpers.js';

const project = (members: string) => `list "GitHub hooks" = ip(${members})
app "CI" {
  domain "ci.example.com"
  bypass "Hooks" if ip_list("GitHub hooks")
}
`;

describe('access diff of lists declared in code', () => {
  it('finds who gains access when a member is added, with a witness in the new block', () => {
    const before = compiled(project('"192.30.252.0/22"'));
    const after = compiled(project('"192.30.252.0/22", "140.82.112.0/20"'));
    const diff = accessDiff({ before, after });
    expect(diff.summary).toMatchObject({ apps: 1, identical: 0, analysed: 1, gains: 1, losses: 0 });
    const gain = diff.apps[0]?.changes.find((c) => c.kind === 'gain');
    expect(gain).toMatchObject({ from: 'denied', to: 'bypass', complete: true });
    for (const t of gain?.terms ?? []) {
      expect(t.witness.ip).toMatch(/^140\.82\.(11[2-9]|12[0-7])\./);
      expect(evaluateCompiledApp(before, 'CI', t.witness).decision).toBe('none');
      expect(evaluateCompiledApp(after, 'CI', t.witness).decision).toBe('bypass');
    }
  });

  it('proves members written differently but covering the same addresses the same', () => {
    const before = compiled(project('"10.0.0.0/8"'));
    const after = compiled(project('"10.0.0.0/9", "10.128.0.0/9"'));
    const diff = accessDiff({ before, after });
    expect(diff.apps).toEqual([{ app: 'CI', status: 'same', changes: [] }]);
  });

  it('says nothing when the lists and rules are written alike', () => {
    const diff = accessDiff({
      before: compiled(project('"10.0.0.0/8"')),
      after: compiled(project('"10.0.0.0/8"')),
    });
    expect(diff.apps).toEqual([]);
    expect(diff.summary).toMatchObject({ identical: 1, analysed: 0 });
  });
});
