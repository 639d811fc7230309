import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators, ISO } from './helpers.js';

/** The emulator's Access tags (`src/emulator/tags.ts`), over HTTP. */

const emu = emulators();
afterEach(() => emu.closeAll());

const app = (tags: string[]) => ({ name: 'Wiki', type: 'self_hosted', domain: 'wiki.example.com', tags });

describe('emulator: Access tags', () => {
  it('creates, lists, reads and deletes a tag by its name, shaped like the recorded list', async () => {
    const e = await emu.start();
    const created = await call(e, 'POST', '/access/tags', { name: 'engineers' });
    expect(created.status).toBe(201);
    expect(created.body.result).toEqual({
      name: 'engineers',
      app_count: 0,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const list = await call(e, 'GET', '/access/tags');
    expect(list.body.result).toEqual([created.body.result]);
    expect(list.body.result_info).toMatchObject({ count: 1, total_count: 1 });
    expect((await call(e, 'GET', '/access/tags/engineers')).body.result).toEqual(created.body.result);
    expect((await call(e, 'DELETE', '/access/tags/engineers')).status).toBe(200);
    expect((await call(e, 'GET', '/access/tags/engineers')).status).toBe(404);
  });

  it('answers the recorded tag list as Cloudflare did', async () => {
    // cf-terraforming testdata/cloudflare/v5/cloudflare_zero_trust_access_tag.yaml (commit e76aa743), GET /access/tags.
    const recorded = {
      result: [
        {
          app_count: 0,
          created_at: '2024-10-09T01:50:10Z',
          name: 'jegqpocgur',
          updated_at: '2024-10-09T01:50:10Z',
        },
        {
          app_count: 0,
          created_at: '2024-11-04T15:13:08Z',
          name: 'sblpxfmjgt',
          updated_at: '2024-11-04T15:13:08Z',
        },
      ],
      result_info: { count: 2, page: 1, per_page: 50, total_count: 2, total_pages: 1 },
    };
    const e = await emu.start({ seed: { tags: recorded.result } });
    const list = await call(e, 'GET', '/access/tags');
    expect(list.status).toBe(200);
    expect({ result: list.body.result, result_info: list.body.result_info }).toEqual(recorded);
  });

  it('refuses a second tag of a name by default, and stores it with --tag-duplicates accept', async () => {
    const refusing = await emu.start();
    await call(refusing, 'POST', '/access/tags', { name: 'x' });
    const again = await call(refusing, 'POST', '/access/tags', { name: 'x' });
    expect(again.status).toBe(409);
    expect((await call(refusing, 'GET', '/access/tags')).body.result).toHaveLength(1);

    const accepting = await emu.start({ tagDuplicates: 'accept' });
    await call(accepting, 'POST', '/access/tags', { name: 'x' });
    expect((await call(accepting, 'POST', '/access/tags', { name: 'x' })).status).toBe(201);
    expect(
      (await call(accepting, 'GET', '/access/tags')).body.result.map((t: { name: string }) => t.name),
    ).toEqual(['x', 'x']);
    // A delete by name removes one of them.
    await call(accepting, 'DELETE', '/access/tags/x');
    expect((await call(accepting, 'GET', '/access/tags')).body.result).toHaveLength(1);
  });

  it('refuses an app that names a tag the account does not have, and counts the apps of a tag', async () => {
    const e = await emu.start();
    const refused = await call(e, 'POST', '/access/apps', app(['ops']));
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain('`ops`');
    await call(e, 'POST', '/access/tags', { name: 'ops' });
    const made = await call(e, 'POST', '/access/apps', app(['ops']));
    expect(made.status).toBe(201);
    expect((await call(e, 'GET', '/access/tags/ops')).body.result.app_count).toBe(1);
    const renamed = await call(e, 'PUT', `/access/apps/${made.body.result.id}`, app(['ops', 'gone']));
    expect(renamed.status).toBe(400);
  });

  it('keeps its tags across a restart (state file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aclc-emu-tags-'));
    try {
      const stateFile = join(dir, 'state.json');
      const first = await emu.start({ stateFile });
      const tag = (
        await call(first, 'POST', '/access/tags', { name: 'aclc-lock 2030-01-01T00:00:00.000Z 0a.1 1@h' })
      ).body.result;
      await call(first, 'POST', '/access/tags', { name: 'ops' });
      await call(first, 'POST', '/access/apps', app(['ops']));
      expect(JSON.parse(await readFile(stateFile, 'utf8')).tags).toHaveLength(2);
      await emu.closeAll();
      const second = await emu.start({ stateFile });
      const tags = (await call(second, 'GET', '/access/tags')).body.result;
      expect(tags).toEqual([
        { ...tag, app_count: 0 },
        expect.objectContaining({ name: 'ops', app_count: 1 }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
