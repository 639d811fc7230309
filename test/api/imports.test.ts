import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Relative imports (type-only ones included: a cycle of types still ties two modules together) of one file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gms)) {
    out.push(resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Every import cycle among the modules of `folder` (each as the list of files on it). */
function cycles(folder: string): string[][] {
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
  const inside = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => inside.has(t))]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open')
        found.push(stack.slice(stack.indexOf(t)).map((p) => p.slice(SRC.length + 1)));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}

describe('module structure', () => {
  it('the API client and its resources do not import each other (src/api has no import cycle)', () => {
    expect(cycles(join(SRC, 'api'))).toEqual([]);
  });

  it('the deploy modules have no import cycle', () => {
    expect(cycles(join(SRC, 'deploy'))).toEqual([]);
  });

  it('the cycle finder sees a cycle of type-only imports', () => {
    // The check above would be vacuous if the finder missed `import type`: the former client <-> resources cycle
    // was type-only on one side.
    expect(importsOf(join(SRC, 'api', 'resources.ts'))).toContain(join(SRC, 'api', 'call.ts'));
  });
});
