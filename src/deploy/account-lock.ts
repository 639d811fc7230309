import { hostname as osHostname } from 'node:os';
import { apiErrorToDiagnostic, isApiError } from '../api/errors.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { processAlive } from './lock.js';

/**
 * The account lock: one apply at a time per Cloudflare account, whatever checkout or machine it runs from, held in
 * the account itself as Access tags. It uses only what Cloudflare documents about tags — create a tag of a name
 * (`POST /access/tags`), list the tags (`GET /access/tags`), delete a tag by its name — and does **not** rely on a
 * duplicate name being refused, nor on a rename, neither of which any Cloudflare source shows (see
 * `src/emulator/tags.ts` and docs/deploy.md). It needs one thing of the API: a list started after a create was
 * answered shows that tag (read-after-write), as every recorded list does for the tags created before it.
 *
 * Claim, then verify (the classic "write your flag, then read the others'" mutual exclusion):
 * - A claim is a tag with a name no other apply can choose: `aclc-lock-claim <expiry> <run>.<n> <pid>@<host>`, `run`
 *   random per apply, `n` per tag. A lock held is the same with `aclc-lock` (`aclc-lock <expiry> <run>.<n> …`).
 * - Acquire: list; while another apply's live tag is there, wait (or refuse, ACL0876). Then create a claim and list
 *   again. With no live tag of another apply in that list, the claim wins: it is swapped for a held tag (create the
 *   held one, then delete the claim). Otherwise the claim is withdrawn (deleted), except by the claimant with the
 *   smallest run id among claimants, which keeps it and lists again until the others have withdrawn (so of
 *   applies that race for a free account one wins, not none), unless a held tag shows up.
 * - INVARIANT (at most one holder): an apply wins only on a list, made after its own claim was created, that holds no
 *   live tag of another apply; and a winner keeps a tag at all times until it releases. Of two winners, the one that
 *   listed second created its claim after the other's list, so after the other's claim existed: its list would
 *   have shown it. Safe whatever a duplicate create does, because every name is unique to one claim.
 * - A tag whose expiry is past (plus 30 s of clock skew), or whose pid is no longer running on this host, is stale:
 *   it is ignored and deleted, so taking over a stopped apply's lock is the same race as above (ACL0877).
 * - While held, the expiry is pushed forward (a heartbeat every third of the TTL): a new held tag is created, then
 *   the old one deleted, so one is always there. A heartbeat that finds its tag gone means another apply judged
 *   it stale and may hold the lock: the apply starts no further change (ACL0878). Release deletes every tag of the
 *   run (including one whose create was answered too late).
 */

export const LOCK_TAG = 'aclc-lock';
const CLAIM_TAG = 'aclc-lock-claim';
const TAG = /^(aclc-lock|aclc-lock-claim) (\d{4}-\d\d-\d\dT[\d:.]+Z) ([0-9a-f]+)(?:\.(\d+))? (\d+)@(\S*)$/;

