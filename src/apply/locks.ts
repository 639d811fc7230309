import { type AccountLock, acquireAccountLock } from '../deploy/account-lock.js';
import { acquireLedgerLock, type LedgerLock } from '../deploy/lock.js';
import { type Connection, durationMs } from '../deploy/workflow.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';

/**
 * The two locks an apply holds from before it reads the account and the ledger until it ends: the ledger's lock
 * file (`state.json.lock`, this checkout) and the account lock (an Access tag, every checkout and machine).
 */

/** What an apply holds, released by the command whatever happens. */
export interface ApplyHold {
  /** Set by Ctrl-C (SIGINT): start nothing new, finish what is in flight, record it, release the locks. */
  interrupted?: boolean;
  lock?: LedgerLock;
  /** The lock held in the account (an Access tag), shared by every checkout and machine. */
  account?: AccountLock;
}

export interface LockOptions {
  /** Remove the ledger's lock file left by an apply that did not finish. */
  forceUnlock?: boolean;
  /** How long to wait for the account lock another apply holds (`30s`, `5m`; default 0). */
  lockTimeout?: string;
  /** `false` with `--no-account-lock`: do not take the lock held in the account. */
  accountLock?: boolean;
}

/**
 * Take the ledger's lock, then (unless it failed) the account lock, into `held`. The caller stops on errors or when
 * `held.interrupted`.
 */
export async function takeLocks(
  statePath: string,
  connection: Connection,
  options: LockOptions,
  held: ApplyHold,
): Promise<Diagnostic[]> {
  const diagnostics = await lockLedger(statePath, options, held);
  if (!hasErrors(diagnostics)) diagnostics.push(...(await lockAccount(connection, options, held)));
  return diagnostics;
}

/**
 * Take the account lock before the account is read, so the plan is made from what every other apply has finished
 * writing: two applies from two checkouts can never both create the same object.
 */
async function lockAccount(
  connection: Connection,
  options: LockOptions,
  held: ApplyHold,
): Promise<Diagnostic[]> {
  if (options.accountLock === false) return [];
  // A bare number is seconds; no timeout given: do not wait.
  const timeoutMs = options.lockTimeout === undefined ? 0 : durationMs(options.lockTimeout, 1000);
  if (timeoutMs === undefined)
    return [
      diagnostic(
        'ACL0833',
        { file: '<command line>', start: 0, end: 0 },
        {
          option: '--lock-timeout',
          reason: `\`${options.lockTimeout}\` is not a duration`,
          usage: 'write a number of seconds or minutes, e.g. `30s` or `5m`',
        },
      ),
    ];
  // Ctrl-C while waiting for another apply's lock ends the wait: the next pause fails, and the lock gives up as on
  // any failure, removing its own claim (and nothing else).
  const sleep = (ms: number) =>
    held.interrupted
      ? Promise.reject(new Error('interrupted'))
      : new Promise<void>((resolve) => setTimeout(resolve, ms));
  const taken = await acquireAccountLock(connection.client.resources.tags, { timeoutMs, sleep });
  if (taken.lock) held.account = taken.lock;
  // Interrupted: the refusal the wait ended with is not the reason to report (runApply says it was interrupted).
  return held.interrupted && !taken.lock ? [] : taken.diagnostics;
}

async function lockLedger(path: string, options: LockOptions, held: ApplyHold): Promise<Diagnostic[]> {
  const taken = await acquireLedgerLock(path, { forceUnlock: options.forceUnlock === true });
  if (taken.lock) held.lock = taken.lock;
  return taken.diagnostics;
}
