import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist');

/** Every file of the bundle that loading `file` loads at once (static imports, not `import()`). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]*?from\s*)?["'](\.[^"']+)["']/g))
    staticClosure(resolve(dirname(file), m[1] as string), seen);
  return seen;
}

const chunk = (prefix: string) => {
  const name = readdirSync(join(dist, 'chunks')).find((f) => f.startsWith(`${prefix}-`));
  if (!name) throw new Error(`no ${prefix} chunk in dist/chunks`);
  return join(dist, 'chunks', name);
};

describe('the bundle', () => {
  it('loads the language server only for `aclc lsp`', () => {
    const lspMarker = 'textDocument/publishDiagnostics';
    const contains = (files: Set<string>) =>
      [...files].some((f) => readFileSync(f, 'utf8').includes(lspMarker));
    for (const command of ['bin', 'lint', 'compile', 'fmt'])
      expect(contains(staticClosure(chunk(command))), command).toBe(false);
    const lsp = readFileSync(chunk('lsp'), 'utf8');
    expect(lsp).toMatch(/import\(["']\.\/server-[^"']+\.js["']\)/);
    expect(contains(staticClosure(chunk('server')))).toBe(true);
  });
});
