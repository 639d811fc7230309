import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigApp,
  equivalentPolicies,
  groupChain,
  manyPolicies,
  nestedGroups,
  orChain,
} from '../../scripts/bench/shapes.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluateApp, evaluatePolicy } from '../../src/eval/source.js';
import { type LintOptions, lintProject } from '../../src/lint/run.js';
import type { Project } from '../../src/model/project.js';
import { analyzeSources } from '../../src/pipeline.js';
import { program } from '../fmt/arbitraries.js';
import { validProject } from './arbitraries.js';

function lint(text: string, config = {}, options: LintOptions = {}) {
  const file = new SourceFile('p.acl', text);
  const analyzed = analyzeSources([file]);
  const result = lintProject(
    {
      files: analyzed.files,
      asts: analyzed.asts,
      project: analyzed.project,
      diagnostics: analyzed.diagnostics,
    },
    config,
    options,
  );
  return { file, project: analyzed.project, diagnostics: result.diagnostics };
}

const inside = (d: Diagnostic, file: SourceFile) =>
  [d.span, ...(d.related ?? []).map((r) => r.span), ...(d.fix?.edits ?? []).map((e) => e.span)].every(
    (s) => s.start >= 0 && s.start <= s.end && s.end <= file.text.length,
  );

/** The first name in backticks after `marker` in a message. */
const nameAfter = (message: string, marker: RegExp) => marker.exec(message)?.[1];

/**
 * What each semantic finding claims about its witness, checked with the evaluator (independently of the engine):
 * which policy of which app decides for the witness, or which policy conditions it satisfies.
 */
