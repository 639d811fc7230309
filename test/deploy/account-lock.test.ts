import { afterEach, describe, expect, it } from 'vitest';
import { AccessClient } from '../../src/api/client.js';
import { acquireAccountLock, LOCK_TAG } from '../../src/deploy/account-lock.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { Account, TOKEN } from '../integration/harness.js';

/** The account lock against the emulator's Access tags, over real HTTP. */

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(options: Parameters<typeof Account.start>[0] = {}) {
  const account = await Account.start(options);
  open.push(account);
  const client = () => {
    const c = new AccessClient({
      baseUrl: account.emu.url,
      accountId: account.emu.accountId,
      auth: { token: TOKEN },
      redactor: createRedactor(),
      backoff: { baseMs: 5, capMs: 20 },
    });
    open.push(c);
    return c.resources.tags;
  };
  return { account, client };
}

const held = (names: string[]) => names.filter((n) => n.startsWith(`${LOCK_TAG} `));

describe('account lock', () => {
  it('is a tag while held, refused to a second apply, and gone once released', async () => {
    const { account, client } = await setup();
    const first = await acquireAccountLock(client(), { pid: 11, hostname: 'ci-a' });
    expect(first.diagnostics).toEqual([]);
    expect(held(account.tags())).toEqual([first.lock?.name]);
    const second = await acquireAccountLock(client(), { pid: 12, hostname: 'ci-b' });
    expect(second.lock).toBeUndefined();
    expect(second.diagnostics.map((d) => d.code)).toEqual(['ACL0876']);
    expect(second.diagnostics[0]?.message).toContain('pid 11 on `ci-a`');
    await first.lock?.release();
    expect(account.tags()).toEqual([]);
    const third = await acquireAccountLock(client(), { pid: 12, hostname: 'ci-b' });
    expect(third.lock).toBeDefined();
    await third.lock?.release();
  });

  it('waits for the holder with a timeout, and gets it once released', async () => {
    const { client } = await setup();
    const first = await acquireAccountLock(client(), { pid: 11, hostname: 'ci-a' });
    const waiting = acquireAccountLock(client(), { pid: 12, hostname: 'ci-b', timeoutMs: 20_000 });
    setTimeout(() => void first.lock?.release(), 300);
    const second = await waiting;
    expect(second.diagnostics).toEqual([]);
    expect(second.lock?.name).toContain('12@ci-b');
    await second.lock?.release();
  });

  it.each(['refuse', 'accept'] as const)(
    'lets exactly one of many applies take over the same stale lock (many rounds, duplicates %s)',
    async (tagDuplicates) => {
      const { account, client } = await setup({ tagDuplicates });
      for (let round = 0; round < 5; round++) {
        // An apply that stopped without releasing: its expiry is long past.
        await client().create(`${LOCK_TAG} 2000-01-01T00:00:00.000Z 0000000000${round}a.1 99@gone`);
        const contenders = await Promise.all(
          [1, 2, 3, 4, 5].map((pid) => acquireAccountLock(client(), { pid, hostname: `ci-${pid}` })),
        );
        const winners = contenders.filter((c) => c.lock);
        expect(winners).toHaveLength(1);
        // The winner says it took over a stopped apply's lock, unless another contender removed it first.
        for (const d of winners[0]?.diagnostics ?? []) expect(d.code).toBe('ACL0877');
        for (const c of contenders.filter((x) => !x.lock))
          expect(c.diagnostics.map((d) => d.code)).toEqual(['ACL0876']);
        expect(held(account.tags())).toEqual([winners[0]?.lock?.name]);
        await winners[0]?.lock?.release();
        expect(account.tags()).toEqual([]);
      }
    },
  );

  it('reports an API that keeps failing as a diagnostic, holding nothing', async () => {
    const { client } = await setup({ failRate: 1, failMode: 'before' });
    const got = await acquireAccountLock(client(), { pid: 11, hostname: 'ci-a', timeoutMs: 60_000 });
    expect(got.lock).toBeUndefined();
    expect(got.diagnostics.map((d) => d.code)).toEqual([expect.stringMatching(/^ACL081\d$/)]);
  });

  it('takes over at once a lock whose pid is dead on this host', async () => {
    const { client } = await setup();
    await acquireAccountLock(client(), { pid: 424242, hostname: 'same' });
    const next = await acquireAccountLock(client(), {
      pid: 7,
      hostname: 'same',
      isAlive: (pid) => pid !== 424242,
    });
    expect(next.diagnostics.map((d) => d.code)).toEqual(['ACL0877']);
    await next.lock?.release();
  });

  it('notices when its lock was taken over (the heartbeat finds its tag gone)', async () => {
    const { account, client } = await setup();
    const first = await acquireAccountLock(client(), { pid: 11, hostname: 'ci-a', ttlMs: 1500 });
    // It missed its heartbeats (a paused process): another apply found it stale, removed it and holds the lock.
    const api = client();
    await api.delete(first.lock?.name as string);
    await api.create(`${LOCK_TAG} 2999-01-01T00:00:00.000Z 0000000000bb.1 1@elsewhere`);
    await new Promise((r) => setTimeout(r, 1200));
    expect(first.lock?.lost()).toMatch(/was removed by another apply/);
    await first.lock?.release();
    // Release removes only its own tags, never the new holder's.
    expect(held(account.tags())).toEqual([`${LOCK_TAG} 2999-01-01T00:00:00.000Z 0000000000bb.1 1@elsewhere`]);
  });

  it('pushes its expiry forward while held, one tag at a time, and keeps others out', async () => {
    const { account, client } = await setup();
    const first = await acquireAccountLock(client(), { pid: 11, hostname: 'ci-a', ttlMs: 3000 });
    const name = first.lock?.name;
    await new Promise((r) => setTimeout(r, 1500));
    expect(first.lock?.lost()).toBeUndefined();
    expect(first.lock?.name).not.toBe(name);
    expect(held(account.tags())).toEqual([first.lock?.name]);
    const second = await acquireAccountLock(client(), { pid: 12, hostname: 'ci-b' });
    expect(second.diagnostics.map((d) => d.code)).toEqual(['ACL0876']);
    await first.lock?.release();
    expect(account.tags()).toEqual([]);
  });

  it.each(['refuse', 'accept'] as const)(
    'never gives the lock to two applies that race for a free account (many rounds, faults, duplicates %s)',
    async (tagDuplicates) => {
      let seed = 14;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const { account, client } = await setup({ failRate: 0.2, failMode: 'mixed', random, tagDuplicates });
      for (let round = 0; round < 10; round++) {
        const inside: string[] = [];
        let overlap = 0;
        await Promise.all(
          [1, 2, 3].map(async (pid) => {
            const got = await acquireAccountLock(client(), { pid, hostname: `h${pid}`, timeoutMs: 20_000 });
            if (!got.lock) return;
            inside.push(String(pid));
            if (inside.length > 1) overlap++;
            await new Promise((r) => setTimeout(r, 20));
            inside.pop();
            await got.lock.release();
          }),
        );
        expect(overlap).toBe(0);
      }
      expect(held(account.tags())).toEqual([]);
    },
    60_000,
  );
});
