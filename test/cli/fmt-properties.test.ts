import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { formatSource } from '../../src/fmt/print.js';
import { parseFile } from '../../src/parser/index.js';
import { analyzeSources } from '../../src/pipeline.js';
import { validProject as project } from '../lint/arbitraries.js';

const analyze = (text: string) => analyzeSources([new SourceFile('p.acl', text)]);
const format = (text: string) => formatSource(new SourceFile('p.acl', text));
const comments = (text: string) =>
  parseFile(new SourceFile('p.acl', text))
    .value.comments.map((c) => c.text.trim())
    .sort();

describe('aclc fmt (properties of generated valid projects)', () => {
  it('generates projects that resolve without errors', () => {
    fc.assert(
      fc.property(project, (text) => {
        expect(analyze(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('is idempotent, keeps every comment and never changes the compiled output', () => {
    fc.assert(
      fc.property(project, (text) => {
        const once = format(text);
        expect(once.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(format(once.value).value).toBe(once.value);
        expect(comments(once.value)).toEqual(comments(text));
        const before = analyze(text);
        const after = analyze(once.value);
        expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(compileProject(after.project).value).toEqual(compileProject(before.project).value);
      }),
      { numRuns: 120 },
    );
  });
});
