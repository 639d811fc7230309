import { describe, expect, it } from 'vitest';
import { normaliseState } from '../../src/emulator/state.js';

const opts = { now: '2025-01-01T00:00:00.000Z', newId: () => 'new-id' };

describe('normaliseState', () => {
  it('fills ids and timestamps, accepts keyed app_policies and drops token secrets', () => {
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
      groups: [{ id: 'new-id', name: 'g', include: [], created_at: opts.now, updated_at: opts.now }],
      policies: [],
      apps: [
        {
          id: 'a1',
          name: 'a',
          domain: 'a.example.com',
          policies: [],
          created_at: opts.now,
          updated_at: opts.now,
        },
      ],
      app_policies: [
        { id: 'p1', name: 'p', precedence: 1, app_id: 'a1', created_at: opts.now, updated_at: opts.now },
      ],
      identity_providers: [],
      service_tokens: [{ id: 't1', name: 't', created_at: opts.now, updated_at: opts.now }],
      lists: [],
      posture_rules: [],
      zones: {},
      emulator: { native_app_ids: [] },
    });
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
