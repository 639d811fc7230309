import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLedgerLock, lockPathOf, processAlive } from '../../src/deploy/lock.js';
import { Account, aclc, BASE, Project, TOKEN } from '../integration/harness.js';

/** The ledger lock: one apply at a time per ledger; stale locks taken over; always released. */

const dirs: string[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ledgerIn(): string {
  const d = mkdtempSync(join(tmpdir(), 'aclc-lock-'));
  dirs.push(d);
  return join(d, '.aclc', 'state.json');
}

const NOW = () => new Date('2026-01-02T03:04:05.000Z');

describe('acquireLedgerLock', () => {
  it('creates `state.json.lock` with pid, hostname and start time, and removes it on release', async () => {
    const ledger = ledgerIn();
    const taken = await acquireLedgerLock(ledger, { pid: 4242, hostname: 'ci-1', now: NOW });
    expect(taken.diagnostics).toEqual([]);
    expect(taken.lock?.path).toBe(`${ledger}.lock`);
    expect(JSON.parse(readFileSync(`${ledger}.lock`, 'utf8'))).toEqual({
      pid: 4242,
      hostname: 'ci-1',
      started: '2026-01-02T03:04:05.000Z',
    });
    await taken.lock?.release();
    expect(existsSync(`${ledger}.lock`)).toBe(false);
    await taken.lock?.release(); // idempotent
  });

  it('refuses a lock held by a live process, naming the holder and the way out', async () => {
    const ledger = ledgerIn();
    const first = await acquireLedgerLock(ledger, { pid: 1111, hostname: 'ci-1', now: NOW });
    const second = await acquireLedgerLock(ledger, { pid: 2222, hostname: 'ci-1', isAlive: () => true });
    expect(second.lock).toBeUndefined();
    expect(second.diagnostics).toEqual([
      {
        code: 'ACL0870',
        severity: 'error',
        message: `the state ledger \`${ledger}\` is locked by another apply (pid 1111 on \`ci-1\`, since 2026-01-02T03:04:05.000Z)`,
        help: `wait for that apply to finish; if none is running, the lock is stale: run again with \`--force-unlock\` (or delete \`${ledger}.lock\`)`,
        span: { file: `${ledger}.lock`, start: 0, end: 0 },
      },
    ]);
    // The holder's lock is untouched.
    expect(JSON.parse(readFileSync(`${ledger}.lock`, 'utf8')).pid).toBe(1111);
    await first.lock?.release();
  });

  it('never takes over a lock from another host, even if the pid is not alive here', async () => {
    const ledger = ledgerIn();
    await acquireLedgerLock(ledger, { pid: 1111, hostname: 'ci-1', now: NOW });
    const second = await acquireLedgerLock(ledger, { pid: 2222, hostname: 'ci-2', isAlive: () => false });
    expect(second.diagnostics.map((d) => d.code)).toEqual(['ACL0870']);
  });

  it('takes over a stale lock (dead pid, same host) with a warning', async () => {
    const ledger = ledgerIn();
    await acquireLedgerLock(ledger, { pid: 1111, hostname: 'ci-1', now: NOW });
    const second = await acquireLedgerLock(ledger, {
      pid: 2222,
      hostname: 'ci-1',
      isAlive: (p) => p !== 1111,
    });
    expect(second.diagnostics).toEqual([
      {
        code: 'ACL0871',
        severity: 'warning',
        message: `took over the stale lock \`${ledger}.lock\`: pid 1111 on \`ci-1\` (since 2026-01-02T03:04:05.000Z) is no longer running`,
        span: { file: `${ledger}.lock`, start: 0, end: 0 },
      },
    ]);
    expect(JSON.parse(readFileSync(`${ledger}.lock`, 'utf8')).pid).toBe(2222);
  });

  it('lets exactly one of several applies take over the same stale lock (atomic takeover)', async () => {
    for (let round = 0; round < 20; round++) {
      const ledger = ledgerIn();
      await acquireLedgerLock(ledger, { pid: 1111, hostname: 'ci-1', now: NOW });
      const contenders = await Promise.all(
        [2001, 2002, 2003, 2004].map((pid) =>
          acquireLedgerLock(ledger, { pid, hostname: 'ci-1', isAlive: (p) => p !== 1111 }),
        ),
      );
      const winners = contenders.filter((c) => c.lock);
      expect(winners).toHaveLength(1);
      const holder = JSON.parse(readFileSync(`${ledger}.lock`, 'utf8')).pid;
      expect(contenders.findIndex((c) => c.lock)).toBe([2001, 2002, 2003, 2004].indexOf(holder));
      for (const c of contenders.filter((x) => !x.lock))
        expect(c.diagnostics.map((d) => d.code)).toContain('ACL0870');
      await winners[0]?.lock?.release();
      expect(existsSync(`${ledger}.lock`)).toBe(false);
    }
  });

  it('treats an unreadable lock as held, and `forceUnlock` removes any lock', async () => {
    const ledger = ledgerIn();
    await mkdir(join(ledger, '..'), { recursive: true });
    writeFileSync(lockPathOf(ledger), 'garbage');
    const held = await acquireLedgerLock(ledger, { isAlive: () => false });
    expect(held.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'ACL0870',
        `the state ledger \`${ledger}\` is locked by another apply (pid unknown on \`unknown\`, since unknown)`,
      ],
    ]);
    const forced = await acquireLedgerLock(ledger, { forceUnlock: true, pid: 3333, hostname: 'ci-1' });
    expect(forced.diagnostics).toEqual([]);
    expect(JSON.parse(readFileSync(lockPathOf(ledger), 'utf8')).pid).toBe(3333);
  });

  it('processAlive: this process is alive, a never-used pid is not', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});

