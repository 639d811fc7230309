import { describe, expect, it } from 'vitest';
import { normaliseState } from '../../src/emulator/state.js';

const opts = { now: '2025-01-01T00:00:00.000Z', newId: () => 'new-id' };
/** Stored timestamps are to the second, as Cloudflare answers them. */
const at = '2025-01-01T00:00:00Z';

describe('normaliseState', () => {
  it('fills ids, timestamps and the API defaults, accepts keyed app_policies and drops token secrets', () => {
    const s = normaliseState(
      {
        groups: [{ name: 'g', include: [] }],
        apps: [{ id: 'a1', name: 'a', domain: 'a.example.com' }],
        app_policies: { a1: [{ id: 'p1', name: 'p', precedence: 1 }] },
        service_tokens: [{ id: 't1', name: 't', client_secret: 'shh' }],
      },
      opts,
    );
    expect(s).toEqual({
      groups: [
        { id: 'new-id', name: 'g', include: [], exclude: [], require: [], created_at: at, updated_at: at },
      ],
      policies: [],
      apps: [
        {
          id: 'a1',
          name: 'a',
          domain: 'a.example.com',
          destinations: [{ type: 'public', uri: 'a.example.com' }],
          allowed_idps: [],
          app_launcher_visible: true,
          auto_redirect_to_identity: false,
          enable_binding_cookie: false,
          http_only_cookie_attribute: true,
          options_preflight_bypass: false,
          session_duration: '24h',
          tags: [],
          policies: [],
          created_at: at,
          updated_at: at,
        },
      ],
      app_policies: [
        {
          id: 'p1',
          name: 'p',
          precedence: 1,
          include: [],
          exclude: [],
          require: [],
          session_duration: '24h',
          app_id: 'a1',
          created_at: at,
          updated_at: at,
        },
      ],
      identity_providers: [],
      service_tokens: [{ id: 't1', name: 't', created_at: at, updated_at: at }],
      lists: [],
      posture_rules: [],
      zones: {},
      emulator: { native_app_ids: [] },
      tags: [],
    });
  });

  it('keeps the Access tags of a state file, and adds the tags seeded apps carry', () => {
    const s = normaliseState(
      {
        tags: [{ name: 'aclc-lock 2030-01-01T00:00:00.000Z 0a.1 1@h', created_at: '2024-10-09T01:50:10Z' }],
        apps: [{ id: 'a1', name: 'a', domain: 'a.example.com', tags: ['engineers', 'engineers'] }],
        zones: { z1: { apps: [{ id: 'a2', name: 'b', domain: 'b.example.com', tags: ['ops'] }] } },
      },
      opts,
    );
    if (typeof s === 'string') throw new Error(s);
    expect(s.tags).toEqual([
      {
        name: 'aclc-lock 2030-01-01T00:00:00.000Z 0a.1 1@h',
        created_at: '2024-10-09T01:50:10Z',
        updated_at: '2024-10-09T01:50:10Z',
      },
      { name: 'engineers', created_at: at, updated_at: at },
      { name: 'ops', created_at: at, updated_at: at },
    ]);
    // What the emulator saves reads back the same.
    expect(normaliseState(JSON.parse(JSON.stringify(s)), opts)).toEqual(s);
  });

  it('says what is wrong with a bad document', () => {
    expect(normaliseState([], opts)).toBe('the document is not a JSON object');
    expect(normaliseState({ policies: [1] }, opts)).toBe('`policies[0]` is not an object');
    expect(normaliseState({ app_policies: [{ id: 'p', precedence: 1 }] }, opts)).toBe(
      'app policy `p` has no `app_id`',
    );
    expect(normaliseState({ zones: { z: { groups: 'x' } } }, opts)).toBe('`zones.z.groups` is not an array');
  });
});