/** What the lock needs of the tags API (`AccessTags` satisfies it). */
export interface TagApi {
  list(): Promise<{ name: string }[]>;
  create(name: string): Promise<unknown>;
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

interface LockTag {
  name: string;
  held: boolean;
  expires: number;
  run: string;
  pid: number;
  host: string;
}

/** Whether a tag is part of an account lock (held, claimed, or the free tag of earlier versions). */
export function isLockTag(name: string): boolean {
  return name === LOCK_TAG || TAG.test(name);
}

function parseTag(name: string): LockTag | undefined {
  const m = TAG.exec(name);
  if (!m) return undefined;
  return {
    name,
    held: m[1] === LOCK_TAG,
    expires: Date.parse(m[2] as string),
    run: m[3] as string,
    pid: Number(m[5]),
    host: m[6] as string,
  };
}

const SPAN: Span = { file: '<account>', start: 0, end: 0 };
/** Clock skew tolerated between machines before an expired lock counts as stale. */
const SKEW_MS = 30_000;
/** How long the smallest claimant waits for the others to withdraw, even when told not to wait. */
const SETTLE_MS = 10_000;

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
  const started = now();
  const deadline = started + (options.timeoutMs ?? 0);
  const diagnostics: Diagnostic[] = [];
  let seq = 0;
  const nameOf = (kind: string): string =>
    `${kind} ${new Date(now() + ttl).toISOString()} ${run}.${++seq} ${pid}@${host}`;
  const stale = (t: LockTag): boolean =>
    t.expires + SKEW_MS < now() || (t.host === host && t.pid !== pid && !alive(t.pid));
  const describe = (t: LockTag) => ({
    holder: `pid ${t.pid} on \`${t.host}\``,
    until: new Date(t.expires).toISOString(),
    tag: t.name,
  });
  let staleSeen: LockTag | undefined;
  /** The lock tags in the account: this run's, and other applies' live ones (stale ones are deleted). */
  const look = async (): Promise<{ mine: string[]; others: LockTag[] }> => {
    const tags = (await api.list()).map((t) => parseTag(t.name)).filter((t): t is LockTag => !!t);
    const others: LockTag[] = [];
    for (const t of tags.filter((x) => x.run !== run)) {
      if (!stale(t)) others.push(t);
      else {
        staleSeen ??= t;
        await api.delete(t.name).catch(() => undefined);
      }
    }
    return { mine: tags.filter((t) => t.run === run).map((t) => t.name), others };
  };
  /** Create a tag. A failure after the client's retries stands, unless the list shows the tag (an answer lost). */
  const create = async (name: string): Promise<void> => {
    try {
      await api.create(name);
    } catch (e) {
      if (!isApiError(e) || !(await api.list()).some((t) => t.name === name)) throw e;
    }
  };
  const sweep = async (): Promise<void> => {
    const { mine } = await look().catch(() => ({ mine: [] as string[] }));
    for (const name of mine) await api.delete(name).catch(() => undefined);
  };
  const refuse = (holder: LockTag | undefined) => {
    diagnostics.push(
      diagnostic(
        'ACL0876',
        SPAN,
        holder ? describe(holder) : { holder: 'another apply', until: 'unknown', tag: LOCK_TAG },
      ),
    );
    return { diagnostics };
  };
  const pause = () => sleep(Math.min(250, Math.max(20, deadline - now())) * (0.5 + random() / 2));

  try {
    for (let attempt = 1; attempt <= 10_000; attempt++) {
      const before = await look();
      if (before.others.length > 0) {
        if (now() >= deadline) return refuse(before.others.find((t) => t.held) ?? before.others[0]);
        await pause();
        continue;
      }
      const claim = nameOf(CLAIM_TAG);
      const claimedAt = now();
      await create(claim);
      // Verify: win on a list with no live tag of another apply; the smallest claimant waits for the others.
      for (;;) {
        const { mine, others } = await look();
        if (!mine.includes(claim)) break; // deleted as stale by another apply (a very slow claim): claim again
        const fresh = now() < claimedAt + ttl / 2;
        if (others.length === 0 && fresh) {
          const held = nameOf(LOCK_TAG);
          await create(held);
          await api.delete(claim).catch(() => undefined);
          if (staleSeen) diagnostics.push(diagnostic('ACL0877', SPAN, describe(staleSeen)));
          return { lock: startHeartbeat(api, held, ttl, () => nameOf(LOCK_TAG)), diagnostics };
        }
        const holder = others.find((t) => t.held);
        const smallest = others.every((t) => t.run > run);
        if (holder || !smallest || !fresh || now() >= Math.max(deadline, started + SETTLE_MS)) {
          await api.delete(claim).catch(() => undefined);
          if (now() >= deadline) {
            await sweep();
            return refuse(holder ?? others[0]);
          }
          break;
        }
        await sleep(10 + random() * 40);
      }
      await pause();
    }
    await sweep();
    return refuse(undefined);
  } catch (e) {
    await sweep();
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
  const run = parseTag(first)?.run;
  const beat = async (): Promise<void> => {
    if (lost !== undefined) return;
    const target = next();
    let created = false;
    try {
      await api.create(target);
      created = true;
    } catch {
      // An answer lost: the list below says whether it was created.
    }
    const names = await api.list().then(
      (t) => t.map((x) => x.name),
      () => undefined,
    );
    if (names === undefined) return; // cannot tell: try again at the next beat (the old tag is kept)
    created ||= names.includes(target);
    if (!names.includes(name)) {
      lost = `the lock tag \`${name}\` was removed by another apply`;
      if (created) await api.delete(target).catch(() => undefined);
      return;
    }
    if (!created) return;
    await api.delete(name).catch(() => undefined);
    name = target;
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
      // Every tag of this run: the held one, and any whose create was answered too late.
      const names = await api.list().then(
        (t) => t.map((x) => x.name),
        () => [name],
      );
      for (const n of names.filter((x) => parseTag(x)?.run === run))
        await api.delete(n).catch(() => undefined);
    },
  };
}
