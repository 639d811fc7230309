import { afterEach, describe, expect, it } from 'vitest';
import { AccessClient, type AccessClientOptions, type RequestInfo } from '../../src/api/client.js';
import { ApiError, apiErrorToDiagnostic } from '../../src/api/errors.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { failure, fakeClock, fakeServer, type Handler, ok } from './fake-server.js';

const TOKEN = 'tok_SECRET_zyxwvutsrqponm98';
const ACCOUNT = '0123456789abcdef0123456789abcdef';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

async function setup(handler: Handler, options: Partial<AccessClientOptions> = {}) {
  const server = await fakeServer(handler);
  const clock = fakeClock();
  const infos: RequestInfo[] = [];
  const client = new AccessClient({
    baseUrl: server.url,
    accountId: ACCOUNT,
    auth: { token: TOKEN },
    clock,
    random: () => 0.5,
    backoff: { baseMs: 100, capMs: 1000 },
    redactor: createRedactor(),
    onRequest: (i) => infos.push(i),
    ...options,
  });
  cleanups.push(
    () => server.close(),
    () => client.close(),
  );
  return { server, client, clock, infos };
}

const group = (i: number) => ({
  id: `g${i}`,
  name: `group ${i}`,
  include: [{ everyone: {} }],
  exclude: [],
  require: [],
});

