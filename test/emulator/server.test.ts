import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators, everyone, failed, ISO, UUID } from './helpers.js';

const emu = emulators();
afterEach(() => emu.closeAll());

const LEGACY_APP = '11111111-1111-4111-8111-111111111111';
const LEGACY_POLICY = '22222222-2222-4222-8222-222222222222';
const SEED = {
  groups: [],
  policies: [],
  apps: [
    { id: LEGACY_APP, name: 'wiki', type: 'self_hosted', domain: 'wiki.example.com', aud: 'a'.repeat(64) },
  ],
  app_policies: {
    [LEGACY_APP]: [
      {
        id: LEGACY_POLICY,
        name: 'staff',
        decision: 'allow',
        include: [{ email_domain: { domain: 'example.com' } }],
        precedence: 1,
      },
    ],
  },
  identity_providers: [],
  service_tokens: [],
  lists: [],
  posture_rules: [],
};

describe('emulator: CRUD and envelope', () => {
  it('creates, reads, updates, lists and deletes a group', async () => {
    const e = await emu.start();
    const created = await call(e, 'POST', '/access/groups', { name: 'eng', ...everyone });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, errors: [], messages: [] });
    const g = created.body.result;
    expect(g).toEqual({
      id: expect.stringMatching(UUID),
      name: 'eng',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
      uid: g.id,
      created_at: expect.stringMatching(ISO),
      updated_at: g.created_at,
    });

    expect((await call(e, 'GET', `/access/groups/${g.id}`)).body.result).toEqual(g);
    const updated = await call(e, 'PUT', `/access/groups/${g.id}`, {
      name: 'engineering',
      include: [{ email_domain: { domain: 'example.com' } }],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.result).toMatchObject({ id: g.id, name: 'engineering', created_at: g.created_at });

    const list = await call(e, 'GET', '/access/groups');
    expect(list.body.result.map((x: { name: string }) => x.name)).toEqual(['engineering']);
    expect(list.body.result_info).toEqual({
      page: 1,
      per_page: 1000,
      count: 1,
      total_count: 1,
      total_pages: 1,
    });

    const deleted = await call(e, 'DELETE', `/access/groups/${g.id}`);
    expect(deleted.status).toBe(202);
    expect(deleted.body.result).toEqual({ id: g.id });
    const gone = await call(e, 'GET', `/access/groups/${g.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(
      failed({
        code: 7003,
        message: `Could not route to /client/v4/accounts/${e.accountId}/access/groups/${g.id}, perhaps your object identifier is invalid?`,
      }),
    );
  });

  it('answers unknown routes and methods in the envelope', async () => {
    const e = await emu.start();
    expect((await call(e, 'GET', '/access/nothing')).body).toEqual(
      failed({ code: 7000, message: 'No route for that URI' }),
    );
    const m = await call(e, 'PATCH', '/access/groups', {});
    expect([m.status, m.body.errors]).toEqual([
      405,
      [{ code: 7001, message: 'Method not allowed for this endpoint' }],
    ]);
  });

  it('paginates with page, per_page and result_info', async () => {
    const policies = Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, decision: 'allow', ...everyone }));
    const e = await emu.start({ seed: { policies } });
    const page3 = await call(e, 'GET', '/access/policies?page=3&per_page=2');
    expect(page3.body.result.map((p: { name: string }) => p.name)).toEqual(['p4']);
    expect(page3.body.result_info).toEqual({
      page: 3,
      per_page: 2,
      count: 1,
      total_count: 5,
      total_pages: 3,
    });
    const dflt = await call(e, 'GET', '/access/policies');
    expect(dflt.body.result_info.per_page).toBe(100);
    const tooBig = await call(e, 'GET', '/access/policies?per_page=1001');
    expect(tooBig.body).toEqual(
      failed({
        code: 12130,
        message: 'access.api.error.invalid_request: per_page: must be an integer from 1 to 1000',
      }),
    );
  });
});

describe('emulator: auth', () => {
  it('answers 401 without credentials, 403 with wrong ones, and accepts a key', async () => {
    const e = await emu.start({ token: 's3cret' });
    const none = await call(e, 'GET', '/access/groups', undefined, {});
    expect([none.status, none.body]).toEqual([401, failed({ code: 10000, message: 'Authentication error' })]);
    const wrong = await call(e, 'GET', '/access/groups', undefined, { authorization: 'Bearer nope' });
    expect([wrong.status, wrong.body]).toEqual([
      403,
      failed({ code: 10000, message: 'Authentication error' }),
    ]);
    const key = await call(e, 'GET', '/access/groups', undefined, {
      'x-auth-email': 'a@example.com',
      'x-auth-key': 's3cret',
    });
    expect(key.status).toBe(200);
    const other = await call(e, 'GET', '~/accounts/ffffffffffffffffffffffffffffffff/access/groups');
    expect([other.status, other.body]).toEqual([
      403,
      failed({ code: 9109, message: 'Unauthorized to access requested resource' }),
    ]);
  });
});

describe('emulator: validation', () => {
  it('refuses bodies that break the schema with 400 and Cloudflare-style errors', async () => {
    const e = await emu.start();
    // Cloudflare's schema, not aclc's: `include` is required, rules must be one of the rule types.
    const bad = await call(e, 'POST', '/access/groups', { name: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(
      failed({
        code: 12130,
        message: 'access.api.error.invalid_request: (top level): missing field `include`',
      }),
    );
    const rule = await call(e, 'POST', '/access/groups', { name: 'x', include: [{ ip: { ip: 5 } }] });
    expect(rule.body.errors).toEqual([
      {
        code: 12130,
        message:
          'access.api.error.invalid_request: include[0]: `{"ip":{"ip":5}}` does not match any allowed form',
      },
    ]);
    const policy = await call(e, 'POST', '/access/policies', { name: 'p', decision: 'maybe', ...everyone });
    expect(policy.body.errors).toEqual([
      {
        code: 12130,
        message:
          'access.api.error.invalid_request: decision: `"maybe"` is not one of `allow`, `deny`, `non_identity`, `bypass`',
      },
    ]);
    const malformed = await call(e, 'POST', '/access/groups', '{"name":');
    expect([malformed.status, malformed.body]).toEqual([
      400,
      failed({ code: 6007, message: 'Malformed JSON in request body' }),
    ]);
    expect(e.state().groups).toEqual([]);
  });
});

describe('emulator: referential rules', () => {
  it('refuses a policy naming an unknown group, and a group in use cannot be deleted', async () => {
    const e = await emu.start();
    const missing = '33333333-3333-4333-8333-333333333333';
    const bad = await call(e, 'POST', '/access/policies', {
      name: 'p',
      decision: 'allow',
      include: [{ group: { id: missing } }],
    });
    expect([bad.status, bad.body]).toEqual([
      400,
      failed({
        code: 11020,
        message: `access.api.error.failed_to_load_group: group \`${missing}\` does not exist`,
      }),
    ]);

    const g = (await call(e, 'POST', '/access/groups', { name: 'eng', ...everyone })).body.result;
    const p = (
      await call(e, 'POST', '/access/policies', {
        name: 'p',
        decision: 'allow',
        include: [{ group: { id: g.id } }],
      })
    ).body.result;
    const inUse = await call(e, 'DELETE', `/access/groups/${g.id}`);
    expect([inUse.status, inUse.body]).toEqual([
      409,
      failed({ code: 12131, message: 'access.api.error.conflict: group `eng` is in use by policy `p`' }),
    ]);

    await call(e, 'POST', '/access/apps', {
      name: 'a',
      type: 'self_hosted',
      domain: 'a.example.com',
      policies: [{ id: p.id, precedence: 1 }],
    });
    const policyInUse = await call(e, 'DELETE', `/access/policies/${p.id}`);
    expect(policyInUse.body.errors).toEqual([
      { code: 12131, message: 'access.api.error.conflict: policy `p` is in use by 1 application' },
    ]);
  });

  it('checks app policy links, unique precedence (12130) and unique domains', async () => {
    const e = await emu.start();
    const p1 = (await call(e, 'POST', '/access/policies', { name: 'p1', decision: 'allow', ...everyone }))
      .body.result;
    const p2 = (await call(e, 'POST', '/access/policies', { name: 'p2', decision: 'deny', ...everyone })).body
      .result;
    const app = { name: 'a', type: 'self_hosted', domain: 'a.example.com' };

    const unknown = await call(e, 'POST', '/access/apps', {
      ...app,
      policies: [{ id: '$ref:policy:p3', precedence: 1 }],
    });
    expect(unknown.body.errors).toEqual([
      {
        code: 12130,
        message: 'access.api.error.invalid_request: policies[0].id: policy `$ref:policy:p3` does not exist',
      },
    ]);

    const dup = await call(e, 'POST', '/access/apps', {
      ...app,
      policies: [
        { id: p1.id, precedence: 1 },
        { id: p2.id, precedence: 1 },
      ],
    });
    expect([dup.status, dup.body]).toEqual([
      400,
      failed({ code: 12130, message: 'access.api.error.invalid_request: policy precedences must be unique' }),
    ]);

    const created = await call(e, 'POST', '/access/apps', {
      ...app,
      policies: [
        { id: p2.id, precedence: 2 },
        { id: p1.id, precedence: 1 },
      ],
    });
    expect(created.status).toBe(201);
    const a = created.body.result;
    expect(a).toMatchObject({
      id: expect.stringMatching(UUID),
      uid: a.id,
      aud: expect.stringMatching(/^[0-9a-f]{64}$/),
      domain: 'a.example.com',
    });
    expect(
      a.policies.map((p: { id: string; precedence: number; reusable: boolean; name: string }) => [
        p.name,
        p.precedence,
        p.reusable,
      ]),
    ).toEqual([
      ['p1', 1, true],
      ['p2', 2, true],
    ]);
    expect((await call(e, 'GET', `/access/policies/${p1.id}`)).body.result).toMatchObject({
      reusable: true,
      app_count: 1,
    });

    const clash = await call(e, 'POST', '/access/apps', { ...app, name: 'b', policies: [] });
    expect([clash.status, clash.body.errors]).toEqual([
      409,
      [
        {
          code: 11010,
          message:
            'access.api.error.application_already_exists: an application for `a.example.com` already exists',
        },
      ],
    ]);
  });
});

