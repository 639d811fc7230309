import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { dirname } from 'node:path';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';

/** What a lock file holds: who took it, where, and when. */
export interface LockHolder {
  pid: number;
  hostname: string;
  started: string;
}

export interface LockOptions {
  /** Remove an existing lock first (`--force-unlock`). */
  forceUnlock?: boolean;
  /** Injectable for tests. */
  pid?: number;
  hostname?: string;
  now?: () => Date;
  isAlive?: (pid: number) => boolean;
}

/** A held lock; `release` removes the lock file (idempotent). */
export interface LedgerLock {
  path: string;
  release(): Promise<void>;
}

/** The lock file of a ledger: `state.json.lock` next to `state.json`. */
export function lockPathOf(ledgerPath: string): string {
  return `${ledgerPath}.lock`;
}

/** Whether a process with this pid runs on this host (`kill(pid, 0)`; EPERM means it exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const j = JSON.parse(text) as Partial<LockHolder> | null;
    if (j && Number.isInteger(j.pid) && typeof j.hostname === 'string' && typeof j.started === 'string')
      return { pid: j.pid as number, hostname: j.hostname, started: j.started };
  } catch {
    // unreadable: treated as held by an unknown holder
  }
  return undefined;
}

/**
 * Take the exclusive lock of a ledger for the duration of an apply: create `<ledger>.lock` with `open(…, 'wx')`,
 * holding pid, hostname and start time. A lock held by a live process (or by another host, or unreadable) is
 * refused (ACL0870); a lock whose pid is not alive on this host is stale and taken over with a warning (ACL0871);
 * `forceUnlock` removes any lock first. Never throws.
 */
export async function acquireLedgerLock(
  ledgerPath: string,
  options: LockOptions = {},
): Promise<{ lock?: LedgerLock; diagnostics: Diagnostic[] }> {
  const path = lockPathOf(ledgerPath);
  const span: Span = { file: path, start: 0, end: 0 };
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    hostname: options.hostname ?? osHostname(),
    started: (options.now ?? (() => new Date()))().toISOString(),
  };
  const alive = options.isAlive ?? processAlive;
  const diagnostics: Diagnostic[] = [];
  const cannot = (e: unknown) => {
    const code = (e as { code?: string }).code;
    diagnostics.push(
      diagnostic('ACL0872', span, {
        lock: path,
        reason: code === 'EACCES' ? 'permission denied' : (code ?? String(e)),
      }),
    );
    return { diagnostics };
  };
  try {
    await mkdir(dirname(path), { recursive: true });
    if (options.forceUnlock) await rm(path, { force: true });
  } catch (e) {
    return cannot(e);
  }
  /** Takeover markers this apply created; removed with the lock (late losers are long gone by then). */
  const takeovers: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`, 'utf8');
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        lock: {
          path,
          release: async () => {
            if (released) return;
            released = true;
            await rm(path, { force: true });
            for (const m of takeovers) await rm(m, { force: true });
          },
        },
        diagnostics,
      };
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') return cannot(e);
    }
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') continue; // released meanwhile: try again
      return cannot(e);
    }
    const holder = parseHolder(text);
    const args = {
      path: ledgerPath,
      lock: path,
      pid: holder ? String(holder.pid) : 'unknown',
      host: holder?.hostname ?? 'unknown',
      started: holder?.started ?? 'unknown',
    };
    if (attempt === 0 && holder && holder.hostname === me.hostname && !alive(holder.pid)) {
      // Taking over must be atomic: of several applies that find the same stale lock, exactly one may remove it.
      // Each tries to create a marker named after that holder, exclusively; only the winner removes the lock, and
      // only while it still holds that very holder (nobody else touches it: its owner is dead, the others lost).
      const marker = `${path}.takeover-${holder.pid}-${holder.started.replace(/[^0-9A-Za-z]/g, '')}`;
      try {
        const h = await open(marker, 'wx', 0o600);
        await h.close();
      } catch (e) {
        if ((e as { code?: string }).code === 'EEXIST') {
          diagnostics.push(diagnostic('ACL0870', span, args));
          return { diagnostics };
        }
        return cannot(e);
      }
      takeovers.push(marker);
      try {
        if ((await readFile(path, 'utf8')) === text) await rm(path, { force: true });
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOENT') return cannot(e);
      }
      diagnostics.push(diagnostic('ACL0871', span, args));
      continue;
    }
    diagnostics.push(diagnostic('ACL0870', span, args));
    return { diagnostics };
  }
  diagnostics.push(
    diagnostic('ACL0870', span, {
      path: ledgerPath,
      lock: path,
      pid: 'unknown',
      host: 'unknown',
      started: 'unknown',
    }),
  );
  return { diagnostics };
}
