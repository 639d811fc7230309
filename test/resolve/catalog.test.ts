import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/diagnostics/catalog.js';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('codes raised by the resolver and the settings', () => {
  const files = [
    ...sources('src/resolve'),
    ...sources('src/settings'),
    'src/selectors/values.ts',
    'src/selectors/ip.ts',
  ];
  const raised = new Set(
    files.flatMap((f) => [...readFileSync(join(ROOT, f), 'utf8').matchAll(/'(ACL\d{4})'/g)].map((m) => m[1])),
  );

  it('finds the modules and the codes they raise', () => {
    expect(files).toContain('src/resolve/index.ts');
    expect(raised.size).toBeGreaterThan(20);
  });

  it('every code is in the catalog', () => {
    expect([...raised].filter((code) => !((code as string) in CATALOG))).toEqual([]);
  });

  it('every code of the names, values and settings ranges is raised somewhere', () => {
    const owned = Object.keys(CATALOG).filter((c) => /^ACL0[345]\d\d$/.test(c));
    // ACL0413 (duplicate value) is left to a lint rule: the resolver drops duplicates silently.
    expect(owned.filter((c) => !raised.has(c) && c !== 'ACL0413')).toEqual([]);
  });
});
