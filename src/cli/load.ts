import { isUtf8 } from 'node:buffer';
import { relative, resolve } from 'node:path';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { type FileSystem, nodeFileSystem } from '../files/file-system.js';
import { walkAclFiles } from '../files/walk.js';

export { SKIP_DIRS } from '../files/walk.js';

/** Files past this size are refused rather than parsed. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

const at = (file: string) => ({ file, start: 0, end: 0 });

/** A path as diagnostics show it: relative to `cwd` when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Why a file system call failed, in words (for ACL0002, ACL0007); `link` when a link's target was sought. */
export function readFailure(error: unknown, what: 'file' | 'link' = 'file'): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT')
    return what === 'link' ? 'broken symbolic link (its target does not exist)' : 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links (a loop)';
  if (code === 'ENAMETOOLONG') return 'the path is longer than the system allows';
  if (code === 'EMFILE' || code === 'ENFILE') return 'too many open files';
  if (code === 'EIO') return 'input/output error';
  return code ?? 'unreadable';
}

/** Decode a file as UTF-8, refusing binary content (NUL bytes or invalid UTF-8). */
function decode(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  // isUtf8 is much cheaper at start-up than a fatal TextDecoder.
  return isUtf8(bytes) ? bytes.toString('utf8').replace(/^\uFEFF/, '') : undefined;
}

/**
 * Read a file's text for the loader (`path` absolute, shown as `name`): at most `MAX_FILE_BYTES` (ACL0004), a
 * regular file only (ACL0006: a FIFO, device or socket is never read), readable (ACL0002). Bytes are decoded as
 * UTF-8 without further checks.
 */
export function readText(
  path: string,
  name: string,
  fs: FileSystem = nodeFileSystem,
): { text: string; bytes: Buffer } | { diagnostic: Diagnostic } {
  let bytes: Buffer;
  try {
    bytes = fs.readFile(path, MAX_FILE_BYTES);
  } catch (error) {
    const kind = (error as { kind?: string }).kind;
    if (kind !== undefined) return { diagnostic: diagnostic('ACL0006', at(name), { path: name, kind }) };
    return { diagnostic: diagnostic('ACL0002', at(name), { path: name, reason: readFailure(error) }) };
  }
  if (bytes.length > MAX_FILE_BYTES) {
    let size = bytes.length;
    try {
      size = fs.stat(path).size;
    } catch {
      // The size read so far says enough.
    }
    return { diagnostic: diagnostic('ACL0004', at(name), { path: name, size, limit: MAX_FILE_BYTES }) };
  }
  return { text: bytes.toString('utf8'), bytes };
}

/**
 * Read one source file (`path` absolute, shown as `name`) with the loader's checks: too large (ACL0004), not a
 * regular file (ACL0006), binary (ACL0003), unreadable (ACL0002).
 */
export function readSource(
  path: string,
  name: string,
  fs: FileSystem = nodeFileSystem,
): { file: SourceFile } | { diagnostic: Diagnostic } {
  const read = readText(path, name, fs);
  if ('diagnostic' in read) return read;
  const text = decode(read.bytes);
  if (text === undefined) return { diagnostic: diagnostic('ACL0003', at(name), { path: name }) };
  return { file: new SourceFile(name, text) };
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
      const stat = nodeFileSystem.stat(path);
      if (stat.isDirectory()) {
        found = walkAclFiles(path, {
          fs: nodeFileSystem,
          recursive: true,
          fail: (f) => {
            const where = displayPath(f.path, cwd);
            const reason = readFailure({ code: f.code }, f.what === 'link' ? 'link' : 'file');
            diagnostics.push(
              diagnostic(f.what === 'folder' ? 'ACL0007' : 'ACL0002', at(where), { path: where, reason }),
            );
          },
        });
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