describe('AccessClient', () => {
  it('sends the token as a bearer header and unwraps the envelope', async () => {
    const { client, server } = await setup((_req, res) => ok(res, group(1)));
    expect(await client.groups.get('g1')).toEqual(group(1));
    expect(server.seen[0]?.url).toBe(`/client/v4/accounts/${ACCOUNT}/access/groups/g1`);
    expect(server.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('sends X-Auth-Email and X-Auth-Key for a global key', async () => {
    const { client, server } = await setup((_req, res) => ok(res, []), {
      auth: { email: 'a@example.com', key: 'KEY_123456' },
    });
    await client.identityProviders.list();
    expect(server.seen[0]?.headers['x-auth-email']).toBe('a@example.com');
    expect(server.seen[0]?.headers['x-auth-key']).toBe('KEY_123456');
    expect(server.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('follows pagination to the last page at the largest page size', async () => {
    const all = Array.from({ length: 5 }, (_, i) => group(i));
    const { client, server } = await setup((req, res) => {
      const page = Number(new URL(req.url, 'http://x').searchParams.get('page'));
      const slice = all.slice((page - 1) * 2, page * 2);
      ok(res, slice, { page, per_page: 2, count: slice.length, total_count: 5, total_pages: 3 });
    });
    expect(await client.groups.list()).toEqual(all);
    expect(server.seen.map((s) => s.url)).toEqual(
      [1, 2, 3].map((p) => `/client/v4/accounts/${ACCOUNT}/access/groups?page=${p}&per_page=1000`),
    );
  });

  it('asks reusable policies and apps for 1000 per page too', async () => {
    const { client, server } = await setup((_req, res) =>
      ok(res, [], { page: 1, per_page: 1000, count: 0, total_count: 0, total_pages: 1 }),
    );
    await client.policies.list();
    await client.apps.list();
    await client.appPolicies.list('app1');
    expect(server.seen.map((s) => new URL(s.url, 'http://x').searchParams.get('per_page'))).toEqual([
      '1000',
      '1000',
      '1000',
    ]);
  });

  it('retries a 429 after the Retry-After delay', async () => {
    const { client, clock, infos } = await setup((_req, res, n) =>
      n === 0
        ? failure(res, 429, [{ code: 971, message: 'Please wait' }], { 'retry-after': '3' })
        : ok(res, group(1)),
    );
    expect(await client.groups.get('g1')).toEqual(group(1));
    expect(clock.sleeps).toEqual([3000]);
    expect(infos.map((i) => [i.attempt, i.status, i.outcome])).toEqual([
      [1, 429, 'retry'],
      [2, 200, 'ok'],
    ]);
  });

  it('retries 5xx with full-jitter exponential backoff', async () => {
    const { client, clock } = await setup((_req, res, n) =>
      n < 3 ? failure(res, 503, [{ code: 10001, message: 'busy' }]) : ok(res, group(1)),
    );
    await client.groups.get('g1');
    // random() = 0.5 → half of min(cap, base·2^k): 50, 100, 200
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  it('gives up after the configured retries with a typed error', async () => {
    const { client, server } = await setup(
      (_req, res) => failure(res, 500, [{ code: 10001, message: 'internal' }]),
      { retries: 2 },
    );
    const err = await client.groups.get('g1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'api', status: 500, attempts: 3, codes: [10001] });
    expect(server.seen).toHaveLength(3);
  });

  it('does not retry a 400 and surfaces the Cloudflare codes and the object', async () => {
    const { client, server } = await setup((_req, res) =>
      failure(res, 400, [
        { code: 12130, message: 'access.api.error.invalid_request: policy precedences must be unique' },
      ]),
    );
    const err = (await client.groups
      .create({ name: 'eng', include: [{ everyone: {} }], exclude: [], require: [] })
      .catch((e: unknown) => e)) as ApiError;
    expect(server.seen).toHaveLength(1);
    expect(err.status).toBe(400);
    expect(err.codes).toEqual([12130]);
    expect(err.message).toBe(
      `POST /accounts/${ACCOUNT}/access/groups (group "eng"): HTTP 400: 12130 access.api.error.invalid_request: policy precedences must be unique`,
    );
    const d = apiErrorToDiagnostic(err);
    expect(d).toMatchObject({ code: 'ACL0810', severity: 'error' });
    expect(d.message).toBe(
      `the API refused \`POST /accounts/${ACCOUNT}/access/groups (group "eng")\`: 12130 access.api.error.invalid_request: policy precedences must be unique`,
    );
  });

  it('times out a request that gets no answer and retries it', async () => {
    const { client, infos } = await setup(
      (_req, res, n) => {
        if (n > 0) ok(res, group(1)); // the first request is left hanging
      },
      // Long enough that the answered retry never times out on a loaded machine (80 ms did, now and then).
      { timeoutMs: 600 },
    );
    expect(await client.groups.get('g1')).toEqual(group(1));
    expect(infos.map((i) => [i.outcome, i.reason])).toEqual([
      ['retry', 'timeout'],
      ['ok', undefined],
    ]);
  });

  it('reports a timeout after the retries as kind `timeout`', async () => {
    const { client } = await setup(() => undefined, { timeoutMs: 40, retries: 1 });
    const err = (await client.groups.get('g1').catch((e: unknown) => e)) as ApiError;
    expect(err).toMatchObject({ kind: 'timeout', attempts: 2, reason: 'no answer within 40 ms' });
    expect(apiErrorToDiagnostic(err).code).toBe('ACL0813');
  });

  it('retries a GET whose connection was reset', async () => {
    const { client, server } = await setup((_req, res, n) => {
      if (n === 0) res.socket?.destroy();
      else ok(res, group(1));
    });
    expect(await client.groups.get('g1')).toEqual(group(1));
    expect(server.seen).toHaveLength(2);
  });

  it('does not duplicate a create whose answer was lost: it finds the object and stops', async () => {
    const created: ReturnType<typeof group>[] = [];
    const { client, server } = await setup((req, res) => {
      if (req.method === 'POST') {
        created.push({ ...group(9), ...JSON.parse(req.body), id: 'g-new' });
        res.socket?.destroy(); // carried out, answer lost
        return;
      }
      ok(res, created, {
        page: 1,
        per_page: 1000,
        count: created.length,
        total_count: created.length,
        total_pages: 1,
      });
    });
    const got = await client.groups.create({
      name: 'eng',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
    });
    expect(got.id).toBe('g-new');
    expect(created).toHaveLength(1);
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'GET']);
  });

  it('re-sends a create after a 5xx when the lookup finds nothing', async () => {
    const { client, server } = await setup((req, res, n) => {
      if (req.method === 'GET')
        return ok(res, [], { page: 1, per_page: 1000, count: 0, total_count: 0, total_pages: 1 });
      if (n === 0) return failure(res, 502, [{ code: 10001, message: 'bad gateway' }]);
      ok(res, { ...JSON.parse(req.body), id: 'p1', reusable: true }, undefined, 201);
    });
    const got = await client.policies.create({
      name: 'p',
      decision: 'allow',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
    });
    expect(got.id).toBe('p1');
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'GET', 'POST']);
  });

  it('does not look up before re-sending a create refused with 429', async () => {
    const { client, server } = await setup((_req, res, n) =>
      n === 0
        ? failure(res, 429, [{ code: 971, message: 'slow down' }], { 'retry-after': '1' })
        : ok(res, { id: 'g1', name: 'eng' }, undefined, 201),
    );
    await client.groups.create({ name: 'eng', include: [{ everyone: {} }], exclude: [], require: [] });
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'POST']);
  });

  it('treats a 404 on a retried DELETE as done', async () => {
    const { client } = await setup((_req, res, n) => {
      if (n === 0) res.socket?.destroy();
      else failure(res, 404, [{ code: 7003, message: 'not found' }]);
    });
    expect(await client.groups.delete('g1')).toEqual({ id: 'g1' });
  });

  it('never puts the token or key in error messages, even when the server echoes it', async () => {
    const { client } = await setup((_req, res) =>
      failure(res, 403, [{ code: 10000, message: `Authentication error for ${TOKEN}` }]),
    );
    const err = (await client.groups.list().catch((e: unknown) => e)) as ApiError;
    expect(err.kind).toBe('auth');
    expect(err.message).not.toContain(TOKEN);
    expect(err.message).toContain('Authentication error for ***');
    expect(JSON.stringify(err)).not.toContain(TOKEN);
    expect(apiErrorToDiagnostic(err).message).not.toContain(TOKEN);

    const keyed = await setup(
      (_req, res) => failure(res, 401, [{ code: 10000, message: 'bad key KEY_abcdef123' }]),
      {
        auth: { email: 'a@example.com', key: 'KEY_abcdef123' },
      },
    );
    const err2 = (await keyed.client.groups.list().catch((e: unknown) => e)) as ApiError;
    expect(err2.message).toBe(`GET /accounts/${ACCOUNT}/access/groups (groups): HTTP 401: 10000 bad key ***`);
  });

  it('rejects an answer that is not an envelope', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    const err = (await client.groups.get('g1').catch((e: unknown) => e)) as ApiError;
    expect(err).toMatchObject({ kind: 'envelope', reason: 'the body is not JSON (`<html>hello</html>`)' });
    expect(apiErrorToDiagnostic(err).code).toBe('ACL0814');
  });

  it('registers a created service token secret with the redactor', async () => {
    const { client } = await setup((_req, res) =>
      ok(
        res,
        { id: 't1', name: 'ci', client_id: 'abc.access', client_secret: 'SECRET_xyz_987' },
        undefined,
        201,
      ),
    );
    const token = await client.serviceTokens.create({ name: 'ci' });
    expect(token.client_secret).toBe('SECRET_xyz_987');
    expect(client.redactor.redact('secret is SECRET_xyz_987')).toBe('secret is ***');
  });

  it('uses zone scope where the API has one, and refuses account-only resources without an account', async () => {
    const { client, server } = await setup((_req, res) => ok(res, []), {
      accountId: undefined,
      zoneId: 'zone123',
    });
    await client.identityProviders.list();
    expect(server.seen[0]?.url).toBe('/client/v4/zones/zone123/access/identity_providers');
    const err = (await client.policies.list().catch((e: unknown) => e)) as ApiError;
    expect(err.kind).toBe('config');
    expect(apiErrorToDiagnostic(err)).toMatchObject({
      code: 'ACL0815',
      message: '`GET /access/policies` is not available with zone scope',
    });
  });

  it('keeps to the client-side rate limit', async () => {
    const { client, clock } = await setup((_req, res) => ok(res, group(1)), {
      rateLimit: { requests: 2, windowMs: 1000 },
    });
    for (let i = 0; i < 5; i++) await client.groups.get('g1');
    // 5 requests at 2 per second: the 3rd and 5th each wait for the window to slide, plus 1 % headroom
    expect(clock.sleeps).toEqual([1010, 1010]);
  });

  it('runs at most `concurrency` requests at once', async () => {
    let active = 0;
    let peak = 0;
    const { client } = await setup(
      (_req, res) => {
        active++;
        peak = Math.max(peak, active);
        setTimeout(() => {
          active--;
          ok(res, group(1));
        }, 15);
      },
      { concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 6 }, () => client.groups.get('g1')));
    expect(peak).toBe(2);
  });
});
