import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAIN, renderHuman } from '../../src/cli/render/human.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluateApp } from '../../src/eval/source.js';
import { ruleById } from '../../src/lint/rules/index.js';
import { lintProject } from '../../src/lint/run.js';
import { analyzeSources } from '../../src/pipeline.js';

const broken = join(import.meta.dirname, '..', '..', 'examples', 'broken');
const cases = readdirSync(broken).filter((f) => f.startsWith('lint-') && f.endsWith('.acl'));

/** Rules whose findings always carry a witness an app decides as the finding says. */
const DECIDES: Record<string, (message: string) => string> = {
  'conflicting-policies': (m) => /is allowed by `([^`]+)`/.exec(m)?.[1] ?? '?',
  'shadowed-policy': (m) => /is \w[^`]* by `([^`]+)`$/.exec(m)?.[1] ?? '?',
  'order-misleading': (m) => /^`([^`]+)`/.exec(m)?.[1] ?? '?',
  'allows-everyone': (m) => /by `([^`]+)` \(precedence/.exec(m)?.[1] ?? '?',
};

describe('lint examples in examples/broken produce exactly the findings they name', () => {
  it('has lint examples', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of cases) {
    it(name, async () => {
      const text = readFileSync(join(broken, name), 'utf8');
      const expected = /^# expect: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
      const file = new SourceFile(`examples/broken/${name}`, text);
      const analyzed = analyzeSources([file]);
      const result = lintProject({
        files: analyzed.files,
        asts: analyzed.asts,
        project: analyzed.project,
        diagnostics: analyzed.diagnostics,
      });
      expect(result.diagnostics.map((d) => d.code).sort()).toEqual([...expected].sort());

      for (const d of result.diagnostics) {
        const rule = ruleById(d.code);
        expect(rule, d.code).toBeDefined();
        if (
          rule?.meta.category === 'semantics' &&
          d.code !== 'unsatisfiable-policy' &&
          !d.message.includes('match nobody')
        ) {
          expect(d.witness, `${d.code} carries a witness`).toBeDefined();
        }
        const decider = DECIDES[d.code];
        if (decider && d.witness) {
          const app =
            analyzed.project.apps.find((a) => d.message.includes(`\`${a.name}\``)) ??
            analyzed.project.apps[0];
          const decided = evaluateApp(analyzed.project, app?.name ?? '', d.witness);
          const policy = analyzed.project.policies.get(decided.policy ?? '');
          expect(policy?.displayName, `${d.code}: ${d.message}`).toBe(decider(d.message));
        }
      }

      const rendered = renderHuman(result.diagnostics, new Map([[file.path, file]]), PLAIN);
      await expect(rendered).toMatchFileSnapshot(join(broken, name.replace(/\.acl$/, '.expected.txt')));
    });
  }
});
