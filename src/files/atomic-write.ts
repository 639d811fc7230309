import { randomBytes } from 'node:crypto';
import { readdirSync, type Stats, unlinkSync } from 'node:fs';
import { chmod, lstat, open, readdir, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Every file aclc writes (`-o`, `fmt`, `lint --fix`, ledgers, saved plans, `import`) goes through `writeAtomic`:
 * - readers see the old content or the new, never half (temporary file in the same folder, fsync, rename);
 * - a path that is not a regular file — a device such as `/dev/full`, a FIFO, a socket, a folder — is refused,
 *   never replaced by a regular file;
 * - a symbolic link stays a link: the write goes to the file it points at (followed to the end, even when that file
 *   does not exist yet; a loop is refused);
 * - a temporary file left by a killed write (`.<name>.aclc-<pid>-<random>.tmp`) is removed by the next write to the
 *   same file once its process is gone, and is never taken for input (it does not end in `.acl`).
 */

/** Why a write was refused or failed: `code` is a Node error code or `ENOTREG` (not a regular file). */
export class WriteError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'WriteError';
  }
}

const MAX_LINKS = 40;
const TEMP = /^\.(.+)\.aclc-(\d+)-[0-9a-f]+\.tmp$/;

/** What a non-regular file is, in words. */
export function fileKind(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** The path a write to `path` must replace: `path` itself, or the end of the chain of links it starts. */
export async function writeTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let s: Stats;
    try {
      s = await lstat(current);
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return current;
      throw e;
    }
    if (!s.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw new WriteError('ELOOP', 'too many levels of symbolic links');
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Remove the temporary files earlier writes to `target` left behind, when the process that made them is gone. */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const dir = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const m = TEMP.exec(entry);
    if (!m || m[1] !== name || alive(Number(m[2]))) continue;
    try {
      await unlink(join(dir, entry));
      removed.push(entry);
    } catch {
      // Another process got there first, or it is not ours to remove: leave it.
    }
  }
  return removed;
}

/** Temporary files of this process, removed if it exits mid-write. */
const pending = new Set<string>();
let exitHook = false;
function track(temp: string): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const t of pending)
        try {
          unlinkSync(t);
        } catch {
          // Already gone.
        }
    });
  }
  pending.add(temp);
}

export interface WriteOptions {
  /** Permissions of the file written (default: an existing file keeps its own, a new one gets 0o666 less the umask). */
  mode?: number;
}

/** Write `content` to `path` atomically (see the module comment). Throws `WriteError` or a Node error. */
export async function writeAtomic(path: string, content: string, options: WriteOptions = {}): Promise<void> {
  const target = await writeTarget(path);
  let existing: Stats | undefined;
  try {
    existing = await stat(target);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  if (existing && !existing.isFile())
    throw new WriteError(
      'ENOTREG',
      `${fileKind(existing)}, not a regular file; aclc writes only regular files`,
    );
  await removeStaleTemps(target);
  const temp = join(
    dirname(target),
    `.${basename(target)}.aclc-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const mode = options.mode ?? (existing ? existing.mode & 0o7777 : 0o666);
  track(temp);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    // `open` applies the umask; an explicit or inherited mode is set exactly.
    if (existing || options.mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  } finally {
    pending.delete(temp);
  }
}

/** Whether `name` is a temporary file of an unfinished write (never input). */
export function isTempFile(name: string): boolean {
  return TEMP.test(name);
}

/** Synchronous listing helper for tests and tools: the temporary files next to `target`. */
export function tempsOf(target: string): string[] {
  const name = basename(target);
  try {
    return readdirSync(dirname(target)).filter((e) => TEMP.exec(e)?.[1] === name);
  } catch {
    return [];
  }
}
