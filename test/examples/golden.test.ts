import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../../src/cli/load.js';
import { PLAIN, renderHuman } from '../../src/cli/render/human.js';
import { compileProject } from '../../src/compiler/compile.js';
import { sortDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { formatSource } from '../../src/fmt/print.js';
import { analyzeSources } from '../../src/pipeline.js';
import { validateProject } from '../../src/schemas/validate.js';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'examples');
const projects = readdirSync(examples).filter(
  (name) => statSync(join(examples, name)).isDirectory() && name !== 'broken' && name !== 'ci',
);

describe('example projects compile to their checked-in JSON', () => {
  it('has at least five realistic projects', () => {
    expect(projects.length).toBeGreaterThanOrEqual(5);
  });

  for (const name of projects) {
    it(name, async () => {
      const loaded = loadSources([join('examples', name)], root);
      const analyzed = analyzeSources(loaded.files);
      expect([...loaded.diagnostics, ...analyzed.diagnostics].filter((d) => d.severity === 'error')).toEqual(
        [],
      );
      const compiled = compileProject(analyzed.project);
      expect(compiled.diagnostics).toEqual([]);
      expect(validateProject(compiled.value.document)).toEqual({ valid: true });
      for (const file of loaded.files)
        expect(formatSource(file).value, `${file.path} is not formatted`).toBe(file.text);
      await expect(`${JSON.stringify(compiled.value.document, null, 2)}\n`).toMatchFileSnapshot(
        join(examples, name, 'expected', 'compiled.json'),
      );
    });
  }
});

describe('broken examples produce exactly the diagnostics they name', () => {
  const broken = join(examples, 'broken');
  const cases = readdirSync(broken).filter((f) => f.endsWith('.acl') && !f.startsWith('lint-'));

  for (const file of cases) {
    it(file, async () => {
      const path = join('examples', 'broken', file);
      const text = readFileSync(join(root, path), 'utf8');
      const expected = /^# expect: (.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
      expect(expected.length).toBeGreaterThan(0);

      const loaded = loadSources([path], root);
      const analyzed = analyzeSources(loaded.files);
      let diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
      if (!diagnostics.some((d) => d.severity === 'error'))
        diagnostics.push(...compileProject(analyzed.project).diagnostics);
      diagnostics = sortDiagnostics(diagnostics);
      expect([...new Set(diagnostics.map((d) => d.code))].sort()).toEqual([...new Set(expected)].sort());

      const rendered = renderHuman(diagnostics, new Map(loaded.files.map((f) => [f.path, f])), PLAIN);
      await expect(rendered).toMatchFileSnapshot(join(broken, file.replace(/\.acl$/, '.expected.txt')));
    });
  }
});
