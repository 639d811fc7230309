import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';

/** Files past this size are refused rather than parsed. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Folders never searched for `.acl` files (besides hidden ones): dependencies, build output, golden files. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'expected']);

const at = (file: string) => ({ file, start: 0, end: 0 });

/** A path as diagnostics show it: relative to `cwd` when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Every `.acl` file under `dir`, sorted, skipping dependency and output folders. */
function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name), out);
    } else if (entry.isFile() && extname(entry.name) === '.acl') out.push(join(dir, entry.name));
  }
}

/** Why a file system call failed, in words (for ACL0002). */
export function readFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? 'unreadable';
}

/** Decode a file as UTF-8, refusing binary content (NUL bytes or invalid UTF-8). */
function decode(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  // isUtf8 is much cheaper at start-up than a fatal TextDecoder.
  return isUtf8(bytes) ? bytes.toString('utf8').replace(/^\uFEFF/, '') : undefined;
}

/**
 * Read one source file (`path` absolute, shown as `name`) with the loader's checks: too large (ACL0004), binary
 * (ACL0003), unreadable (ACL0002).
 */
export function readSource(path: string, name: string): { file: SourceFile } | { diagnostic: Diagnostic } {
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES)
      return { diagnostic: diagnostic('ACL0004', at(name), { path: name, size, limit: MAX_FILE_BYTES }) };
    const text = decode(readFileSync(path));
    if (text === undefined) return { diagnostic: diagnostic('ACL0003', at(name), { path: name }) };
    return { file: new SourceFile(name, text) };
  } catch (error) {
    return { diagnostic: diagnostic('ACL0002', at(name), { path: name, reason: readFailure(error) }) };
  }
}

/**
 * Every `.acl` file named by `paths` (files, or folders searched recursively) merged into one list, with paths
 * relative to `cwd`, plus diagnostics for what could not be read. It knows nothing of projects: the commands use
 * `discoverProjects` (projects.ts), which applies the project rule and reads files with `readSource`.
 */
export function loadSources(
  paths: string[],
  cwd = process.cwd(),
): { files: SourceFile[]; diagnostics: Diagnostic[] } {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const path = resolve(cwd, given);
    const shown = displayPath(path, cwd);
    let found: string[];
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        found = [];
        walk(path, found);
        if (found.length === 0) {
          diagnostics.push(diagnostic('ACL0001', at(shown), { path: shown }));
          continue;
        }
      } else found = [path];
    } catch (error) {
      diagnostics.push(diagnostic('ACL0002', at(shown), { path: shown, reason: readFailure(error) }));
      continue;
    }
    for (const file of found) {
      const name = displayPath(file, cwd);
      if (seen.has(name)) continue;
      seen.add(name);
      const read = readSource(file, name);
      if ('file' in read) files.push(read.file);
      else diagnostics.push(read.diagnostic);
    }
  }
  return { files, diagnostics };
}
