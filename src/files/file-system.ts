import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { fileKind } from './atomic-write.js';

/**
 * The file-system calls source discovery makes, behind an interface so tests can make any of them fail (permission
 * denied cannot be staged on disk when tests run as root). Every call throws a Node-style error (`code`) on failure;
 * nothing here swallows one.
 */
export interface FileSystem {
  /** Entries of a folder. */
  readdir(path: string): Dirent[];
  /** `stat`, following symbolic links. */
  stat(path: string): Stats;
  /** The path with every symbolic link resolved. */
  realpath(path: string): string;
  /**
   * At most `limit + 1` bytes of a regular file (so a caller sees it is larger than `limit`); throws `ENOTREG` with
   * the file's kind for anything else (a FIFO or device is never read: it could block or never end).
   */
  readFile(path: string, limit: number): Buffer;
}

/** A Node error with a code and the kind of file met, for `ENOTREG`. */
export function notRegular(kind: string): Error & { code: string; kind: string } {
  return Object.assign(new Error(`${kind}, not a regular file`), { code: 'ENOTREG', kind });
}

/** The real disk. */
export const nodeFileSystem: FileSystem = {
  readdir: (path) => readdirSync(path, { withFileTypes: true }),
  stat: (path) => statSync(path),
  realpath: (path) => realpathSync.native(path),
  readFile(path, limit) {
    // O_NONBLOCK: opening a FIFO does not wait for a writer; what the path is gets checked on the open file.
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      // A socket cannot be opened at all (ENXIO): say what it is rather than the error.
      const s = (() => {
        try {
          return statSync(path);
        } catch {
          return undefined;
        }
      })();
      if (s && !s.isFile() && !s.isDirectory()) throw notRegular(fileKind(s));
      throw e;
    }
    try {
      const s = fstatSync(fd);
      if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (!s.isFile()) throw notRegular(fileKind(s));
      const max = limit + 1;
      const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(max, s.size + 1)));
      let length = 0;
      let chunk = buffer;
      for (;;) {
        if (length === chunk.length) {
          if (chunk.length >= max) break;
          const grown = Buffer.allocUnsafe(Math.min(max, chunk.length * 2));
          chunk.copy(grown, 0, 0, length);
          chunk = grown;
        }
        const n = readSync(fd, chunk, length, chunk.length - length, null);
        if (n === 0) break;
        length += n;
      }
      return chunk.subarray(0, length);
    } finally {
      closeSync(fd);
    }
  },
};
