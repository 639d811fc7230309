import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessDiff } from '../../src/access-diff/engine.js';
import { accessOf } from '../../src/access-diff/sides.js';
import type { AccessDiff, Term } from '../../src/access-diff/types.js';
import { compileProject } from '../../src/compiler/compile.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { evaluateApp } from '../../src/eval/source.js';
import type { CompiledProject } from '../../src/model/compiled.js';
import type { Identity } from '../../src/model/identity.js';
import type { Project } from '../../src/model/project.js';
import { atomMatches } from '../../src/selectors/table.js';
import { identityArb, projectArb } from '../compiler/arbitraries.js';
import { and, country, or } from '../compiler/helpers.js';
import { USER_ONLY_ATTRIBUTES } from '../helpers/requests.js';

/** The same project with every policy's condition `f` written `f or (f and country("US"))`: other rules, the same decisions. */
function rewritten(project: Project): Project {
  const policies = new Map(
    [...project.policies].map(([name, p]) => [
      name,
      { ...p, formula: or(p.formula, and(p.formula, country('US'))) },
    ]),
  );
  return { ...project, policies };
}

const pairArb: fc.Arbitrary<[Project, Project]> = projectArb.chain((before) =>
  fc.tuple(fc.constant(before), fc.oneof(projectArb, fc.constant(rewritten(before)))),
);

/**
 * A random identity made a possible request, as the analysis engine's theory assumes of every request
 * (src/analysis/theory.ts): a source IP always; a service-token request carries no user identity; a user has a
 * risk level.
 */
function possible(id: Identity): Identity {
  const out: Identity = { ...id, ip: id.ip ?? '192.0.2.1' };
  if (out.serviceToken !== undefined) {
    for (const user of USER_ONLY_ATTRIBUTES) delete out[user];
  } else out.riskScore ??= 'unscored';
  return out;
}

const compile = (p: Project): CompiledProject => compileProject(p).value.document;
const access = (doc: CompiledProject, app: string, id: Identity) =>
  accessOf(evaluateCompiledApp(doc, app, id).decision);

describe('access diff properties', () => {
  it('every witness is decided as its region claims, by the compiled and the source evaluators', () => {
    fc.assert(
      fc.property(pairArb, ([pb, pa]) => {
        const before = compile(pb);
        const after = compile(pa);
        const diff = accessDiff({ before, after });
        for (const app of diff.apps) {
          expect(app.status).not.toBe('undecided');
          for (const c of app.changes) {
            expect(c.terms.length).toBeGreaterThan(0);
            for (const t of c.terms) {
              expect(access(before, app.app, t.witness)).toBe(c.from);
              expect(access(after, app.app, t.witness)).toBe(c.to);
              expect(accessOf(evaluateApp(pb, app.app, t.witness).decision)).toBe(c.from);
              expect(accessOf(evaluateApp(pa, app.app, t.witness).decision)).toBe(c.to);
              if (c.kind === 'gain') expect(c.from).toBe('denied');
              if (c.kind === 'loss') expect(c.to).toBe('denied');
              if (c.kind !== 'loss') expect(c.to).not.toBe('denied');
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a request whose access changes lies in a reported region of that kind; unreported apps decide alike', () => {
    fc.assert(
      fc.property(pairArb, fc.array(identityArb, { minLength: 20, maxLength: 20 }), ([pb, pa], ids) => {
        const before = compile(pb);
        const after = compile(pa);
        const diff: AccessDiff = accessDiff({ before, after });
        for (const name of ['All', 'First']) {
          const app = diff.apps.find((a) => a.app === name);
          for (const id of ids.map(possible)) {
            const f = access(before, name, id);
            const t = access(after, name, id);
            if (!app || app.status === 'same') expect(t).toBe(f);
            else if (f !== t) expect(app.changes.some((c) => c.from === f && c.to === t)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a rewrite that changes no decision is reported as no change, proved', () => {
    let analysed = 0;
    fc.assert(
      fc.property(projectArb, (p) => {
        const diff = accessDiff({ before: compile(p), after: compile(rewritten(p)) });
        for (const app of diff.apps) expect(app.status).toBe('same');
        analysed += diff.summary.analysed;
      }),
      { numRuns: 300 },
    );
    // The rewrite reaches the engine (the compiler does not undo it), so the proofs above were made. About one random
    // project in five has a policy the engine must analyse: 300 runs give 40-90, so 10 is far from the tail.
    expect(analysed).toBeGreaterThan(10);
  });

  it('descriptions are exact: a request matching a term is in the region; a complete region is covered', () => {
    const holds = (t: Term, id: Identity) =>
      t.literals.every((l) => l.atoms.some((a) => atomMatches(a, id)) === l.positive);
    let covered = 0;
    fc.assert(
      fc.property(pairArb, fc.array(identityArb, { minLength: 30, maxLength: 30 }), ([pb, pa], ids) => {
        const before = compile(pb);
        const after = compile(pa);
        for (const app of accessDiff({ before, after }).apps)
          for (const c of app.changes)
            for (const id of ids.map(possible)) {
              const inside = access(before, app.app, id) === c.from && access(after, app.app, id) === c.to;
              for (const t of c.terms) if (holds(t, id)) expect(inside).toBe(true);
              if (inside && c.complete) expect(c.terms.some((t) => holds(t, id))).toBe(true);
              if (inside) covered++;
            }
      }),
      { numRuns: 150 },
    );
    // Random requests did land in changed regions, so both claims were put to the test.
    expect(covered).toBeGreaterThan(50);
  });
});