describe('emulator: legacy app-scoped policies', () => {
  it('refuses app-scoped policies on new apps but serves and converts seeded ones', async () => {
    const e = await emu.start({ seed: SEED });
    const fresh = (
      await call(e, 'POST', '/access/apps', {
        name: 'n',
        type: 'self_hosted',
        domain: 'n.example.com',
        policies: [],
      })
    ).body.result;
    const refused = await call(e, 'POST', `/access/apps/${fresh.id}/policies`, {
      name: 'x',
      decision: 'allow',
      precedence: 1,
      ...everyone,
    });
    expect(refused.body).toEqual(
      failed({
        code: 12130,
        message:
          'access.api.error.invalid_request: this application does not support app-scoped policies; create a reusable policy and link it in the application `policies`',
      }),
    );

    const listed = await call(e, 'GET', `/access/apps/${LEGACY_APP}/policies`);
    expect(listed.body.result).toEqual([
      expect.objectContaining({ id: LEGACY_POLICY, name: 'staff', precedence: 1, session_duration: '24h' }),
    ]);
    // Only reusable policies carry `reusable`.
    expect(listed.body.result[0]).not.toHaveProperty('reusable');
    expect(listed.body.result_info.per_page).toBe(200);

    const added = await call(e, 'POST', `/access/apps/${LEGACY_APP}/policies`, {
      name: 'ops',
      decision: 'allow',
      precedence: 2,
      ...everyone,
    });
    expect(added.status).toBe(201);
    const clash = await call(e, 'POST', `/access/apps/${LEGACY_APP}/policies`, {
      name: 'ops2',
      decision: 'allow',
      precedence: 2,
      ...everyone,
    });
    expect(clash.body.errors).toEqual([
      { code: 12130, message: 'access.api.error.invalid_request: policy precedences must be unique' },
    ]);

    const converted = await call(
      e,
      'PUT',
      `/access/apps/${LEGACY_APP}/policies/${LEGACY_POLICY}/make_reusable`,
    );
    expect(converted.status).toBe(200);
    expect(converted.body.result).toMatchObject({
      id: LEGACY_POLICY,
      name: 'staff',
      reusable: true,
      app_count: 1,
    });
    const app = (await call(e, 'GET', `/access/apps/${LEGACY_APP}`)).body.result;
    expect(
      app.policies.map((p: { id: string; precedence: number; reusable: boolean }) => [
        p.id,
        p.precedence,
        p.reusable,
      ]),
    ).toEqual([
      [LEGACY_POLICY, 1, true],
      [added.body.result.id, 2, undefined],
    ]);
    expect(e.state().app_policies.map((p) => p.id)).toEqual([added.body.result.id]);
    // converting again is harmless
    expect(
      (await call(e, 'PUT', `/access/apps/${LEGACY_APP}/policies/${LEGACY_POLICY}/make_reusable`)).status,
    ).toBe(200);
  });
});

