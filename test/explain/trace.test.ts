import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { evaluateApp } from '../../src/eval/source.js';
import { parseAsArgument } from '../../src/explain/identity-arg.js';
import { renderTrace } from '../../src/explain/render.js';
import { decide, traceApp } from '../../src/explain/trace.js';
import type { Identity } from '../../src/model/identity.js';
import { buildIdentity } from '../../src/testing/identity.js';
import { ADMIN, prepare } from '../testing/helpers.js';

const SYNTH = `group "Acquired" = email_domain("w.example.net") and auth_method("mfa")
app "K8s" {
  domain "k.example.com"
  deny "Risky" if user_risk_score("high")
  allow "SREs" if (group("Acquired") and country("DE")) or email("cto@example.com")
}
`;

describe('trace', () => {
  it('lists every policy in Access order with each rule, whether it held, and its source', () => {
    const p = prepare(ADMIN);
    const app = p.model.byName.get('Admin');
    if (!app) throw new Error('no app');
    const t = traceApp(
      p.model,
      app,
      { email: 'bob@eng.example.com', country: 'KP', authMethods: ['mfa'] },
      p.index,
    );
    expect(t.outcome).toBe('deny');
    expect(t.policySource).toBe('Block sanctioned');
    // Bypass first (Access's order), whatever the position in the source.
    expect(t.policies.map((x) => [x.source, x.decision, x.reached, x.matched, x.decided])).toEqual([
      ['Health', 'bypass', true, false, false],
      ['Block sanctioned', 'deny', true, true, true],
      ['Engineers with MFA', 'allow', false, true, false],
    ]);
    const terms = t.policies[2]?.terms ?? [];
    expect(terms.map((x) => [x.list, x.text, x.held])).toEqual([
      ['include', 'group("Engineers")', true],
      ['require', 'auth_method("mfa")', true],
    ]);
    // Spans point at the selector in the source.
    const at = (s?: { start: number; end: number }) => (s ? ADMIN.slice(s.start, s.end) : undefined);
    expect(terms.map((x) => at(x.span))).toEqual(['group("Engineers")', 'auth_method("mfa")']);
    expect(at(t.policies[1]?.span)).toBe('"Block sanctioned"');
  });

  it('maps a synthesized group back to the source expression it stands for', () => {
    const p = prepare(SYNTH);
    const app = p.model.byName.get('K8s');
    if (!app) throw new Error('no app');
    const t = traceApp(
      p.model,
      app,
      { email: 'a@w.example.net', authMethods: ['mfa'], country: 'DE' },
      p.index,
    );
    const term = t.policies[1]?.terms[0];
    expect(term?.group?.synthesized).toBe(true);
    expect(term?.text).toBe('(country("DE") and group("Acquired"))');
    expect(term?.span && SYNTH.slice(term.span.start, term.span.end)).toBe(
      '(group("Acquired") and country("DE"))'.slice(1, -1),
    );
    const lines = renderTrace(t, new Map());
    expect(lines[0]).toBe('app "K8s": allow by "SREs"');
    expect(lines.some((l) => l.includes('[synthesized group aclc~'))).toBe(true);
  });

  it('decides like both evaluators for any identity (property)', () => {
    const p = prepare(ADMIN);
    const identity: fc.Arbitrary<Identity> = fc.record(
      {
        email: fc.constantFrom('bob@eng.example.com', 'x@example.com', 'y@other.org'),
        country: fc.constantFrom('KP', 'DE', 'FR'),
        ip: fc.constantFrom('198.51.100.9', '10.0.0.1'),
        loginMethod: fc.constant('Okta (corporate)'),
        idpGroups: fc.constant(['engineering']),
        authMethods: fc.constantFrom(['mfa'], ['pwd']),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(identity, fc.constantFrom('Admin', 'Wiki'), (id, name) => {
        const app = p.model.byName.get(name);
        if (!app) throw new Error('no app');
        const t = traceApp(p.model, app, id, p.index);
        const compiled = evaluateCompiledApp(p.model.doc, name, id);
        const source = evaluateApp(p.project, name, id);
        expect(t.outcome).toBe(compiled.decision);
        expect(t.policy).toBe(compiled.policy);
        expect(source.decision).toBe(compiled.decision);
        expect(decide(p.model, app, id).outcome).toBe(t.outcome);
        // A policy is matched exactly when its rule lists say so.
        for (const pol of t.policies) {
          const inc = pol.terms.filter((x) => x.list === 'include').some((x) => x.held);
          const req = pol.terms.filter((x) => x.list === 'require').every((x) => x.held);
          const exc = pol.terms.filter((x) => x.list === 'exclude').some((x) => x.held);
          expect(pol.matched).toBe(inc && req && !exc);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe('explain --as', () => {
  it('parses key=value pairs, extra values, flags and name=value attributes', () => {
    const written = parseAsArgument(
      'email=Bob@Eng.Example.com,country=de,idp=okta,auth_method=mfa,hwk,certificate,saml=dept=eng',
    );
    const p = prepare(ADMIN);
    const diagnostics: never[] = [];
    expect(buildIdentity(written, p.project, diagnostics)).toEqual({
      email: 'bob@eng.example.com',
      country: 'DE',
      loginMethod: 'Okta (corporate)',
      authMethods: ['mfa', 'hwk'],
      certificate: true,
      samlAttributes: { dept: ['eng'] },
    });
    expect(diagnostics).toEqual([]);
  });
});
