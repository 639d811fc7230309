import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { WriteError, writeAtomic } from '../files/atomic-write.js';

/** Why a write failed, in words (for ACL0702). */
export function writeFailure(error: unknown): string {
  if (error instanceof WriteError) return error.reason;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'the folder does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return code ?? (error instanceof Error ? error.message : 'write failed');
}

/**
 * Write a file atomically (temporary file, fsync, rename): readers see the old content or the new, never half; a
 * device, FIFO or socket is refused and a symbolic link written through (see files/atomic-write.ts).
 * Returns a diagnostic instead of throwing.
 */
export async function writeAtomically(path: string, content: string): Promise<Diagnostic | undefined> {
  try {
    await writeAtomic(path, content);
    return undefined;
  } catch (error) {
    return diagnostic('ACL0702', { file: path, start: 0, end: 0 }, { path, reason: writeFailure(error) });
  }
}
