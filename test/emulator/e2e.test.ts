import { afterEach, describe, expect, it } from 'vitest';
import { AccessClient, type AccessClientOptions, type RequestInfo } from '../../src/api/client.js';
import type { ApiError } from '../../src/api/errors.js';
import type { EmulatorHandle } from '../../src/emulator/server.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { emulators, everyone } from './helpers.js';

const emu = emulators();
const clients: AccessClient[] = [];
afterEach(async () => {
  while (clients.length) await (clients.pop() as AccessClient).close();
  await emu.closeAll();
});

/** A shared fake time line: the client's sleeps advance it, and the emulator's rate limit reads it. */
function timeline() {
  let t = 1_700_000_000_000;
  const sleeps: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
    t += ms;
  };
  return { sleeps, now: () => t, sleep };
}

function client(e: EmulatorHandle, options: Partial<AccessClientOptions> = {}) {
  const infos: RequestInfo[] = [];
  const c = new AccessClient({
    baseUrl: e.url,
    accountId: e.accountId,
    auth: { token: e.token },
    clock: timeline(),
    backoff: { baseMs: 10, capMs: 100 },
    redactor: createRedactor(),
    onRequest: (i) => infos.push(i),
    ...options,
  });
  clients.push(c);
  return { c, infos };
}

describe('client against the emulator', () => {
  it('creates a group, a policy using it and an app linking the policy, then reads them back', async () => {
    const e = await emu.start();
    const { c } = client(e);
    const g = await c.groups.create({
      name: 'eng',
      include: [{ email_domain: { domain: 'example.com' } }],
      exclude: [],
      require: [],
    });
    const p = await c.policies.create({
      name: 'allow eng',
      decision: 'allow',
      include: [{ group: { id: g.id } }],
      exclude: [],
      require: [],
    });
    const a = await c.apps.create({
      name: 'wiki',
      type: 'self_hosted',
      domain: 'wiki.example.com',
      policies: [{ id: p.id, precedence: 1 }],
    });
    expect(p).toMatchObject({ reusable: true, app_count: 0 });
    expect(a.policies).toEqual([expect.objectContaining({ id: p.id, precedence: 1, name: 'allow eng' })]);
    expect((await c.policies.get(p.id)).app_count).toBe(1);
    expect((await c.apps.list()).map((x) => x.name)).toEqual(['wiki']);

    const renamed = await c.groups.update(g.id, {
      name: 'engineering',
      include: g.include,
      exclude: [],
      require: [],
    });
    expect(renamed.name).toBe('engineering');
    await c.apps.delete(a.id);
    await c.policies.delete(p.id);
    await c.groups.delete(g.id);
    expect(await c.groups.list()).toEqual([]);
  });

  it('follows pagination across pages of 1000', async () => {
    const groups = Array.from({ length: 2100 }, (_, i) => ({ name: `g${i}`, ...everyone }));
    const e = await emu.start({ seed: { groups } });
    const { c, infos } = client(e);
    const all = await c.groups.list();
    expect(all).toHaveLength(2100);
    expect(new Set(all.map((g) => g.name)).size).toBe(2100);
    expect(infos.map((i) => i.path.replace(/^.*\?/, ''))).toEqual([
      'page=1&per_page=1000',
      'page=2&per_page=1000',
      'page=3&per_page=1000',
    ]);
  });

  it('surfaces emulator errors with their codes', async () => {
    const e = await emu.start();
    const { c } = client(e);
    const p1 = await c.policies.create({
      name: 'a',
      decision: 'allow',
      ...everyone,
      exclude: [],
      require: [],
    });
    const p2 = await c.policies.create({
      name: 'b',
      decision: 'allow',
      ...everyone,
      exclude: [],
      require: [],
    });
    const err = (await c.apps
      .create({
        name: 'x',
        type: 'self_hosted',
        domain: 'x.example.com',
        policies: [
          { id: p1.id, precedence: 1 },
          { id: p2.id, precedence: 1 },
        ],
      })
      .catch((x: unknown) => x)) as ApiError;
    expect(err).toMatchObject({ kind: 'api', status: 400, codes: [12130], object: 'app "x"' });
    expect(err.message).toContain(
      '12130 access.api.error.invalid_request: policy precedences must be unique',
    );
  });

  it('reports bad credentials as an auth error without the token', async () => {
    const e = await emu.start({ token: 'right-token' });
    const { c } = client(e, { auth: { token: 'wrong-token-123' } });
    const err = (await c.groups.list().catch((x: unknown) => x)) as ApiError;
    expect(err).toMatchObject({ kind: 'auth', status: 403, codes: [10000] });
    expect(err.message).not.toContain('wrong-token-123');
  });

  for (const failMode of ['after', 'reset'] as const) {
    it(`creates exactly once when the emulator loses answers (${failMode})`, async () => {
      // every third request fails after it was carried out: here always a create, whose answer is lost
      let n = 0;
      const log: string[] = [];
      const e = await emu.start({
        failRate: 0.5,
        failMode,
        random: () => (n++ % 3 === 0 ? 0.1 : 0.9),
        log: (l) => log.push(l),
      });
      const { c } = client(e);
      for (let i = 0; i < 6; i++)
        await c.groups.create({ name: `g${i}`, ...everyone, exclude: [], require: [] });
      expect(e.state().groups.map((g) => g.name)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
      const posts = log.filter((l) => l.startsWith('POST')).map((l) => l.split(' ')[2]);
      const lost = failMode === 'after' ? '500' : 'reset';
      expect(posts).toEqual([lost, '201', lost, '201', lost, '201']);
    });
  }

  it('backs off on 429 using Retry-After and gets through', async () => {
    const clock = timeline();
    const e = await emu.start({ rateLimit: { requests: 3, windowMs: 2000 }, now: clock.now });
    const { c, infos } = client(e, { clock });
    for (let i = 0; i < 5; i++) await c.groups.list();
    expect(infos.filter((i) => i.status === 429)).toHaveLength(1);
    expect(infos.filter((i) => i.outcome === 'ok')).toHaveLength(5);
    expect(clock.sleeps).toContain(2000);
  });

  it('converts a seeded legacy policy to a reusable one', async () => {
    const app = '44444444-4444-4444-8444-444444444444';
    const e = await emu.start({
      seed: {
        apps: [{ id: app, name: 'old', type: 'self_hosted', domain: 'old.example.com' }],
        app_policies: [
          {
            id: 'p-legacy',
            app_id: app,
            name: 'legacy',
            decision: 'allow',
            include: [{ everyone: {} }],
            precedence: 3,
          },
        ],
      },
    });
    const { c } = client(e);
    expect((await c.appPolicies.list(app)).map((p) => [p.id, p.reusable])).toEqual([['p-legacy', undefined]]);
    const reusable = await c.appPolicies.makeReusable(app, 'p-legacy');
    expect(reusable).toMatchObject({ id: 'p-legacy', reusable: true, app_count: 1 });
    expect((await c.policies.list()).map((p) => p.id)).toEqual(['p-legacy']);
    expect((await c.apps.get(app)).policies).toEqual([
      expect.objectContaining({ id: 'p-legacy', precedence: 3, reusable: true }),
    ]);
  });
});
