import { hostname as osHostname } from 'node:os';
import { apiErrorToDiagnostic, isApiError } from '../api/errors.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { processAlive } from './lock.js';

/**
 * The account lock: one apply at a time per Cloudflare account, whatever checkout or machine it runs from, held in
 * the account itself as an Access tag. It rests on the two atomic operations the tags API offers (see
 * `src/emulator/tags.ts` for the sources): a tag name exists at most once, and a rename is a compare-and-swap on
 * the old name (of two renames of the same tag, one finds it gone).
 *
 * - Free: no lock tag, or a tag named `aclc-lock`. Held: a tag `aclc-lock <expiry> <run> <pid>@<host>`.
 * - Acquire: create `aclc-lock` if there is none (a second create is refused, harmlessly), then rename it to a held
 *   name. Only one rename of that tag succeeds.
 * - Take over a stale lock (expired, or its pid is dead on this host): rename *that held name* to a new held name.
 *   Of several applies that found the same stale lock, exactly one rename succeeds: the takeover is atomic.
 * - After winning, list the tags again: should another live held lock exist (two applies that created the free tag
 *   one after the other), the newer claimant backs off (deletes its own) and tries again.
 * - While held, the expiry is pushed forward by renaming (a heartbeat); a heartbeat that finds its name gone means
 *   the lock was taken over, and the apply stops starting changes (ACL0878). Release deletes the tag.
 */

export const LOCK_TAG = 'aclc-lock';
const HELD = /^aclc-lock (\d{4}-\d\d-\d\dT[\d:.]+Z) ([0-9a-f]+) (\d+)@(\S*)$/;

export interface TagApi {
  list(): Promise<{ name: string }[]>;
  create(name: string): Promise<unknown>;
  rename(from: string, to: string): Promise<unknown>;
  delete(name: string): Promise<void>;
}

export interface AccountLockOptions {
  /** How long to wait for a lock another apply holds (default 0: refuse at once). */
  timeoutMs?: number;
  /** How long a lock lasts without a heartbeat (default 2 minutes; a heartbeat every third of it). */
  ttlMs?: number;
  /** Injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  pid?: number;
  hostname?: string;
  runId?: string;
  isAlive?: (pid: number) => boolean;
}

export interface AccountLock {
  /** The held tag's current name. */
  readonly name: string;
  /** Why the lock was lost while held (a heartbeat found it taken over), or `undefined`. */
  lost(): string | undefined;
  release(): Promise<void>;
}

interface Held {
  name: string;
  expires: number;
  run: string;
  pid: number;
  host: string;
}

function parseHeld(name: string): Held | undefined {
  const m = HELD.exec(name);
  if (!m) return undefined;
  return {
    name,
    expires: Date.parse(m[1] as string),
    run: m[2] as string,
    pid: Number(m[3]),
    host: m[4] as string,
  };
}

const SPAN: Span = { file: '<account>', start: 0, end: 0 };
/** Clock skew tolerated between machines before an expired lock counts as stale. */
const SKEW_MS = 30_000;

