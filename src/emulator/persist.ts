/**
 * Loading and saving emulator state. Saves are atomic (temporary file, fsync, rename) and strictly ordered, so a
 * killed emulator keeps every write it acknowledged.
 */
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { validateEmulatorSeed } from '../generated/emulator-validators.js';
import { type EmulatorState, type NormaliseOptions, normaliseState } from './state.js';
import { check } from './validators.js';

export class StateFileError extends Error {
  constructor(
    readonly what: 'seed file' | 'state file',
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot load emulator ${what} \`${path}\`: ${reason}`);
    this.name = 'StateFileError';
  }
}

/** Read a seed or state file; `undefined` when a state file does not exist yet. */
export async function loadStateFile(
  path: string,
  what: 'seed file' | 'state file',
  opts: NormaliseOptions,
): Promise<EmulatorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT' && what === 'state file') return undefined;
    throw new StateFileError(what, path, code === 'ENOENT' ? 'no such file' : String(code ?? e));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(what, path, `not JSON (${(e as Error).message})`);
  }
  // The shape first (schemas/emulator-seed.schema.json), so the message names the place: `apps[0].policies`.
  const shape = check(validateEmulatorSeed, json);
  if (!shape.valid) {
    const more = shape.errors.length > 3 ? ` (and ${shape.errors.length - 3} more)` : '';
    throw new StateFileError(what, path, `${shape.errors.slice(0, 3).join('; ')}${more}`);
  }
  const state = normaliseState(json, opts);
  if (typeof state === 'string') throw new StateFileError(what, path, state);
  return state;
}

/** Serialises saves: each call writes the snapshot it is given, after every earlier one has landed. */
export class StateWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  save(snapshot: string): Promise<void> {
    const next = this.chain.then(() =>
      writeFileAtomic(this.path, snapshot, { fsync: true, encoding: 'utf8' }),
    );
    // Keep the chain alive after a failure; the caller of this save still sees it.
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Wait for every save issued so far. */
  flush(): Promise<void> {
    return this.chain;
  }
}