describe('aclc apply holds the ledger lock', () => {
  async function setup() {
    const account = await Account.start();
    const project = new Project().write('main.acl', BASE);
    cleanup.push(async () => {
      await account.close();
      project.remove();
    });
    const lock = join(project.dir, '.aclc', 'state.json.lock');
    return { account, project, env: account.env(), dir: project.dir, lock };
  }

  it('holds the lock while applying and removes it after success', async () => {
    const { env, dir, lock } = await setup();
    let during: unknown;
    const run = await aclc(['apply', '.'], env, dir, {
      confirm: async () => {
        during = JSON.parse(readFileSync(lock, 'utf8'));
        return true;
      },
    });
    expect(run.code).toBe(0);
    expect(during).toEqual({ pid: process.pid, hostname: hostname(), started: expect.any(String) });
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses to apply while another apply holds the lock, and changes nothing', async () => {
    const { account, env, dir, lock } = await setup();
    await mkdir(join(dir, '.aclc'), { recursive: true });
    // This process is alive on this host: the lock is not stale.
    const holder = { pid: process.pid, hostname: hostname(), started: '2026-01-02T03:04:05.000Z' };
    writeFileSync(lock, JSON.stringify(holder));
    const mark = account.mark();
    const run = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      `error[ACL0870]: the state ledger \`${join(dir, '.aclc', 'state.json')}\` is locked by another apply (pid ${process.pid} on \`${hostname()}\`, since 2026-01-02T03:04:05.000Z)`,
    );
    expect(run.err).toContain('--force-unlock');
    expect(account.log.slice(mark)).toEqual([]);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toEqual(holder);
    // `plan` does not lock, so it still works.
    expect((await aclc(['plan', '.'], env, dir)).code).toBe(0);
    // `--force-unlock` removes the lock and applies.
    const forced = await aclc(['apply', '.', '--auto-approve', '--force-unlock'], env, dir);
    expect(forced.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a stale lock left by a dead apply on this host, with a warning', async () => {
    const { env, dir, lock } = await setup();
    await mkdir(join(dir, '.aclc'), { recursive: true });
    const dead = 2 ** 22 + 12345;
    writeFileSync(
      lock,
      JSON.stringify({ pid: dead, hostname: hostname(), started: '2026-01-02T03:04:05.000Z' }),
    );
    const run = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(run.code).toBe(0);
    expect(run.err).toContain(
      `warning[ACL0871]: took over the stale lock \`${lock}\`: pid ${dead} on \`${hostname()}\` (since 2026-01-02T03:04:05.000Z) is no longer running`,
    );
    expect(existsSync(lock)).toBe(false);
  });

  it('removes the lock after an apply that fails part-way', async () => {
    const { account, env, dir, lock } = await setup();
    const run = await aclc(['apply', '.'], env, dir, {
      confirm: async () => {
        expect(existsSync(lock)).toBe(true);
        // Another app takes Wiki's domain between plan and apply: creating Wiki fails.
        const res = await fetch(`${account.emu.url}/accounts/${account.emu.accountId}/access/apps`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            name: 'Squatter',
            domain: 'wiki.example.com',
            type: 'self_hosted',
            policies: [],
          }),
        });
        if (res.status >= 300) throw new Error(await res.text());
        return true;
      },
    });
    expect(run.code).toBe(1);
    expect(run.err).toContain('error[ACL0862]: apply stopped after 8 of 9 changes');
    expect(existsSync(lock)).toBe(false);
  });

  it('removes the lock after an apply refused before any change', async () => {
    const { env, dir, lock } = await setup();
    const run = await aclc(['apply', '.'], env, dir, { confirm: async () => false });
    expect(run.code).toBe(1);
    expect(run.err).toBe('apply cancelled; nothing was changed\n');
    expect(existsSync(lock)).toBe(false);
  });
});
