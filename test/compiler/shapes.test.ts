import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import { evaluateCompiledPolicy } from '../../src/eval/compiled.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import type { CompiledProject, WirePolicy } from '../../src/model/compiled.js';
import type { Formula } from '../../src/model/formula.js';
import {
  and,
  certificate,
  country,
  domain,
  email,
  F,
  group,
  ip,
  mfa,
  not,
  okta,
  or,
  project,
  single,
  T,
} from './helpers.js';

const a = email('a@example.com');
const b = country('US');
const c = mfa();
const d = certificate;
const A = { email: { email: 'a@example.com' } };
const B = { geo: { country_code: 'US' } };
const C = { auth_method: { auth_method: 'mfa' } };
const D = { certificate: {} };
const EVERYONE = { everyone: {} };

function compile(formula: Formula, groups: Record<string, Formula | undefined> = {}) {
  const { value, diagnostics } = compileProject(single(formula, groups));
  expect(diagnostics).toEqual([]);
  const { document, synthesized } = value;
  return { document, synthesized, policy: document.policies[0] as WirePolicy };
}

const lists = (p: { include: unknown; require: unknown; exclude: unknown }) => ({
  include: p.include,
  require: p.require,
  exclude: p.exclude,
});
const ref = (name: string) => ({ group: { id: `$ref:group:${name}` } });
const groupNamed = (doc: CompiledProject, name: string) => doc.groups.find((g) => g.name === name);

describe('flat forms need no synthesized group', () => {
  const cases: [string, Formula, object][] = [
    ['a single atom', a, { include: [A], require: [], exclude: [] }],
    ['true', T, { include: [EVERYONE], require: [], exclude: [] }],
    ['false', F, { include: [EVERYONE], require: [], exclude: [EVERYONE] }],
    ['not a', not(a), { include: [EVERYONE], require: [], exclude: [A] }],
    ['a or b or c', or(a, b, c), { include: [A, B, C], require: [], exclude: [] }],
    ['a and b', and(a, b), { include: [A], require: [B], exclude: [] }],
    ['not (a or b)', not(or(a, b)), { include: [EVERYONE], require: [], exclude: [A, B] }],
    ['a and (b or c) and not d', and(a, or(b, c), not(d)), { include: [B, C], require: [A], exclude: [D] }],
    ['(a and b) or (a and c)', or(and(a, b), and(a, c)), { include: [B, C], require: [A], exclude: [] }],
    ['a and not (a and b)', and(a, not(and(a, b))), { include: [A], require: [], exclude: [B] }],
    ['(a or b) and (a or not b)', and(or(a, b), or(a, not(b))), { include: [A], require: [], exclude: [] }],
    ['not not a', not(not(a)), { include: [A], require: [], exclude: [] }],
    [
      'a and everyone',
      and(a, { op: 'atom', atom: { sel: 'everyone', args: {} } }),
      { include: [A], require: [], exclude: [] },
    ],
    ['a or not a', or(a, not(a)), { include: [EVERYONE], require: [], exclude: [] }],
    ['a and not a', and(a, not(a)), { include: [EVERYONE], require: [], exclude: [EVERYONE] }],
  ];
  for (const [title, formula, expected] of cases) {
    it(title, () => {
      const { policy, synthesized, document } = compile(formula);
      expect(lists(policy)).toEqual(expected);
      expect(synthesized).toEqual([]);
      expect(document.groups).toEqual([]);
    });
  }

  it('a code-defined group is referenced, not expanded', () => {
    const { policy, document, synthesized } = compile(and(group('eng'), not(group('contractors'))), {
      eng: or(a, b),
      contractors: domain('contractor.example.com'),
    });
    expect(lists(policy)).toEqual({ include: [ref('eng')], require: [], exclude: [ref('contractors')] });
    expect(synthesized).toEqual([]);
    expect(document.groups.map((g) => g.name)).toEqual(['contractors', 'eng']);
    expect(groupNamed(document, 'eng')).toEqual({ name: 'eng', include: [A, B], exclude: [], require: [] });
  });
});

