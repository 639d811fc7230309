import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import {
  evaluateCompiledApp,
  evaluateCompiledBody,
  evaluateCompiledPolicy,
} from '../../src/eval/compiled.js';
import { evaluateFormula } from '../../src/eval/formula.js';
import { evaluateApp, projectGroups } from '../../src/eval/source.js';
import type { WireGroup } from '../../src/model/compiled.js';
import { validateProject } from '../../src/schemas/validate.js';
import { identityArb, projectArb } from './arbitraries.js';

// The central proof: compiled JSON (with synthesized groups) decides exactly as the source, for every identity.
describe('compiled output decides exactly as the source', () => {
  it('every policy and every code-defined group, for random identities', () => {
    fc.assert(
      fc.property(
        projectArb,
        fc.array(identityArb, { minLength: 40, maxLength: 40 }),
        (project, identities) => {
          const { value, diagnostics } = compileProject(project);
          expect(diagnostics).toEqual([]);
          expect(validateProject(value.document)).toEqual({ valid: true });
          const groups = projectGroups(project);
          const compiledGroups = new Map<string, WireGroup>(value.document.groups.map((g) => [g.name, g]));
          for (const identity of identities) {
            for (const policy of value.document.policies) {
              const def = project.policies.get(policy.name);
              expect(def).toBeDefined();
              const source = evaluateFormula(def?.formula ?? { op: 'const', value: false }, identity, groups);
              expect(evaluateCompiledPolicy(value.document, policy, identity), policy.name).toBe(source);
            }
            for (const def of project.groups.values()) {
              if (def.extern || !def.formula) continue;
              const compiled = compiledGroups.get(def.name) as WireGroup;
              expect(evaluateCompiledBody(value.document, compiled, identity)).toBe(
                evaluateFormula(def.formula, identity, groups),
              );
            }
          }
        },
      ),
      { numRuns: 250 },
    );
  });

  it('whole apps with several policies of mixed decisions', () => {
    fc.assert(
      fc.property(
        projectArb,
        fc.array(identityArb, { minLength: 40, maxLength: 40 }),
        (project, identities) => {
          const { value } = compileProject(project);
          for (const identity of identities)
            for (const app of ['All', 'First'])
              expect(evaluateCompiledApp(value.document, app, identity)).toEqual(
                evaluateApp(project, app, identity),
              );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('per-app compilation (`--app`) decides as the whole project', () => {
    fc.assert(
      fc.property(
        projectArb,
        fc.array(identityArb, { minLength: 20, maxLength: 20 }),
        (project, identities) => {
          const { value, diagnostics } = compileProject(project, { app: 'All' });
          expect(diagnostics).toEqual([]);
          expect(value.document.apps.map((a) => a.name)).toEqual(['All']);
          for (const identity of identities)
            expect(evaluateCompiledApp(value.document, 'All', identity)).toEqual(
              evaluateApp(project, 'All', identity),
            );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('compiling twice gives the same document', () => {
    fc.assert(
      fc.property(projectArb, (project) => {
        expect(JSON.stringify(compileProject(project).value)).toBe(
          JSON.stringify(compileProject(project).value),
        );
      }),
      { numRuns: 50 },
    );
  });
});
