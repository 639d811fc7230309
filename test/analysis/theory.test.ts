import { describe, expect, it } from 'vitest';
import { THEORY_SELECTORS } from '../../src/analysis/theory.js';
import type { Formula } from '../../src/model/formula.js';
import { SELECTORS } from '../../src/selectors/table.js';
import {
  accessGroup,
  accountMember,
  and,
  anyToken,
  authContext,
  authMethod,
  azure,
  certificate,
  commonName,
  country,
  domain,
  email,
  emailList,
  everyone,
  external,
  github,
  ip,
  ipList,
  linkedApp,
  login,
  not,
  oidc,
  okta,
  or,
  posture,
  risk,
  saml,
  TRUE,
  token,
} from './formulas.js';
import { harness } from './harness.js';

/** The selectors' meaning, checked through the analyzer (every witness is checked with the evaluator). */
describe('theory: one email per identity', () => {
  const t = harness();
  it('distinct emails and distinct domains are exclusive', () => {
    t.unsat(and(email('a@x.com'), email('b@x.com')));
    t.unsat(and(domain('x.com'), domain('y.com')));
  });
  it('an email implies its domain and excludes every other', () => {
    t.unsat(and(email('a@x.com'), not(domain('x.com'))));
    t.implies(email('a@x.com'), domain('x.com'));
    t.disjoint(email('a@x.com'), domain('y.com'));
    expect(t.notImplies(domain('x.com'), email('a@x.com'))).toEqual({ email: 'user@x.com' });
  });
  it('matches the exact domain, not subdomains', () => {
    t.disjoint(email('a@sub.x.com'), domain('x.com'));
    t.disjoint(domain('sub.x.com'), domain('x.com'));
  });
  it('picks a fresh local part and a fresh domain', () => {
    expect(t.sat(and(domain('x.com'), not(email('user@x.com'))))).toEqual({ email: 'user2@x.com' });
    expect(t.sat(not(domain('x.com')))).toEqual({ email: 'user@example.com' });
  });
});

describe('theory: country, risk, linked apps, certificates', () => {
  const t = harness();
  it('one country per request, a fresh valid code when the condition needs "not"', () => {
    t.unsat(and(country('US'), country('DE')));
    expect(t.sat(not(country('US')))).toEqual({ country: 'FR' });
    // DE is mentioned by an earlier question of this analyzer, so the next unmentioned code is used
    expect(t.sat(and(not(country('FR')), not(country('US'))))).toEqual({ country: 'JP' });
  });
  it('every user has exactly one risk level; a service token has none', () => {
    t.unsat(and(risk('high'), risk('low', 'medium')));
    t.implies(risk('low'), risk('low', 'high'));
    expect(t.notImplies(risk('low', 'high'), risk('low'))).toEqual({ riskScore: 'high' });
    // Excluding every level leaves only service tokens (Access API schema: low, medium, high or unscored).
    expect(t.sat(not(risk('low', 'medium', 'high', 'unscored')))).toEqual({ serviceToken: 'other-token' });
    expect(t.sat(risk('low', 'medium', 'high', 'unscored'))).toEqual({ riskScore: 'low' });
    t.unsat(risk('extreme'));
  });
  it('one linked app token', () => {
    t.unsat(and(linkedApp('a'), linkedApp('b')));
    expect(t.sat(linkedApp('a'))).toEqual({ linkedAppToken: 'a' });
  });
  it('a common name implies a certificate; one common name', () => {
    t.implies(commonName('cn1'), certificate);
    t.disjoint(commonName('cn1'), commonName('cn2'));
    expect(t.notImplies(certificate, commonName('cn1'))).toEqual({ certificate: true });
    expect(t.sat(commonName('cn1'))).toEqual({ certificate: true, commonName: 'cn1' });
  });
});