describe('what does not fit is hoisted into synthesized groups', () => {
  it('`(a and b) or c` needs exactly one group', () => {
    const { policy, synthesized, document } = compile(or(and(a, b), c));
    expect(synthesized).toHaveLength(1);
    const name = synthesized[0] as string;
    expect(name).toMatch(/^aclc~[0-9a-f]{12}$/);
    expect(lists(policy)).toEqual({ include: [ref(name), C], require: [], exclude: [] });
    expect(groupNamed(document, name)).toEqual({ name, include: [B], exclude: [], require: [A] });
  });

  it('`not a or not b` is one excluded group `a and b`', () => {
    const { policy, synthesized, document } = compile(or(not(a), not(b)));
    expect(synthesized).toHaveLength(1);
    const name = synthesized[0] as string;
    expect(lists(policy)).toEqual({ include: [EVERYONE], require: [], exclude: [ref(name)] });
    expect(groupNamed(document, name)).toEqual({ name, include: [B], exclude: [], require: [A] });
  });

  it('`a or not b` needs one group', () => {
    const { synthesized } = compile(or(a, not(b)));
    expect(synthesized).toHaveLength(1);
  });

  it('two disjunctions: one goes to include, the other to one required group', () => {
    const { policy, synthesized, document } = compile(and(or(a, b), or(c, d)));
    expect(synthesized).toHaveLength(1);
    const name = synthesized[0] as string;
    expect(lists(policy)).toEqual({ include: [A, B], require: [ref(name)], exclude: [] });
    // Synthesized bodies list their rules in canonical order.
    expect(groupNamed(document, name)?.include).toEqual([C, D]);
  });

  it('identical subformulas share one group, across policies too', () => {
    const shared = and(a, b);
    const p = project({
      policies: [
        { name: 'one', formula: or(shared, c) },
        { name: 'two', formula: or(and(b, a), d) },
        { name: 'three', formula: and(c, not(and(b, a))) },
      ],
    });
    const { value, diagnostics } = compileProject(p);
    expect(diagnostics).toEqual([]);
    expect(value.synthesized).toHaveLength(1);
    expect(value.document.groups).toHaveLength(1);
  });

  it('names are stable across runs and independent of argument order', () => {
    const first = compile(or(and(a, b), c));
    const second = compile(or(c, and(b, a)));
    expect(second.synthesized).toEqual(first.synthesized);
    // Content-addressed: SHA-256 of the canonical JSON of the body, fixed forever for this body.
    expect(first.synthesized).toEqual(['aclc~ff10ae59c022']);
  });

  it('synthesized groups come after the groups they reference', () => {
    const { document, synthesized } = compile(or(and(group('eng'), c), d), { eng: or(a, b) });
    expect(document.groups.map((g) => g.name)).toEqual(['eng', ...synthesized]);
  });
});

describe('output stays small', () => {
  const atom = (i: number) => ip(`10.${i}.0.0/16`);

  it('a 20-way alternation of 3-term conjunctions compiles to at most 21 groups', () => {
    const terms = Array.from({ length: 20 }, (_, i) => and(atom(3 * i), atom(3 * i + 1), atom(3 * i + 2)));
    const { synthesized, policy } = compile(or(...terms));
    expect(synthesized.length).toBeLessThanOrEqual(21);
    expect(synthesized.length).toBeGreaterThanOrEqual(20);
    expect(policy.include.length + policy.require.length + policy.exclude.length).toBeLessThanOrEqual(21);
  });

  it('a conjunction of 12 disjunctions (CNF of 4,096 DNF terms) compiles to 11 groups', () => {
    const clauses = Array.from({ length: 12 }, (_, i) => or(atom(2 * i), atom(2 * i + 1)));
    const { synthesized, policy } = compile(and(...clauses));
    expect(synthesized).toHaveLength(11);
    expect(policy.include).toHaveLength(2);
    expect(policy.require).toHaveLength(11);
  });

  it('a formula nested 250 levels deep compiles with a linear number of groups, and decides as the source', () => {
    const t = (i: number) => okta(`team-${i}`);
    let f: Formula = t(0);
    for (let i = 1; i <= 250; i++)
      f = i % 2 ? and(t(i), or(f, t(i + 1000))) : or(and(f, t(i)), not(t(i + 2000)));
    const { synthesized, document, policy } = compile(f);
    expect(synthesized.length).toBeLessThanOrEqual(260);
    expect(document.groups.length).toBe(synthesized.length);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let k = 0; k < 50; k++) {
      const bias = random();
      const idpGroups = Array.from({ length: 2300 }, (_, i) => `team-${i}`).filter(() => random() < bias);
      const identity = { loginMethod: 'okta', idpGroups };
      expect(evaluateCompiledPolicy(document, policy, identity)).toBe(
        evaluateFormula(f, identity, () => undefined),
      );
    }
  });

  it('a 301-deep chain of `not` and a 1,000-long conjunction are fine', () => {
    let f: Formula = a;
    for (let i = 0; i < 301; i++) f = not(f);
    expect(lists(compile(f).policy)).toEqual({ include: [EVERYONE], require: [], exclude: [A] });
    const long = and(...Array.from({ length: 1000 }, (_, i) => email(`u${i}@example.com`)));
    const { policy } = compile(long);
    expect(policy.include).toEqual([{ email: { email: 'u0@example.com' } }]);
    expect(policy.require).toHaveLength(999);
  });
});
