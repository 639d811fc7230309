import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators } from './helpers.js';

/** Each app type's request body, checked as the API's schema says (`access_app_request`), over real HTTP. */
const emu = emulators();
afterEach(() => emu.closeAll());

const saml = { sp_entity_id: 'https://x.example.com', consumer_service_url: 'https://x.example.com/acs' };
const ssh = [{ port: 22, protocol: 'SSH', target_attributes: { hostname: ['web-1'] } }];
const rdp = [{ port: 3389, protocol: 'RDP', target_attributes: { hostname: ['win-1'] } }];

describe('emulator: app types', () => {
  it.each([
    ['saas (SAML)', { type: 'saas', saas_app: saml }],
    [
      'saas (OIDC)',
      { type: 'saas', saas_app: { auth_type: 'oidc', redirect_uris: ['https://x.example.com'] } },
    ],
    ['bookmark', { type: 'bookmark', domain: 'https://status.example.com' }],
    ['infrastructure', { type: 'infrastructure', target_criteria: ssh }],
    ['rdp', { type: 'rdp', domain: 'rdp.example.com', target_criteria: rdp }],
  ])('accepts %s', async (_what, body) => {
    const e = await emu.start();
    const r = await call(e, 'POST', '/access/apps', { name: 'A', ...body });
    expect(r.status).toBe(201);
  });

  it.each([
    ['infrastructure without target_criteria', { type: 'infrastructure' }],
    ['infrastructure over RDP', { type: 'infrastructure', target_criteria: rdp }],
    ['rdp without target_criteria', { type: 'rdp', domain: 'rdp.example.com' }],
    ['rdp over SSH', { type: 'rdp', domain: 'rdp.example.com', target_criteria: ssh }],
    [
      'a target without a port',
      { type: 'infrastructure', target_criteria: [{ protocol: 'SSH', target_attributes: {} }] },
    ],
    ['saas with an unknown name_id_format', { type: 'saas', saas_app: { ...saml, name_id_format: 'upn' } }],
    [
      'OIDC with an unknown grant type',
      { type: 'saas', saas_app: { auth_type: 'oidc', grant_types: ['password'] } },
    ],
    ['bookmark with a domain that is not a string', { type: 'bookmark', domain: 7 }],
  ])('refuses %s (400)', async (_what, body) => {
    const e = await emu.start();
    const r = await call(e, 'POST', '/access/apps', { name: 'A', ...body });
    expect(r.status).toBe(400);
  });

  it('computes SaaS fields, answers the OIDC secret once, and keeps them across a PUT', async () => {
    const e = await emu.start();
    const created = await call(e, 'POST', '/access/apps', {
      name: 'Wiki',
      type: 'saas',
      saas_app: { auth_type: 'oidc', redirect_uris: ['https://wiki.example.com/cb'] },
    });
    const app = created.body.result;
    expect(app.saas_app.client_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(app.saas_app.client_id).toMatch(/^[0-9a-f]{64}$/);
    expect(app.domain).toBe(`emulator.cloudflareaccess.com/cdn-cgi/access/sso/oidc/${app.aud}`);
    const read = (await call(e, 'GET', `/access/apps/${app.id}`)).body.result;
    expect(read.saas_app).not.toHaveProperty('client_secret');
    const put = await call(e, 'PUT', `/access/apps/${app.id}`, {
      name: 'Wiki',
      type: 'saas',
      saas_app: { auth_type: 'oidc', redirect_uris: ['https://wiki.example.com/cb2'] },
    });
    expect(put.status).toBe(200);
    expect(put.body.result.saas_app).toMatchObject({
      client_id: app.saas_app.client_id,
      redirect_uris: ['https://wiki.example.com/cb2'],
    });
    expect(put.body.result.domain).toBe(app.domain);

    const samlApp = (
      await call(e, 'POST', '/access/apps', { name: 'Expenses', type: 'saas', saas_app: saml })
    ).body.result;
    expect(samlApp.saas_app).toMatchObject({
      idp_entity_id: 'https://emulator.cloudflareaccess.com',
      sso_endpoint: `https://emulator.cloudflareaccess.com/cdn-cgi/access/sso/saml/${samlApp.aud}`,
      public_key: expect.stringContaining('BEGIN CERTIFICATE'),
    });
    expect(samlApp.saas_app).not.toHaveProperty('client_secret');
  });
});