describe('emulator: other resources', () => {
  it('answers a service token secret once and never stores it', async () => {
    const e = await emu.start();
    const t = (await call(e, 'POST', '/access/service_tokens', { name: 'ci' })).body.result;
    expect(t).toMatchObject({
      name: 'ci',
      client_id: expect.stringMatching(/^[0-9a-f]{32}\.access$/),
      client_secret: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(
      (await call(e, 'GET', `/access/service_tokens/${t.id}`)).body.result.client_secret,
    ).toBeUndefined();
    expect(JSON.stringify(e.state())).not.toContain(t.client_secret);
  });

  it('keeps lists with typed items, counts and patches', async () => {
    const e = await emu.start();
    const bad = await call(e, 'POST', '/gateway/lists', {
      name: 'l',
      type: 'IP',
      items: [{ value: '10.0.0.0/8' }, { value: 'nope' }],
    });
    expect(bad.body.errors).toEqual([
      {
        code: 12130,
        message: 'access.api.error.invalid_request: items[1].value: `nope` is not a valid IP entry',
      },
    ]);
    // The CLI's strict spellings: no reading of `010.0.0.0/8`, `10.1`, `0x0a.1.2.3`, `167772161` or `/08` as
    // some other block.
    for (const value of [
      '010.0.0.0/8',
      '10.1',
      '0x0a.1.2.3',
      '167772161',
      '10.0.0.0/08',
      '10.0.0.0/33',
      'fe80::1%eth0',
    ]) {
      const refused = await call(e, 'POST', '/gateway/lists', { name: 'l', type: 'IP', items: [{ value }] });
      expect(refused.body.errors, value).toEqual([
        {
          code: 12130,
          message: `access.api.error.invalid_request: items[0].value: \`${value}\` is not a valid IP entry`,
        },
      ]);
    }
    const ok = await call(e, 'POST', '/gateway/lists', {
      name: 'ok',
      type: 'IP',
      items: [
        { value: '10.0.0.1' },
        { value: '10.0.0.0/8' },
        { value: '2001:db8::/32' },
        { value: '10.1.2.3/8' },
      ],
    });
    expect(ok.body.result).toMatchObject({ name: 'ok', count: 4 });
    const l = (
      await call(e, 'POST', '/gateway/lists', {
        name: 'l',
        type: 'EMAIL',
        items: [{ value: 'a@example.com' }],
      })
    ).body.result;
    expect(l).toMatchObject({ name: 'l', type: 'EMAIL', count: 1 });
    expect(l.items).toBeUndefined();
    const patched = await call(e, 'PATCH', `/gateway/lists/${l.id}`, {
      append: [{ value: 'b@example.com' }],
      remove: ['a@example.com'],
    });
    expect(patched.body.result.count).toBe(1);
    const items = await call(e, 'GET', `/gateway/lists/${l.id}/items`);
    expect(items.body.result.map((i: { value: string }) => i.value)).toEqual(['b@example.com']);
    const p = await call(e, 'POST', '/access/policies', {
      name: 'p',
      decision: 'allow',
      include: [{ email_list: { id: l.id } }],
    });
    expect(p.status).toBe(201);
    expect((await call(e, 'DELETE', `/gateway/lists/${l.id}`)).status).toBe(409);
  });

  it('serves identity providers and posture rules, and zone-scoped Access objects', async () => {
    const e = await emu.start();
    const idp = await call(e, 'POST', '/access/identity_providers', {
      name: 'okta',
      type: 'okta',
      config: {},
    });
    expect(idp.status).toBe(201);
    const badIdp = await call(e, 'POST', '/access/identity_providers', {
      name: 'x',
      type: 'myspace',
      config: {},
    });
    expect(badIdp.status).toBe(400);
    const posture = await call(e, 'POST', '/devices/posture', { name: 'disk', type: 'disk_encryption' });
    expect(posture.body.result).toMatchObject({ name: 'disk', type: 'disk_encryption' });

    const zg = await call(e, 'POST', '~/zones/z1/access/groups', { name: 'zone group', ...everyone });
    expect(zg.status).toBe(201);
    expect((await call(e, 'GET', '/access/groups')).body.result).toEqual([]);
    expect((await call(e, 'GET', '~/zones/z1/access/groups')).body.result).toHaveLength(1);
    expect((await call(e, 'GET', '~/zones/z1/access/policies')).status).toBe(404);
  });
});

describe('emulator: persistence', () => {
  it('writes every acknowledged change to the state file and reloads it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aclc-emu-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await emu.start({ stateFile });
      const g = (await call(first, 'POST', '/access/groups', { name: 'eng', ...everyone })).body.result;
      // on disk as soon as it was acknowledged, before any close
      // (`uid` is computed when answering, not stored)
      const { uid: _uid, ...stored } = g;
      expect(JSON.parse(await readFile(stateFile, 'utf8')).groups).toEqual([stored]);
      await emu.closeAll();

      const second = await emu.start({ stateFile });
      expect((await call(second, 'GET', `/access/groups/${g.id}`)).body.result).toEqual(g);
      // an app created before the restart stays "native": no app-scoped policies
      const a = (
        await call(second, 'POST', '/access/apps', {
          name: 'a',
          type: 'self_hosted',
          domain: 'a.example.com',
          policies: [],
        })
      ).body.result;
      await emu.closeAll();
      const third = await emu.start({ stateFile });
      expect(
        (
          await call(third, 'POST', `/access/apps/${a.id}/policies`, {
            name: 'x',
            decision: 'allow',
            ...everyone,
          })
        ).status,
      ).toBe(400);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads a seed file, and reports a broken one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aclc-emu-'));
    try {
      const seedFile = join(dir, 'seed.json');
      await writeFile(seedFile, JSON.stringify(SEED));
      const e = await emu.start({ seedFile });
      expect((await call(e, 'GET', '/access/apps')).body.result[0]).toMatchObject({
        id: LEGACY_APP,
        name: 'wiki',
      });
      await writeFile(seedFile, JSON.stringify({ groups: {} }));
      await expect(emu.start({ seedFile })).rejects.toThrow(
        `cannot load emulator seed file \`${seedFile}\`: groups: must be array, found an object`,
      );
      // checked against schemas/emulator-seed.schema.json: the place, what is wrong, up to three problems
      await writeFile(
        seedFile,
        JSON.stringify({
          group: [],
          apps: [{ id: 'a', policies: [{ id: 'p' }] }],
          app_policies: [{ id: 'l', precedence: 1 }],
        }),
      );
      await expect(emu.start({ seedFile })).rejects.toThrow(
        '(top level): unknown field `group`; apps[0].policies[0]: missing field `precedence`; app_policies[0]: missing field `app_id`',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('emulator: fault injection', () => {
  it('fails before doing anything', async () => {
    const e = await emu.start({ failRate: 1 });
    const r = await call(e, 'POST', '/access/groups', { name: 'eng', ...everyone });
    expect([r.status, r.body]).toEqual([
      500,
      failed({ code: 10001, message: 'access.api.error.internal_server_error: an internal error occurred' }),
    ]);
    expect(e.state().groups).toEqual([]);
  });

  it('fails after doing it, losing the answer', async () => {
    const e = await emu.start({ failRate: 1, failMode: 'after' });
    expect((await call(e, 'POST', '/access/groups', { name: 'eng', ...everyone })).status).toBe(500);
    expect(e.state().groups.map((g) => g.name)).toEqual(['eng']);
    const r = await emu.start({ failRate: 1, failMode: 'reset' });
    await expect(call(r, 'POST', '/access/groups', { name: 'eng', ...everyone })).rejects.toThrow();
    expect(r.state().groups).toHaveLength(1);
  });

  it('fails at the given rate with the given random source', async () => {
    const draws = [0.05, 0.5, 0.05, 0.9];
    const e = await emu.start({ failRate: 0.1, random: () => draws.shift() ?? 0.99 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(e, 'GET', '/access/groups')).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  it('rate limits with 429 and Retry-After', async () => {
    const e = await emu.start({ rateLimit: { requests: 2, windowMs: 60_000 } });
    expect((await call(e, 'GET', '/access/groups')).status).toBe(200);
    expect((await call(e, 'GET', '/access/groups')).status).toBe(200);
    const limited = await call(e, 'GET', '/access/groups');
    expect([limited.status, limited.headers.get('retry-after'), limited.body]).toEqual([
      429,
      '60',
      failed({ code: 971, message: 'Please wait and consider throttling your request speed' }),
    ]);
  });

  it('adds latency', async () => {
    const e = await emu.start({ latencyMs: 40 });
    const t = Date.now();
    await call(e, 'GET', '/access/groups');
    expect(Date.now() - t).toBeGreaterThanOrEqual(35);
  });
});
