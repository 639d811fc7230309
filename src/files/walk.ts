import { extname, join } from 'node:path';
import type { FileSystem } from './file-system.js';

/** Folders never searched for `.acl` files (besides hidden ones): dependencies, build output, golden files. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'expected']);

/** Something the walk met and could not read (a folder, a link, a configuration check), with the error's code. */
export interface WalkFailure {
  path: string;
  code: string;
  /** What was being read: a folder's entries, a link's target, or whether a folder holds a configuration. */
  what: 'folder' | 'link' | 'config';
}

export interface WalkOptions {
  fs: FileSystem;
  /** Search subfolders too. */
  recursive: boolean;
  /** Whether a folder is another project (not entered); may throw like any file-system call. */
  isProject?: (dir: string) => boolean;
  /** Folders not to enter (matched by an `ignore` glob): not read at all, so not a failure either. */
  skip?: (dir: string) => boolean;
  /** Where failures are reported; the walk goes on past them. */
  fail(failure: WalkFailure): void;
}

const code = (e: unknown): string => (e as { code?: string }).code ?? 'EIO';

/**
 * The `.acl` files of `dir` (sorted by name at each level), below it too when `recursive`. Nothing met is skipped
 * silently: a folder that cannot be listed, a link that leads nowhere, a check that fails are each reported through
 * `fail`, and the walk goes on. Symbolic links are followed, to files and to folders; a folder already entered on
 * this walk (a link back up the tree, or two links to one place) is not entered again, and a file reached by two
 * paths is listed once (by the first path met). `.acl` entries that are not regular files (a FIFO, a device) are
 * listed so that reading them reports what they are.
 */
export function walkAclFiles(dir: string, options: WalkOptions): string[] {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const real = (path: string, what: WalkFailure['what']): string | undefined => {
    try {
      return options.fs.realpath(path);
    } catch (e) {
      options.fail({ path, code: code(e), what });
      return undefined;
    }
  };
  /** A file's real path: its folder's real path and its name, unless it is itself a link. */
  const addFile = (path: string, realDir: string, name: string, link: boolean): void => {
    const key = link ? real(path, 'link') : join(realDir, name);
    if (key === undefined || seenFiles.has(key)) return;
    seenFiles.add(key);
    out.push(path);
  };
  const enter = (folder: string, top: boolean): void => {
    // A walk may start in a folder that does not exist (yet): a file named from stdin or an editor buffer. It has
    // nothing to read, so nothing is lost.
    if (top) {
      try {
        options.fs.stat(folder);
      } catch (e) {
        if (code(e) === 'ENOENT') return;
      }
    }
    const key = real(folder, 'folder');
    if (key === undefined || seenDirs.has(key)) return;
    seenDirs.add(key);
    if (!top && options.skip?.(folder)) return;
    if (!top && options.isProject) {
      try {
        if (options.isProject(folder)) return;
      } catch (e) {
        options.fail({ path: folder, code: code(e), what: 'config' });
        return;
      }
    }
    let entries: ReturnType<FileSystem['readdir']>;
    try {
      entries = options.fs.readdir(folder).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      options.fail({ path: folder, code: code(e), what: 'folder' });
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const isAcl = extname(entry.name) === '.acl';
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDir = options.fs.stat(path).isDirectory();
        } catch (e) {
          // A broken link is reported when it names a source, or when it loops; other broken links are not ours.
          if (isAcl || code(e) === 'ELOOP') options.fail({ path, code: code(e), what: 'link' });
          continue;
        }
      }
      if (isDir) {
        if (!options.recursive || SKIP_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
        enter(path, false);
      } else if (isAcl) addFile(path, key, entry.name, entry.isSymbolicLink());
    }
  };
  enter(dir, true);
  return out;
}
