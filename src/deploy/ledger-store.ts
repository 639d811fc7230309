import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAtomic } from '../files/atomic-write.js';
import { type Ledger, parseLedger } from './ledger.js';

/** Default ledger location, relative to the project folder. */
export const DEFAULT_LEDGER_PATH = '.aclc/state.json';

/**
 * Write a file atomically (files/atomic-write.ts: temporary file, fsync, rename; devices, FIFOs and sockets refused,
 * links written through), creating its folder; owner-only permissions, since ledgers and plans describe the account.
 * Readers see the old content or the new, never half.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeAtomic(path, text, { mode: 0o600 });
}

/** Read the ledger file: `undefined` when it does not exist; `error` when it exists but is unusable. */
export async function loadLedger(path: string): Promise<{ ledger?: Ledger; error?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return {};
    return { error: code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable') };
  }
  return parseLedger(text);
}

/**
 * Persists a ledger atomically (temporary file, fsync, rename), one write at a time: saves requested while a
 * write is in flight are coalesced into one more write, and every caller's promise settles once a write that
 * includes its change is on disk.
 */
export class LedgerWriter {
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  writes = 0;

  constructor(
    private readonly path: string,
    private readonly ledger: Ledger,
  ) {}

  save(): Promise<void> {
    if (this.next) return this.next;
    if (!this.inFlight) return this.start();
    const after = this.inFlight.then(
      () => undefined,
      () => undefined,
    );
    this.next = after.then(() => {
      this.next = undefined;
      return this.start();
    });
    return this.next;
  }

  private start(): Promise<void> {
    const run = this.write().finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  private async write(): Promise<void> {
    this.writes++;
    await writeFileAtomically(this.path, this.ledger.serialize());
  }
}
