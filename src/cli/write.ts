import writeFileAtomic from 'write-file-atomic';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Write a file atomically (temporary file, fsync, rename): readers see the old content or the new, never half.
 * Returns a diagnostic instead of throwing.
 */
export async function writeAtomically(path: string, content: string): Promise<Diagnostic | undefined> {
  try {
    await writeFileAtomic(path, content, { encoding: 'utf8', fsync: true });
    return undefined;
  } catch (error) {
    const reason =
      (error as { code?: string }).code ?? (error instanceof Error ? error.message : 'write failed');
    return diagnostic('ACL0702', { file: path, start: 0, end: 0 }, { path, reason });
  }
}