describe('theory: source IP', () => {
  const t = harness();
  it('containment is implication, disjoint blocks exclude each other', () => {
    t.implies(ip('10.1.0.0/16'), ip('10.0.0.0/8'));
    t.notImplies(ip('10.0.0.0/8'), ip('10.1.0.0/16'));
    t.disjoint(ip('10.0.0.0/8'), ip('192.168.0.0/16'));
    t.disjoint(ip('0.0.0.0/0'), ip('::/0'));
    t.implies(ip('2001:db8:1::/48'), ip('2001:db8::/32'));
    t.disjoint(ip('2001:db8::/32'), ip('2001:db9::/32'));
  });
  it('builds an address inside one block and outside another', () => {
    const w = t.sat(and(ip('10.0.0.0/8'), not(ip('10.0.0.0/16'))));
    expect(w).toEqual({ ip: '10.1.0.1' });
    expect(t.sat(ip('10.0.0.0/8'))).toEqual({ ip: '10.0.0.1' });
    expect(t.sat(ip('192.0.2.7/32'))).toEqual({ ip: '192.0.2.7' });
    expect(t.sat(and(ip('2001:db8::/32'), not(ip('2001:db8::/33'))))).toEqual({ ip: '2001:db8:8000::1' });
  });
  it('knows when sub-blocks cover a block', () => {
    t.unsat(and(ip('10.0.0.0/8'), not(ip('10.0.0.0/9')), not(ip('10.128.0.0/9'))));
    t.implies(ip('10.0.0.0/8'), or(ip('10.0.0.0/9'), ip('10.128.0.0/9')));
  });
  it('treats a malformed block as matching nothing', () => {
    t.unsat(ip('10.0.0.0/99'));
  });
});

describe('theory: identity providers', () => {
  const t = harness();
  it('an IdP-bound selector implies its login method', () => {
    t.implies(azure('corp', 'g1'), login('corp'));
    t.disjoint(azure('corp', 'g1'), login('gh'));
    t.disjoint(azure('corp', 'g1'), github('gh', 'acme'));
    t.disjoint(login('corp'), login('gh'));
    expect(t.sat(azure('corp', 'g1'))).toEqual({ loginMethod: 'corp', idpGroups: ['g1'] });
    for (const f of [okta('o', 'x'), saml('o', 'a', 'v'), oidc('o', 'c', 'v'), authContext('o', 'ac')]) {
      t.implies(f, login('o'));
    }
  });
  it('a team implies its org', () => {
    t.implies(github('gh', 'acme', 'core'), github('gh', 'acme'));
    expect(t.notImplies(github('gh', 'acme'), github('gh', 'acme', 'core'))).toEqual({
      loginMethod: 'gh',
      githubTeams: ['acme'],
    });
    expect(t.sat(github('gh', 'acme', 'core'))).toEqual({ loginMethod: 'gh', githubTeams: ['acme/core'] });
  });
  it('groups reported by the IdP are shared by selectors that read them', () => {
    t.implies(and(azure('corp', 'g1'), login('corp')), azure('corp', 'g1'));
    expect(t.sat(and(saml('o', 'dept', 'eng'), oidc('o', 'dept', 'ops'), authContext('o', 'c1')))).toEqual({
      loginMethod: 'o',
      samlAttributes: { dept: ['eng'] },
      oidcClaims: { dept: ['ops'] },
      authContexts: ['c1'],
    });
  });
});

describe('theory: service tokens', () => {
  const t = harness();
  it('a service token implies any service token; tokens are exclusive', () => {
    t.implies(token('t1'), anyToken);
    t.disjoint(token('t1'), token('t2'));
    expect(t.sat(and(anyToken, not(token('t1'))))).toEqual({ serviceToken: 'other-token' });
  });
  it('a service-token request carries no user identity', () => {
    for (const user of [
      email('a@x.com'),
      domain('x.com'),
      login('corp'),
      azure('corp', 'g'),
      github('gh', 'o'),
    ]) {
      t.disjoint(anyToken, user);
    }
    expect(t.sat(and(token('t1'), not(domain('x.com'))))).toEqual({ serviceToken: 't1' });
  });
});

describe('free variables and witnesses', () => {
  const t = harness();
  it('memberships are independent and appear in the witness', () => {
    expect(
      t.sat(
        and(
          accessGroup('admins'),
          emailList('vip'),
          ipList('office'),
          posture('disk'),
          authMethod('mfa'),
          external('https://eval.example.com'),
          accountMember,
        ),
      ),
    ).toEqual({
      authMethods: ['mfa'],
      devicePosture: ['disk'],
      accessGroups: ['admins'],
      emailLists: ['vip'],
      ipLists: ['office'],
      externalEvaluations: ['https://eval.example.com'],
      accountMember: true,
    });
    t.notImplies(accessGroup('admins'), accessGroup('ops'));
  });
  it('leaves attributes absent when they do not matter', () => {
    expect(t.sat(everyone)).toEqual({});
    expect(t.sat(or(country('US'), TRUE))).toEqual({});
  });
  it('covers every selector of the table', () => {
    expect(SELECTORS.map((s) => s.name).filter((n) => !THEORY_SELECTORS.has(n))).toEqual([]);
    t.unsat(atomOf('no_such_selector'));
  });
});

const atomOf = (sel: string): Formula => ({ op: 'atom', atom: { sel, args: {} } });
