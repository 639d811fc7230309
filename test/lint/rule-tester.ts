import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { ruleName } from '../../src/diagnostics/rules.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluateApp, evaluatePolicy } from '../../src/eval/source.js';
import type { LintConfig } from '../../src/lint/config.js';
import { applyFixes } from '../../src/lint/fix.js';
import type { AnyRule } from '../../src/lint/rule.js';
import { RULES } from '../../src/lint/rules/index.js';
import { type LintOptions, lintProject } from '../../src/lint/run.js';
import type { Decision } from '../../src/model/decision.js';
import type { Identity } from '../../src/model/identity.js';
import type { Project } from '../../src/model/project.js';
import { analyzeSources } from '../../src/pipeline.js';

/** The file name every case's source gets. */
export const FILE = 'test.acl';

/** What the evaluator must decide for a witness: the finding's claim, checked independently of the engine. */
export interface Decides {
  app: string;
  decision: Decision | 'none';
  /** Name of the deciding policy (the name in `Project.policies`). */
  policy?: string;
}

export interface ExpectedError {
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity?: Diagnostic['severity'];
  help?: string;
  /** The exact witness; `undefined` asserts there is none. */
  witness?: Identity;
  /** The evaluator's decision for the witness on an app. */
  decides?: Decides;
  /** Policies (by name) whose condition the witness satisfies / does not satisfy. */
  matches?: string[];
  notMatches?: string[];
  /** `line:column message` of each related note. */
  related?: string[];
}

export interface ValidCase {
  code: string;
  config?: LintConfig;
  name?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** The text after applying every fix of this rule's findings. */
  output?: string;
}

export interface RunOptions extends LintOptions {
  /** Extra files of the project (path → text), linted with the case. */
  files?: Record<string, string>;
}

/** Lint `code` (plus extra files) with the whole registry; return the findings of one rule and the project. */
export function lintCase(
  id: string,
  code: string,
  config: LintConfig = {},
  options: RunOptions = {},
): { diagnostics: Diagnostic[]; all: Diagnostic[]; project: Project; file: SourceFile } {
  const file = new SourceFile(FILE, code);
  const extra = Object.entries(options.files ?? {}).map(([path, text]) => new SourceFile(path, text));
  const analyzed = analyzeSources([file, ...extra]);
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
  return {
    diagnostics: result.diagnostics.filter((d) => ruleName(d) === id),
    all: result.diagnostics,
    project: analyzed.project,
    file,
  };
}

function position(file: SourceFile, offset: number): string {
  const p = file.position(offset);
  return `${p.line}:${p.column}`;
}

/** Check the claims an expected error makes about its witness against the evaluator. */
export function checkWitness(project: Project, d: Diagnostic, expected: ExpectedError): void {
  if (expected.decides) {
    expect(d.witness, 'a witness is required to check the decision').toBeDefined();
    const decided = evaluateApp(project, expected.decides.app, d.witness as Identity);
    expect(decided.decision).toBe(expected.decides.decision);
    if (expected.decides.policy !== undefined) expect(decided.policy).toBe(expected.decides.policy);
  }
  for (const name of expected.matches ?? []) {
    const policy = project.policies.get(name);
    expect(policy, `policy ${name}`).toBeDefined();
    expect(evaluatePolicy(project, policy!, d.witness as Identity), `witness matches ${name}`).toBe(true);
  }
  for (const name of expected.notMatches ?? []) {
    const policy = project.policies.get(name);
    expect(policy, `policy ${name}`).toBeDefined();
    expect(evaluatePolicy(project, policy!, d.witness as Identity), `witness does not match ${name}`).toBe(
      false,
    );
  }
}

/**
 * ESLint-style table test for one rule: valid cases yield no finding of the rule (and no compiler error), invalid
 * cases yield exactly the expected findings — message, position, severity, help, related notes and witness — and
 * every witness is decided by the evaluator as the finding claims.
 */
export function runRuleTests(
  rule: AnyRule,
  cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] },
  options: RunOptions = {},
): void {
  const id = rule.meta.id;
  describe(id, () => {
    it('is registered', () => {
      expect(RULES).toContain(rule);
    });
    cases.valid.forEach((c, i) => {
      const v = typeof c === 'string' ? { code: c } : c;
      it(`valid #${i + 1}${v.name ? `: ${v.name}` : ''}`, () => {
        const { diagnostics, all } = lintCase(id, v.code, v.config, options);
        if (!rule.meta.covers)
          expect(all.filter((d) => d.code.startsWith('ACL') && d.severity === 'error')).toEqual([]);
        expect(diagnostics.map((d) => d.message)).toEqual([]);
      });
    });
    cases.invalid.forEach((c, i) => {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        const { diagnostics, project, file } = lintCase(id, c.code, c.config, options);
        expect(diagnostics.map((d) => `${position(file, d.span.start)} ${d.message}`)).toEqual(
          c.errors.map((e) => `${e.line}:${e.column} ${e.message}`),
        );
        diagnostics.forEach((d, k) => {
          const e = c.errors[k] as ExpectedError;
          expect(d.severity).toBe(e.severity ?? rule.meta.defaultSeverity);
          if (e.endLine !== undefined) expect(position(file, d.span.end)).toBe(`${e.endLine}:${e.endColumn}`);
          if (e.help !== undefined) expect(d.help).toBe(e.help);
          if ('witness' in e) expect(d.witness).toEqual(e.witness);
          if (e.related)
            expect((d.related ?? []).map((r) => `${position(file, r.span.start)} ${r.message}`)).toEqual(
              e.related,
            );
          checkWitness(project, d, e);
        });
        if (c.output !== undefined) {
          const fixes = diagnostics.flatMap((d) => (d.fix ? [d.fix] : []));
          expect(applyFixes(c.code, FILE, fixes).text).toBe(c.output);
        }
      });
    });
  });
}