function checkClaim(project: Project, d: Diagnostic): void {
  const w = d.witness;
  if (!w) return;
  const app = project.apps.find(
    (a) => a.span.file === d.span.file && a.span.start <= d.span.start && d.span.end <= a.span.end,
  );
  const decided = app ? evaluateApp(project, app.name, w) : undefined;
  const decider = decided?.policy ? project.policies.get(decided.policy)?.displayName : undefined;
  const byName = (name: string | undefined) =>
    [...project.policies.values()].find((p) => p.displayName === name);
  switch (d.code) {
    case 'conflicting-policies':
      expect(decided?.decision).toBe('allow');
      expect(decider).toBe(nameAfter(d.message, /is allowed by `([^`]+)`/));
      break;
    case 'shadowed-policy':
      expect(decider).toBe(nameAfter(d.message, / by `([^`]+)`$/));
      break;
    case 'order-misleading':
    case 'missing-mfa':
      expect(decider).toBe(nameAfter(d.message, /^`([^`]+)`/));
      if (d.code === 'missing-mfa') expect(w.authMethods ?? []).not.toContain('mfa');
      break;
    case 'allows-everyone':
    case 'bypass-everyone':
    case 'no-allow':
      expect(decider).toBe(nameAfter(d.message, /by (?:\w+ )?`([^`]+)` \(precedence/));
      expect(decided?.decision).toBe(
        d.code === 'allows-everyone' ? 'allow' : d.code === 'no-allow' ? 'deny' : decided?.decision,
      );
      break;
    case 'public-email-domain':
    case 'missing-include':
    case 'bypass-service-token': {
      // Inline policies of different apps may share a display name: take the one the finding points into.
      const policy = [...project.policies.values()].find(
        (p) => p.span.file === d.span.file && p.span.start <= d.span.start && d.span.end <= p.span.end,
      );
      expect(policy?.displayName).toBe(nameAfter(d.message, /^(?:bypass )?`([^`]+)`/));
      expect(evaluatePolicy(project, policy!, w)).toBe(true);
      break;
    }
    case 'equivalent-policies': {
      for (const name of [nameAfter(d.message, /^policy `([^`]+)`/), nameAfter(d.message, /as `([^`]+)`/)]) {
        expect(evaluatePolicy(project, byName(name)!, w), name).toBe(true);
      }
      break;
    }
    default:
      break;
  }
}

describe('lint robustness', () => {
  it('never throws on random programs, and every span lies inside the text', () => {
    fc.assert(
      fc.property(program, (text) => {
        const { file, diagnostics } = lint(text);
        for (const d of diagnostics) expect(inside(d, file), `${d.code} ${d.message}`).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('never throws on valid projects; every witness is decided by the evaluator as its finding says', () => {
    let findings = 0;
    fc.assert(
      fc.property(validProject, (text) => {
        const { file, project, diagnostics } = lint(text, { sensitiveApps: ['App 0'] });
        for (const d of diagnostics) {
          expect(inside(d, file), `${d.code} ${d.message}`).toBe(true);
          if (d.witness) {
            findings++;
            checkClaim(project, d);
          }
        }
      }),
      { numRuns: 120 },
    );
    expect(findings).toBeGreaterThan(50);
  });
});

/**
 * Shapes that once hung the linter (exponential group expansion, quadratic shadowing and equivalence) or overflowed
 * its stack (long chains of groups). Sized so that the old behaviour would not finish within the test timeout.
 */
describe('lint never hangs', () => {
  const counts = (diagnostics: readonly Diagnostic[]) => {
    const out: Record<string, number> = {};
    for (const d of diagnostics) out[d.code] = (out[d.code] ?? 0) + 1;
    return out;
  };

  it('expands a group used twice by each of 40 nested groups once per group', () => {
    const { diagnostics } = lint(nestedGroups(40));
    expect(counts(diagnostics)).toEqual({ 'duplicate-group': 40, 'redundant-term': 40 });
  });

  it('lints a chain of 5,000 groups, each using the next', () => {
    const { diagnostics } = lint(groupChain(5000));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(counts(diagnostics)['analysis-incomplete']).toBeUndefined();
  });

  it('finds every shadowed policy of one app of 2,000 policies with `everyone` early', () => {
    const { project, diagnostics } = lint(bigApp(2000));
    const shadowed = diagnostics.filter((d) => d.code === 'shadowed-policy');
    expect(shadowed).toHaveLength(2000 - 6);
    for (const d of shadowed.slice(0, 50)) checkClaim(project, d);
    expect(shadowed.at(-1)?.message).toMatch(
      /decided earlier by `p0` \(precedence 1\), .*`p5` \(precedence 6\); e\.g\./,
    );
  });

  it('compares 3,000 reusable policies by canonical form, not pairwise', () => {
    const text = `${manyPolicies(3000)}policy "again" allow if email("u7@example.com")\n`;
    const { diagnostics } = lint(text);
    const same = diagnostics.filter((d) => d.code === 'equivalent-policies');
    expect(same.map((d) => d.message)).toEqual([
      expect.stringMatching(/^policy `again` matches exactly the same/),
    ]);
  });

  it('lints an `or` of 20,000 terms without overflowing the stack', () => {
    const { diagnostics } = lint(orChain(20_000));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('lints an `or` of 130,000 terms to the end: its findings, and a note for what the budget skipped', () => {
    const { diagnostics } = lint(orChain(130_000));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(counts(diagnostics)['unused-policy']).toBe(1);
    const note = diagnostics.find((d) => d.code === 'analysis-incomplete');
    expect(note?.message).toMatch(/^analysis gave up on its budget for /);
  }, 120_000);

  it('groups 4,000 equivalent reusable policies into one class', () => {
    const { diagnostics } = lint(equivalentPolicies(4000));
    expect(counts(diagnostics)['equivalent-policies']).toBe(3999);
    expect(counts(diagnostics)['analysis-incomplete']).toBeUndefined();
  });
});

describe('the run budget bounds every rule', () => {
  const key = (d: Diagnostic) => `${d.code} ${d.span.start} ${d.message}`;
  const shapes: [string, string][] = [
    ['nested groups (depth 12)', nestedGroups(12)],
    ['one app of 300 policies', bigApp(300)],
    ['a chain of 300 groups', groupChain(300)],
    ['300 equivalent policies', equivalentPolicies(300)],
    ['an `or` of 3,000 terms', orChain(3000)],
  ];
  for (const [name, text] of shapes) {
    it(`${name}: a smaller budget reports a subset of the findings, and a note when it skipped any`, () => {
      const full = lint(text).diagnostics;
      expect(full.some((d) => d.code === 'analysis-incomplete')).toBe(false);
      for (const totalSteps of [1024, 20_000, 200_000]) {
        const cut = lint(text, {}, { budget: { totalSteps } }).diagnostics;
        const note = cut.filter((d) => d.code === 'analysis-incomplete');
        const findings = cut.filter((d) => d.code !== 'analysis-incomplete').map(key);
        const all = new Set(full.map(key));
        // Never a finding the full analysis does not make: a budget only ever skips.
        for (const f of findings) expect(all.has(f), f).toBe(true);
        // Whatever is missing is accounted for by the note.
        if (findings.length < full.length) expect(note).toHaveLength(1);
      }
    });
  }

  it('counts every skipped check: with no budget at all, one per question the rules would ask', () => {
    const text = 'policy "A" allow if email("a@example.com")\npolicy "B" allow if email("b@example.com")\n';
    const cut = lint(text, {}, { budget: { totalSteps: 0 } }).diagnostics;
    // equivalent-policies compares A and B, unsatisfiable-policy and redundant-term ask about each: six checks.
    expect(cut.find((d) => d.code === 'analysis-incomplete')?.message).toBe(
      'analysis gave up on its budget for the comparison of policy `A` and 5 more check(s)',
    );
    expect(cut.filter((d) => d.code === 'unused-policy')).toHaveLength(2);
  });
});
