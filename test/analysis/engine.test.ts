import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/engine.js';
import type { Formula } from '../../src/model/formula.js';
import {
  accessGroup,
  accountMember,
  and,
  anyToken,
  authMethod,
  country,
  domain,
  email,
  emailList,
  external,
  FALSE,
  group,
  ip,
  not,
  or,
  risk,
} from './formulas.js';
import { harness, holds, lookup } from './harness.js';

describe('analyzer questions', () => {
  const analyzer = createAnalyzer({ groups: lookup });
  const t = harness(analyzer);
  it('answers valid, equivalent and constant questions', () => {
    expect(analyzer.valid(or(country('US'), not(country('US'))))).toEqual({ result: true });
    const v = analyzer.valid(country('US'));
    expect(v.result === false && !holds(country('US'), v.witness)).toBe(true);
    expect(
      analyzer.equivalent(
        not(and(country('US'), ip('10.0.0.0/8'))),
        or(not(country('US')), not(ip('10.0.0.0/8'))),
      ),
    ).toEqual({
      result: true,
    });
    const e = analyzer.equivalent(domain('x.com'), or(email('a@x.com'), email('b@x.com')));
    // The witness is decoded when read (a getter), so it is read explicitly.
    expect({ result: e.result, witness: e.result === false && e.witness }).toEqual({
      result: false,
      witness: { email: 'user@x.com' },
    });
    t.unsat(FALSE);
    t.implies(FALSE, country('US'));
  });
  it('expands code-defined groups; unknown groups match nothing', () => {
    t.implies(group('euEng'), group('eng'));
    expect(t.overlap(group('eng'), country('DE'))).toEqual({ email: 'user@eng.example.com', country: 'DE' });
    t.unsat(group('nope'));
  });
  it('reports a group cycle as incomplete and keeps working', () => {
    expect(analyzer.satisfiable(group('loopA'))).toEqual({ result: 'incomplete', reason: 'group-cycle' });
    t.sat(group('eng'));
  });
});

describe('layouts', () => {
  it('widens domains as values arrive and keeps earlier answers and witnesses valid', () => {
    const analyzer = createAnalyzer({ groups: lookup });
    const first = and(domain('x.com'), not(email('a@x.com')), not(country('US')));
    const early = analyzer.satisfiable(first);
    const emails = Array.from({ length: 300 }, (_, i) => email(`u${i}@x.com`));
    const many = or(...emails);
    expect(analyzer.implies(email('u299@x.com'), many)).toEqual({ result: true });
    expect(analyzer.disjoint(many, email('a@x.com'))).toEqual({ result: true });
    expect(analyzer.stats().resets).toBeGreaterThanOrEqual(3);
    // the witness of the first answer is decoded only now, after the layout changed
    expect({ result: early.result, witness: early.result === true && early.witness }).toEqual({
      result: true,
      witness: { email: 'user@x.com', country: 'FR' },
    });
    const late = analyzer.implies(domain('x.com'), many);
    expect(late.result === false && holds(domain('x.com'), late.witness) && !holds(many, late.witness)).toBe(
      true,
    );
  });
});

