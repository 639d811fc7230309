import { type Dirent, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { displayPath, SKIP_DIRS } from '../cli/load.js';

export const TEST_EXTENSION = '.acltest';

/** The `.acltest` files below a folder (absolute paths, sorted), skipping dependency, output and hidden folders. */
export function testFilesUnder(path: string, out: string[] = []): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) testFilesUnder(p, out);
    } else if (e.isFile() && extname(e.name) === TEST_EXTENSION) out.push(p);
  }
  return out;
}

/**
 * For `fmt` and `lint`: the `.acltest` files the paths name (a file itself, or the files below a folder), and the
 * paths left for the `.acl` discovery (folders, and files that are not test files). Display paths are relative to
 * `cwd`; `withTests` lists the paths (as shown) under which test files were found.
 */
export function splitTestPaths(
  paths: readonly string[],
  cwd: string,
): { tests: { path: string; shown: string }[]; aclPaths: string[]; withTests: Set<string> } {
  const tests: { path: string; shown: string }[] = [];
  const aclPaths: string[] = [];
  const withTests = new Set<string>();
  const seen = new Set<string>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const path = resolve(cwd, given);
    const shown = path === resolve(cwd) ? '.' : displayPath(path, cwd);
    let found: string[] = [];
    try {
      if (statSync(path).isDirectory()) {
        found = testFilesUnder(path);
        aclPaths.push(given);
      } else if (extname(path) === TEST_EXTENSION) found = [path];
      else aclPaths.push(given);
    } catch {
      aclPaths.push(given);
    }
    if (found.length > 0) withTests.add(shown);
    for (const f of found)
      if (!seen.has(f)) {
        seen.add(f);
        tests.push({ path: f, shown: displayPath(f, cwd) });
      }
  }
  return { tests, aclPaths, withTests };
}