/** Acquire the account lock; never throws (API failures come back as diagnostics). */
export async function acquireAccountLock(
  api: TagApi,
  options: AccountLockOptions = {},
): Promise<{ lock?: AccountLock; diagnostics: Diagnostic[] }> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const ttl = options.ttlMs ?? 120_000;
  const pid = options.pid ?? process.pid;
  const host = (options.hostname ?? osHostname()).replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 60);
  const run =
    options.runId ??
    Math.floor(random() * 2 ** 48)
      .toString(16)
      .padStart(12, '0');
  const alive = options.isAlive ?? processAlive;
  const deadline = now() + (options.timeoutMs ?? 0);
  const diagnostics: Diagnostic[] = [];

  const heldName = (): string => `${LOCK_TAG} ${new Date(now() + ttl).toISOString()} ${run} ${pid}@${host}`;
  const stale = (h: Held): boolean =>
    h.expires + SKEW_MS < now() || (h.host === host && h.pid !== pid && !alive(h.pid));
  const describe = (h: Held) => ({
    holder: `pid ${h.pid} on \`${h.host}\``,
    until: new Date(h.expires).toISOString(),
    tag: h.name,
  });
  const names = async (): Promise<string[]> => (await api.list()).map((t) => t.name);
  /** A rename (or create) whose answer was lost may still have happened: the list says. */
  const claimed = async (target: string, attempt: () => Promise<unknown>): Promise<boolean> => {
    try {
      await attempt();
      return true;
    } catch (e) {
      if (!isApiError(e) || (e.status !== undefined && e.status < 500 && ![404, 409].includes(e.status)))
        throw e;
      return (await names()).includes(target);
    }
  };

  try {
    for (let attempt = 1; ; attempt++) {
      const tags = await names();
      const held = tags.map(parseHeld).filter((h): h is Held => h !== undefined);
      const live = held.filter((h) => !stale(h));
      if (live.length > 0) {
        const first = live[0] as Held;
        if (now() >= deadline || attempt > 1000) {
          diagnostics.push(diagnostic('ACL0876', SPAN, describe(first)));
          return { diagnostics };
        }
        await sleep(Math.min(250, Math.max(20, deadline - now())) * (0.5 + random() / 2));
        continue;
      }
      const mine = heldName();
      let won: boolean;
      const old = held[0];
      if (old) {
        won = await claimed(mine, () => api.rename(old.name, mine));
        if (won) diagnostics.push(diagnostic('ACL0877', SPAN, describe(old)));
      } else {
        if (!tags.includes(LOCK_TAG)) await claimed(LOCK_TAG, () => api.create(LOCK_TAG));
        won = await claimed(mine, () => api.rename(LOCK_TAG, mine));
      }
      if (won) {
        // Two applies can each have renamed their own free tag: the one that sees the other backs off.
        const others = (await names())
          .map(parseHeld)
          .filter((h): h is Held => h !== undefined && h.name !== mine);
        for (const o of others.filter(stale)) await api.delete(o.name).catch(() => undefined);
        if (!others.some((o) => !stale(o)))
          return { lock: startHeartbeat(api, mine, ttl, heldName), diagnostics };
        await api.delete(mine).catch(() => undefined);
      }
      if (attempt >= 50 && now() >= deadline) {
        diagnostics.push(
          diagnostic('ACL0876', SPAN, { holder: 'another apply', until: 'unknown', tag: LOCK_TAG }),
        );
        return { diagnostics };
      }
      await sleep(20 + random() * 200);
    }
  } catch (e) {
    diagnostics.push(
      isApiError(e)
        ? apiErrorToDiagnostic(e, SPAN)
        : diagnostic('ACL0814', SPAN, { operation: 'the account lock', reason: String(e) }),
    );
    return { diagnostics };
  }
}

function startHeartbeat(api: TagApi, first: string, ttl: number, next: () => string): AccountLock {
  let name = first;
  let lost: string | undefined;
  let beating: Promise<void> = Promise.resolve();
  const beat = async (): Promise<void> => {
    if (lost !== undefined) return;
    const target = next();
    try {
      await api.rename(name, target);
      name = target;
    } catch {
      const now = await api.list().then(
        (t) => t.map((x) => x.name),
        () => undefined,
      );
      if (now?.includes(target)) name = target;
      else if (now && !now.includes(name)) lost = `the lock tag \`${name}\` was taken over`;
    }
  };
  const timer = setInterval(
    () => {
      beating = beating.then(beat);
    },
    Math.max(10, Math.floor(ttl / 3)),
  );
  timer.unref();
  let released = false;
  return {
    get name() {
      return name;
    },
    lost: () => lost,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(timer);
      await beating;
      if (lost === undefined) await api.delete(name).catch(() => undefined);
    },
  };
}
