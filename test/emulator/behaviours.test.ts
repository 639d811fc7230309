import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators, everyone } from './helpers.js';

/** The server-side behaviour of src/emulator/behaviours.ts, over real HTTP. */
const emu = emulators();
afterEach(() => emu.closeAll());

const APP = 'c0a7ac70-0000-4000-8000-0000000000a1';
const LEGACY = 'c0a7ac70-0000-4000-8000-0000000000c1';
const legacySeed = {
  apps: [{ id: APP, name: 'Wiki', type: 'self_hosted', domain: 'wiki.example.com' }],
  app_policies: [
    { id: LEGACY, app_id: APP, name: 'Break glass', decision: 'allow', precedence: 2, ...everyone },
  ],
};

describe('emulator behaviours', () => {
  it('fills policy and app defaults, computed fields and /32 /128 blocks', async () => {
    const e = await emu.start();
    const p = (
      await call(e, 'POST', '/access/policies', {
        name: 'p',
        decision: 'allow',
        include: [
          { ip: { ip: '192.0.2.7' } },
          { ip: { ip: '2001:db8::1' } },
          { ip: { ip: '198.51.100.0/24' } },
        ],
      })
    ).body.result;
    expect(p).toMatchObject({
      session_duration: '24h',
      exclude: [],
      require: [],
      uid: p.id,
      reusable: true,
      app_count: 0,
    });
    expect(p.include).toEqual([
      { ip: { ip: '192.0.2.7/32' } },
      { ip: { ip: '2001:db8::1/128' } },
      { ip: { ip: '198.51.100.0/24' } },
    ]);
    const a = (
      await call(e, 'POST', '/access/apps', {
        name: 'a',
        type: 'self_hosted',
        domain: 'a.example.com',
        policies: [{ id: p.id, precedence: 1 }],
      })
    ).body.result;
    expect(a).toMatchObject({
      allowed_idps: [],
      app_launcher_visible: true,
      auto_redirect_to_identity: false,
      enable_binding_cookie: false,
      http_only_cookie_attribute: true,
      options_preflight_bypass: false,
      session_duration: '24h',
      tags: [],
      uid: a.id,
      destinations: [{ type: 'public', uri: 'a.example.com' }],
    });
    expect(a.aud).toMatch(/^[0-9a-f]{64}$/);
    // expanded policies, and the policy now counts the app
    expect(a.policies).toEqual([{ ...p, app_count: 1, precedence: 1 }]);
    // destinations win over self_hosted_domains and give the domain
    const d = (
      await call(e, 'POST', '/access/apps', {
        name: 'd',
        type: 'self_hosted',
        domain: 'ignored.example.com',
        destinations: [
          { type: 'private', cidr: '10.0.0.1' },
          { type: 'public', uri: 'd.example.com/x' },
        ],
      })
    ).body.result;
    expect([d.domain, d.destinations[0].cidr]).toEqual(['d.example.com/x', '10.0.0.1/32']);
  });

  it('replaces on PUT: fields not sent are gone, policies kept only when not sent', async () => {
    const e = await emu.start();
    const p = (await call(e, 'POST', '/access/policies', { name: 'p', decision: 'allow', ...everyone })).body
      .result;
    const body = {
      name: 'a',
      type: 'self_hosted',
      domain: 'a.example.com',
      policies: [{ id: p.id, precedence: 1 }],
    };
    const a = (
      await call(e, 'POST', '/access/apps', {
        ...body,
        scim_config: { remote_uri: 'https://s', idp_uid: 'i' },
        oauth_configuration: {},
      })
    ).body.result;
    expect(a.oauth_configuration).toEqual({ enabled: true });
    const { policies: _p, ...withoutPolicies } = body;
    const put = (await call(e, 'PUT', `/access/apps/${a.id}`, { ...withoutPolicies, session_duration: '8h' }))
      .body.result;
    expect(put).not.toHaveProperty('scim_config');
    expect(put).not.toHaveProperty('oauth_configuration');
    expect(put.policies.map((x: { id: string }) => x.id)).toEqual([p.id]);
    const cleared = (await call(e, 'PUT', `/access/apps/${a.id}`, { ...body, policies: [] })).body.result;
    expect([cleared.policies, cleared.session_duration]).toEqual([[], '24h']);
  });

  it('shapes legacy policies without `reusable`, and an app PUT detaches the ones it leaves out', async () => {
    const e = await emu.start({ seed: legacySeed });
    const app = (await call(e, 'GET', `/access/apps/${APP}`)).body.result;
    expect(app.policies).toEqual([
      expect.objectContaining({ id: LEGACY, precedence: 2, session_duration: '24h' }),
    ]);
    expect(app.policies[0]).not.toHaveProperty('reusable');
    const base = { name: 'Wiki', type: 'self_hosted', domain: 'wiki.example.com' };
    // sent back by id: kept, at the new precedence
    await call(e, 'PUT', `/access/apps/${APP}`, { ...base, policies: [{ id: LEGACY, precedence: 5 }] });
    expect(e.state().app_policies.map((p) => [p.id, p.precedence])).toEqual([[LEGACY, 5]]);
    // an inline policy is created as an app-scoped one, precedence after the others
    await call(e, 'PUT', `/access/apps/${APP}`, {
      ...base,
      policies: [
        { id: LEGACY, precedence: 5 },
        { name: 'Ops', decision: 'allow', ...everyone },
      ],
    });
    expect(e.state().app_policies.map((p) => [p.name, p.precedence])).toEqual([
      ['Break glass', 5],
      ['Ops', 6],
    ]);
    // left out: detached, which deletes them
    await call(e, 'PUT', `/access/apps/${APP}`, { ...base, policies: [] });
    expect(e.state().app_policies).toEqual([]);
  });
});
