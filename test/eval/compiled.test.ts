import { describe, expect, it } from 'vitest';
import {
  evaluateCompiledApp,
  evaluateCompiledBody,
  evaluateCompiledPolicy,
} from '../../src/eval/compiled.js';
import type { CompiledProject, WireGroup, WirePolicy } from '../../src/model/compiled.js';

const policy = (
  name: string,
  decision: WirePolicy['decision'],
  include: WirePolicy['include'],
  extra: Partial<WirePolicy> = {},
): WirePolicy => ({
  name,
  decision,
  include,
  exclude: [],
  require: [],
  ...extra,
});

const doc: CompiledProject = {
  groups: [
    {
      name: 'staff',
      include: [{ email_domain: { domain: 'example.com' } }],
      exclude: [{ email: { email: 'intern@example.com' } }],
      require: [],
    },
    {
      name: 'staff-mfa',
      include: [{ group: { id: '$ref:group:staff' } }],
      exclude: [],
      require: [{ auth_method: { auth_method: 'mfa' } }],
    },
  ],
  policies: [
    policy('Block', 'deny', [{ geo: { country_code: 'KP' } }]),
    policy('Staff', 'allow', [{ group: { id: '$ref:group:staff-mfa' } }]),
    policy('Admins', 'allow', [
      { group: { id: '$ref:group:admins' } },
      { group: { id: '7c1e5f1d-literal' } },
    ]),
    policy('Health', 'bypass', [{ ip: { ip: '192.0.2.0/24' } }]),
  ],
  apps: [
    {
      name: 'Portal',
      type: 'self_hosted',
      domain: 'portal.example.com',
      policies: [
        { id: '$ref:policy:Block', precedence: 1 },
        { id: '$ref:policy:Staff', precedence: 2 },
        { id: '$ref:policy:Admins', precedence: 3 },
        { id: '$ref:policy:Health', precedence: 9 },
        { id: '$ref:policy:Missing', precedence: 4 },
      ],
    },
  ],
};

describe('evaluateCompiledApp', () => {
  it('evaluates bypass first, then by precedence', () => {
    expect(evaluateCompiledApp(doc, 'Portal', { ip: '192.0.2.7', country: 'KP' })).toEqual({
      decision: 'bypass',
      policy: 'Health',
      precedence: 9,
    });
    expect(
      evaluateCompiledApp(doc, 'Portal', { email: 'a@example.com', authMethods: ['mfa'], country: 'KP' }),
    ).toEqual({
      decision: 'deny',
      policy: 'Block',
      precedence: 1,
    });
    expect(evaluateCompiledApp(doc, 'Portal', { email: 'a@example.com', authMethods: ['mfa'] })).toEqual({
      decision: 'allow',
      policy: 'Staff',
      precedence: 2,
    });
  });

  it('follows groups of the document: include, require and exclude', () => {
    expect(evaluateCompiledApp(doc, 'Portal', { email: 'intern@example.com', authMethods: ['mfa'] })).toEqual(
      {
        decision: 'none',
      },
    );
    expect(evaluateCompiledApp(doc, 'Portal', { email: 'a@example.com' })).toEqual({ decision: 'none' });
  });

  it('matches groups not in the document (placeholder or literal id) as account groups', () => {
    expect(evaluateCompiledApp(doc, 'Portal', { accessGroups: ['admins'] })).toMatchObject({
      policy: 'Admins',
    });
    expect(evaluateCompiledApp(doc, 'Portal', { accessGroups: ['7c1e5f1d-literal'] })).toMatchObject({
      policy: 'Admins',
    });
    expect(evaluateCompiledApp(doc, 'Portal', { accessGroups: ['staff'] })).toEqual({ decision: 'none' });
  });

  it('decides `none` for an unknown app', () => {
    expect(evaluateCompiledApp(doc, 'Nope', { ip: '192.0.2.7' })).toEqual({ decision: 'none' });
  });
});

describe('evaluateCompiledPolicy', () => {
  it('needs any include, every require and no exclude', () => {
    const p = policy('P', 'allow', [{ geo: { country_code: 'US' } }, { geo: { country_code: 'DE' } }], {
      require: [{ certificate: {} }, { auth_method: { auth_method: 'hwk' } }],
      exclude: [{ email: { email: 'mallory@example.com' } }],
    });
    expect(evaluateCompiledPolicy(doc, p, { country: 'DE', certificate: true, authMethods: ['hwk'] })).toBe(
      true,
    );
    expect(evaluateCompiledPolicy(doc, p, { country: 'FR', certificate: true, authMethods: ['hwk'] })).toBe(
      false,
    );
    expect(evaluateCompiledPolicy(doc, p, { country: 'US', certificate: true })).toBe(false);
    expect(
      evaluateCompiledPolicy(doc, p, {
        country: 'US',
        certificate: true,
        authMethods: ['hwk'],
        email: 'mallory@example.com',
      }),
    ).toBe(false);
  });

  it('never matches an unknown rule type', () => {
    expect(evaluateCompiledPolicy(doc, policy('P', 'allow', [{ connection: { id: 'x' } }]), {})).toBe(false);
  });

  it('treats a group cycle in a hand-written document as no match instead of hanging', () => {
    const cyclic: CompiledProject = {
      groups: [
        { name: 'a', include: [{ group: { id: '$ref:group:b' } }], exclude: [], require: [] },
        { name: 'b', include: [{ group: { id: '$ref:group:a' } }], exclude: [], require: [] },
      ],
      policies: [],
      apps: [],
    };
    const body = { include: [{ group: { id: '$ref:group:a' } }], exclude: [], require: [] };
    expect(evaluateCompiledBody(cyclic, body, {})).toBe(false);
  });

  it('evaluates a chain of 500 nested groups', () => {
    const groups = Array.from(
      { length: 500 },
      (_, i): WireGroup => ({
        name: `g${i}`,
        include: [i === 499 ? { certificate: {} } : { group: { id: `$ref:group:g${i + 1}` } }],
        exclude: [],
        require: [],
      }),
    );
    const chain: CompiledProject = { groups, policies: [], apps: [] };
    const body = { include: [{ group: { id: '$ref:group:g0' } }], exclude: [], require: [] };
    expect(evaluateCompiledBody(chain, body, { certificate: true })).toBe(true);
    expect(evaluateCompiledBody(chain, body, { certificate: false })).toBe(false);
  });
});
