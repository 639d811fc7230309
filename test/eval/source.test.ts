import { describe, expect, it } from 'vitest';
import { evaluateFormula } from '../../src/eval/formula.js';
import { evaluateApp, evaluatePolicy, projectGroups } from '../../src/eval/source.js';
import {
  and,
  anyServiceToken,
  country,
  domain,
  email,
  externGroup,
  group,
  mfa,
  not,
  project,
} from '../compiler/helpers.js';

const p = project({
  groups: { staff: domain('example.com'), admins: undefined },
  policies: [
    { name: 'Health checks', decision: 'bypass', formula: email('monitor@example.com') },
    { name: 'CI', decision: 'non_identity', formula: anyServiceToken },
    { name: 'Embargo', decision: 'deny', formula: country('KP') },
    { name: 'Staff with MFA', decision: 'allow', formula: and(group('staff'), mfa()) },
    { name: 'Admins', decision: 'allow', formula: group('admins') },
  ],
  apps: [
    {
      name: 'Portal',
      policies: [
        ['Embargo', 1],
        ['Staff with MFA', 2],
        ['Health checks', 30],
        ['CI', 20],
        ['Admins', 3],
      ],
    },
  ],
});

describe('evaluateApp (source)', () => {
  it('runs bypass and service auth first, whatever their precedence', () => {
    expect(evaluateApp(p, 'Portal', { email: 'monitor@example.com', country: 'KP' })).toEqual({
      decision: 'bypass',
      policy: 'Health checks',
      precedence: 30,
    });
    expect(
      evaluateApp(p, 'Portal', { serviceToken: 'tok', country: 'KP', email: 'monitor@example.com' }),
    ).toEqual({
      decision: 'non_identity',
      policy: 'CI',
      precedence: 20,
    });
  });

  it('then allow and block by precedence; the first match decides', () => {
    expect(
      evaluateApp(p, 'Portal', { email: 'bob@example.com', authMethods: ['mfa'], country: 'KP' }),
    ).toEqual({
      decision: 'deny',
      policy: 'Embargo',
      precedence: 1,
    });
    expect(
      evaluateApp(p, 'Portal', { email: 'bob@example.com', authMethods: ['mfa'], country: 'US' }),
    ).toEqual({
      decision: 'allow',
      policy: 'Staff with MFA',
      precedence: 2,
    });
  });

  it('decides `none` when nothing matches and for an unknown app', () => {
    expect(evaluateApp(p, 'Portal', { email: 'bob@example.com', country: 'US' })).toEqual({
      decision: 'none',
    });
    expect(evaluateApp(p, 'Nope', { email: 'monitor@example.com' })).toEqual({ decision: 'none' });
  });

  it('treats an extern group as the account group of that name', () => {
    expect(evaluateApp(p, 'Portal', { accessGroups: ['admins'] })).toEqual({
      decision: 'allow',
      policy: 'Admins',
      precedence: 3,
    });
    const groups = projectGroups(p);
    expect(evaluateFormula(group('admins'), { accessGroups: ['admins'] }, groups)).toBe(true);
    expect(evaluateFormula(externGroup('admins'), { accessGroups: ['admins'] }, groups)).toBe(true);
    expect(evaluateFormula(not(group('staff')), { email: 'x@example.com' }, groups)).toBe(false);
  });

  it('evaluates one policy', () => {
    const policy = p.policies.get('Staff with MFA');
    expect(policy && evaluatePolicy(p, policy, { email: 'a@example.com', authMethods: ['mfa'] })).toBe(true);
    expect(policy && evaluatePolicy(p, policy, { email: 'a@example.org', authMethods: ['mfa'] })).toBe(false);
  });
});