describe('budget', () => {
  /** (a0 ∧ b0) ∨ … with every a before every b in the variable order: exponential BDD. */
  const pathological = (n: number): Formula => {
    const as = Array.from({ length: n }, (_, i) => accessGroup(`a${i}`));
    const bs = Array.from({ length: n }, (_, i) => accessGroup(`b${i}`));
    return and(or(...as), or(...as.map((a, i) => and(a, bs[i] as Formula))));
  };

  it('answers incomplete quickly instead of hanging, then recovers', () => {
    const analyzer = createAnalyzer({ groups: lookup, budget: 20_000 });
    const t = harness(analyzer);
    t.sat(country('US'));
    const started = Date.now();
    expect(analyzer.satisfiable(pathological(40))).toEqual({ result: 'incomplete', reason: 'node-budget' });
    expect(analyzer.implies(pathological(40), country('US'))).toEqual({
      result: 'incomplete',
      reason: 'node-budget',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(analyzer.stats().resets).toBeGreaterThan(0);
    t.unsat(and(country('US'), country('DE')));
    t.sat(pathological(5));
  });

  it('answers formulas nested far beyond the stack (encoding is iterative)', () => {
    let deep: Formula = country('US');
    for (let i = 0; i < 50_001; i++) deep = not(deep);
    const analyzer = createAnalyzer({ groups: lookup });
    expect(analyzer.equivalent(deep, not(country('US'))).result).toBe(true);
    let chain: Formula = country('US');
    for (let i = 0; i < 20_000; i++) chain = and(or(chain, country('DE')), not(country('FR')));
    expect(analyzer.implies(chain, or(country('US'), country('DE'))).result).toBe(true);
    expect(analyzer.satisfiable(country('US')).result).toBe(true);
  });

  it('encodes a chain of 5,000 groups, each used twice by the next, once per group', () => {
    const defs = new Map<string, Formula>([['G0', country('US')]]);
    for (let i = 1; i <= 5000; i++)
      defs.set(`G${i}`, or(group(`G${i - 1}`), and(country('DE'), group(`G${i - 1}`))));
    const analyzer = createAnalyzer({ groups: (n) => defs.get(n) });
    expect(analyzer.equivalent(group('G5000'), country('US')).result).toBe(true);
  });

  it('knows what Access assumes of every request (one source IP, tokens carry no user, every user has a risk level)', () => {
    const t = harness();
    const every = or(ip('0.0.0.0/0'), ip('::/0'));
    expect(createAnalyzer({ groups: lookup }).valid(every)).toEqual({ result: true });
    t.implies(country('US'), every);
    for (const user of [
      authMethod('mfa'),
      risk('low'),
      emailList('staff'),
      external('https://x.example'),
      accountMember,
    ])
      t.unsat(and(anyToken, user));
    t.unsat(and(not(anyToken), not(risk('low', 'medium', 'high', 'unscored'))));
    t.implies(not(anyToken), risk('low', 'medium', 'high', 'unscored'));
    // Witnesses carry an address and a risk level once those are mentioned, so the evaluator agrees with them.
    const w = t.notImplies(and(not(anyToken), not(ip('10.0.0.0/8'))), risk('high'));
    expect(w.ip).toBeDefined();
    expect(w.riskScore).toBeDefined();
  });

  it('gives up at once on a formula whose encoding alone ran out of steps', () => {
    const analyzer = createAnalyzer({ groups: lookup, budget: { nodes: 10_000_000, steps: 5_000 } });
    const hard = pathological(40);
    expect(analyzer.satisfiable(hard)).toEqual({ result: 'incomplete', reason: 'step-budget' });
    const steps = (analyzer as unknown as { bdd: { stepCount: number } }).bdd;
    expect(analyzer.implies(hard, country('US'))).toEqual({ result: 'incomplete', reason: 'step-budget' });
    expect(steps.stepCount).toBe(0);
  });

  it('stops a question at the step budget', () => {
    const analyzer = createAnalyzer({ groups: lookup, budget: { nodes: 10_000_000, steps: 5_000 } });
    expect(analyzer.satisfiable(pathological(40))).toEqual({ result: 'incomplete', reason: 'step-budget' });
  });

  it('shares one run budget between all questions: past it every question is incomplete at once', () => {
    const analyzer = createAnalyzer({ groups: lookup, budget: { totalSteps: 20_000 } });
    expect(analyzer.satisfiable(country('US'))).toMatchObject({ result: true });
    // A large question spends what is left; it is cut short by the run budget, not by its own.
    expect(analyzer.satisfiable(pathological(14))).toEqual({ result: 'incomplete', reason: 'run-budget' });
    expect(analyzer.stats().steps).toBeGreaterThanOrEqual(20_000);
    // Even a question already answered once (cached) is refused now: nothing more is spent.
    expect(analyzer.satisfiable(country('US'))).toEqual({ result: 'incomplete', reason: 'run-budget' });
    expect(analyzer.stats().questions).toBe(3);
    // Without a run budget the same questions are answered.
    const free = createAnalyzer({ groups: lookup });
    expect(free.satisfiable(pathological(14))).toMatchObject({ result: true });
  });
});
