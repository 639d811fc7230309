import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseFile } from '../../src/parser/index.js';
import { SELECTORS } from '../../src/selectors/table.js';

const reference = readFileSync(new URL('../../grammar/REFERENCE.md', import.meta.url), 'utf8');

/** The text of the section under `## title`, up to the next `## ` heading. */
function section(title: string): string {
  const start = reference.indexOf(`\n## ${title}\n`);
  if (start < 0) return '';
  const end = reference.indexOf('\n## ', start + 1);
  return reference.slice(start, end < 0 ? undefined : end);
}

describe('grammar/REFERENCE.md', () => {
  it('has the sections of the language reference', () => {
    const headings = [...reference.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([
      'Lexical structure',
      'Declarations',
      'Decisions',
      'Conditions',
      'Selectors',
      'Settings',
      'Order of evaluation',
      'Test files (`.acltest`)',
    ]);
  });

  it.each(SELECTORS.map((s) => [s.name, s.wireKey]))(
    'documents selector `%s` (wire key `%s`)',
    (name, wireKey) => {
      const rows = section('Selectors')
        .split('\n')
        .filter((line) => line.startsWith(`| \`${name}\` `));
      expect(rows, `a row for \`${name}\` in the Selectors table`).toHaveLength(1);
      expect(rows[0]).toContain(`| \`${wireKey}\` |`);
    },
  );

  it('documents no selector that the table does not have', () => {
    const documented = [...section('Selectors').matchAll(/^\| `([a-z_]+)` /gm)].map((m) => m[1]);
    expect(documented).toEqual(SELECTORS.map((s) => s.name));
  });

  it('has examples that parse', () => {
    const blocks = [...reference.matchAll(/```acl\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(5);
    for (const block of blocks) {
      const file = new SourceFile('example.acl', block);
      const { diagnostics } = parseFile(file);
      const skeleton = block.includes('NAME') || block.includes('…');
      if (!skeleton)
        expect(
          diagnostics.map((d) => `${d.code} ${d.message}`),
          block,
        ).toEqual([]);
    }
  });
});
