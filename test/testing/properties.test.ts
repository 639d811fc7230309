import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import { evaluateApp, projectGroups } from '../../src/eval/source.js';
import type { Identity } from '../../src/model/identity.js';
import { resolveExpr } from '../../src/resolve/expressions.js';
import { outcomeWord, renderWitnessTest } from '../../src/testing/emit.js';
import { parseTestFile } from '../../src/testing/parse.js';
import { SuiteRunner } from '../../src/testing/run.js';
import { prepare } from './helpers.js';

// A small universe that covers every equivalence class of the atoms below: any other identity is decided like one
// of these (an unmentioned country, domain or address outside 10/8 behaves as an absent one).
const ATOMS = [
  'country("US")',
  'country("DE")',
  'email_domain("a.com")',
  'email("boss@b.com")',
  'auth_method("mfa")',
  'ip("10.0.0.0/8")',
  'everyone',
];
const UNIVERSE: Identity[] = [];
for (const country of [undefined, 'US', 'DE'])
  for (const email of [undefined, 'x@a.com', 'boss@b.com', 'y@b.com'])
    for (const mfa of [false, true])
      for (const ip of [undefined, '10.1.2.3']) {
        const id: Identity = {};
        if (country) id.country = country;
        if (email) id.email = email;
        if (mfa) id.authMethods = ['mfa'];
        if (ip) id.ip = ip;
        UNIVERSE.push(id);
      }

const expr = (withGroup: boolean): fc.Arbitrary<string> =>
  fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...ATOMS, ...(withGroup ? ['group("G")'] : [])),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} and ${b})`),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a} or ${b})`),
      tie('e').map((a) => `not ${a}`),
    ),
  })).e;

const project = fc
  .record({
    group: expr(false),
    policies: fc.array(fc.tuple(fc.constantFrom('allow', 'deny'), expr(true)), {
      minLength: 1,
      maxLength: 4,
    }),
  })
  .map(
    ({ group, policies }) =>
      `group "G" = ${group}\napp "A" {\n  domain "a.example.com"\n${policies
        .map(([d, e], i) => `  ${d} "P${i}" if ${e}\n`)
        .join('')}}\n`,
  );

describe('expectations generated from the evaluator', () => {
  it('always pass, and flipping one always fails', () => {
    fc.assert(
      fc.property(project, fc.nat(UNIVERSE.length - 1), fc.nat(2), (acl, k, flip) => {
        const prepared = prepare(acl);
        const identity = UNIVERSE[k] as Identity;
        const truth = evaluateCompiledApp(prepared.model.doc, 'A', identity);
        const policy = truth.policy ? prepared.index.policy(truth.policy)?.displayName : undefined;
        const expects = [{ app: 'A', outcome: truth.decision, ...(policy ? { policy } : {}) }];
        const text = renderWitnessTest({ name: 'generated', identity, expects }, prepared.project);
        const run = (tests: string) =>
          new SuiteRunner({
            ...prepared,
            files: [
              {
                file: new SourceFile('t.acltest', tests),
                ast: parseTestFile(new SourceFile('t.acltest', tests)).value,
              },
            ],
          }).run().results[0];
        expect(run(text)?.status).toBe('pass');
        // Flip the outcome (or, when it decided, the deciding policy).
        const words = ['allow', 'deny', 'no-match'].filter((w) => w !== outcomeWord(truth.decision));
        let flipped: string;
        if (flip < 2 || policy === undefined)
          flipped = text.replace(/expect app "A" \S+/, `expect app "A" ${words[flip % 2]}`);
        else {
          const other = prepared.model.byName.get('A')?.entries.find((e) => e.policy.name !== truth.policy);
          if (!other) return;
          flipped = text.replace(
            /by "[^"]*"/,
            `by "${prepared.index.policy(other.policy.name)?.displayName}"`,
          );
        }
        const r = run(flipped);
        expect(r?.status).toBe('fail');
      }),
      { numRuns: 100, seed: 9 },
    );
  });
});

describe('invariants agree with brute force over a small universe', () => {
  const forms = [
    (c: string) => `never allow ${c} on app "A"`,
    (c: string) => `always deny ${c} on app "A"`,
    (c: string) => `app "A" allows only ${c}`,
    (c: string) => `every allow on every app requires ${c}`,
    (c: string) => `always allow ${c} on every app`,
  ];
  it('holds exactly when no identity of the universe breaks it, and every counterexample is one', () => {
    const seen = { pass: 0, fail: 0 };
    fc.assert(
      fc.property(project, expr(true), fc.nat(forms.length - 1), (acl, cond, form) => {
        const text = (forms[form] as (c: string) => string)(cond);
        const prepared = prepare(acl);
        const parsed = parseTestFile(new SourceFile('t.acltest', text));
        expect(parsed.diagnostics).toEqual([]);
        const [result] = new SuiteRunner({
          ...prepared,
          files: [{ file: new SourceFile('t.acltest', text), ast: parsed.value }],
        }).run().results;
        const groups = projectGroups(prepared.project);
        const inv = parsed.value.items[0];
        if (inv?.kind !== 'Invariant' || inv.body.form === 'open') throw new Error('parse');
        const formula = resolveExpr(inv.body.cond, {
          diagnostics: [],
          idps: prepared.project.idps,
          groups: new Map([['G', { kind: 'Group' } as never]]),
        });
        const c = (id: Identity) => evaluateFormula(formula, id, groups);
        const broken = (id: Identity): boolean => {
          const d = evaluateApp(prepared.project, 'A', id).decision;
          switch (form) {
            case 0:
              return c(id) && d === 'allow';
            case 1:
              return c(id) && d !== 'deny' && d !== 'none';
            case 2:
            case 3:
              return d === 'allow' && !c(id);
            default:
              return c(id) && d !== 'allow';
          }
        };
        const brute = UNIVERSE.some(broken);
        expect(result?.errors).toEqual([]);
        expect(result?.status, text).toBe(brute ? 'fail' : 'pass');
        seen[brute ? 'fail' : 'pass']++;
        for (const f of result?.failures ?? [])
          expect(broken(f.identity), JSON.stringify(f.identity)).toBe(true);
      }),
      { numRuns: 120, seed: 11 },
    );
    // Both answers occur, so the property is not vacuous.
    expect(seen.pass).toBeGreaterThan(10);
    expect(seen.fail).toBeGreaterThan(10);
  });
});
