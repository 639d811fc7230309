import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { INIT_FILES, nextSteps, starterFiles } from '../../init/index.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { displayPath } from '../load.js';
import { writeAtomically } from '../write.js';

/**
 * `aclc init [folder]`: a starter project (configuration, policies, emulator seed) that lints, compiles and deploys
 * to the emulator. Refuses to overwrite anything: when one of the files exists, nothing is written (exit 2).
 */
export async function runInit(folder: string | undefined, io: Io): Promise<number> {
  const dir = resolve(io.cwd, folder ?? '.');
  const shown = displayPath(dir, io.cwd) || '.';
  const at = (file: string) => ({ file, start: 0, end: 0 });
  const existing = INIT_FILES.map((name) => join(dir, name)).filter((path) => {
    try {
      lstatSync(path);
      return true;
    } catch {
      return false;
    }
  });
  if (existing.length > 0) {
    const diagnostics = existing.map((path) =>
      diagnostic('ACL0721', at(displayPath(path, io.cwd)), { path: displayPath(path, io.cwd) }),
    );
    reportDiagnostics(io, diagnostics, []);
    return EXIT.usage;
  }
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const failures: Diagnostic[] = [];
  const written: string[] = [];
  for (const [name, text] of Object.entries(starterFiles())) {
    const failure = await writeAtomically(join(dir, name), text);
    if (failure) failures.push(failure);
    else written.push(displayPath(join(dir, name), io.cwd));
  }
  if (failures.length > 0) {
    reportDiagnostics(io, failures, []);
    return exitFor(failures);
  }
  io.out(`created ${written.join(', ')}\n${nextSteps(shown === '' ? '.' : shown)}`);
  return EXIT.ok;
}
