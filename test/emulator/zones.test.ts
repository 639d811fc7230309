import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators, everyone, failed } from './helpers.js';

/** The emulator's zones: `GET /zones` from the seed's `zone_names`, and zone-level groups, apps and their policies. */

const emu = emulators();
afterEach(() => emu.closeAll());

const ZONE = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';
const SEED = { zone_names: { [ZONE]: 'Example.com', [OTHER]: 'example.net' } };

describe('emulator: zones', () => {
  it('lists the seeded zones by name, paginated as Cloudflare does', async () => {
    const e = await emu.start({ seed: SEED });
    const named = await call(e, 'GET', '~/zones?name=example.com');
    expect(named.status).toBe(200);
    expect(named.body.result).toEqual([
      {
        id: ZONE,
        name: 'example.com',
        status: 'active',
        paused: false,
        type: 'full',
        account: { id: e.accountId, name: 'emulated account' },
      },
    ]);
    expect(named.body.result_info).toMatchObject({ page: 1, per_page: 20, total_count: 1 });
    expect((await call(e, 'GET', '~/zones?name=nowhere.example')).body.result).toEqual([]);
    expect((await call(e, 'GET', '~/zones')).body.result.map((z: { name: string }) => z.name)).toEqual([
      'example.com',
      'example.net',
    ]);
    const tooMany = await call(e, 'GET', '~/zones?per_page=100');
    expect(tooMany.status).toBe(400);
    expect((await call(e, 'POST', '~/zones', {})).status).toBe(405);
  });

  it('keeps zone objects in their zone, gives zone apps their own policies, and has no zone reusable policies', async () => {
    const e = await emu.start({ seed: SEED });
    const group = (await call(e, 'POST', `~/zones/${ZONE}/access/groups`, { name: 'Z', ...everyone })).body
      .result;
    const app = (
      await call(e, 'POST', `~/zones/${ZONE}/access/apps`, {
        name: 'Wiki',
        type: 'self_hosted',
        domain: 'wiki.example.com',
        policies: [{ name: 'Inline', decision: 'allow', include: [{ group: { id: group.id } }] }],
      })
    ).body.result;
    expect(app.policies.map((p: { name: string; precedence: number }) => [p.name, p.precedence])).toEqual([
      ['Inline', 1],
    ]);
    // A zone app has no reusable policies to link: its own are also created through its policies endpoint.
    const added = await call(e, 'POST', `~/zones/${ZONE}/access/apps/${app.id}/policies`, {
      name: 'Added',
      decision: 'deny',
      precedence: 2,
      ...everyone,
    });
    expect(added.status).toBe(201);
    // Nothing of the zone shows at account level or in another zone.
    expect((await call(e, 'GET', '/access/apps')).body.result).toEqual([]);
    expect((await call(e, 'GET', `~/zones/${OTHER}/access/groups`)).body.result).toEqual([]);
    // A group of one zone does not exist in another.
    const elsewhere = await call(e, 'POST', `~/zones/${OTHER}/access/groups`, {
      name: 'Y',
      include: [{ group: { id: group.id } }],
    });
    expect(elsewhere.status).toBe(400);
    const policies = await call(e, 'GET', `~/zones/${ZONE}/access/policies`);
    expect(policies.body).toEqual(failed({ code: 7000, message: 'No route for that URI' }));
  });
});
