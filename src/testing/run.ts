import type { CheckResult } from '../analysis/engine.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { evaluateFormula } from '../eval/formula.js';
import { identityText } from '../explain/render.js';
import { type AppTrace, decide, type SourceIndex, traceApp } from '../explain/trace.js';
import type { Formula } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { Project } from '../model/project.js';
import type { AstFile, Expr, ExternGroupDecl, GroupDecl } from '../parser/ast.js';
import { resolveExpr } from '../resolve/expressions.js';
import { closestOr } from '../resolve/values.js';
import type { ExampleTest, InvariantDecl, OutcomeWord, Target, TestFileAst } from './ast.js';
import { buildIdentity } from './identity.js';
import type { CompiledModel, ModelApp, Outcome } from './model.js';

/** One failed expectation or violated invariant, with the identity that shows it. */
export interface Failure {
  app: string;
  /** What the test asked for, e.g. `allow by "Engineers"`. */
  expected: string;
  /** What Access decides, e.g. `deny by "Block sanctioned countries"`. */
  actual: string;
  identity: Identity;
  /** The identity as a test writes it (IdPs under their names in the code). */
  written: string;
  /** Whether `identity` was found by the analysis engine (a counterexample) rather than written in the test. */
  counterexample: boolean;
  trace: AppTrace;
}

export interface TestResult {
  kind: 'example' | 'invariant';
  name: string;
  file: string;
  span: Span;
  status: 'pass' | 'fail' | 'error';
  durationMs: number;
  failures: Failure[];
  /** Why the test could not run (status `error`). */
  errors: Diagnostic[];
  /** Apps the test speaks of (for `--watch`); `*` for every app. */
  apps: string[];
}

/** A test file, parsed. */
export interface ParsedTestFile {
  file: SourceFile;
  ast: TestFileAst;
}

/** An example's evaluated expectations, kept for coverage. */
export interface ExampleRun {
  identity: Identity;
  apps: string[];
}

export interface SuiteInput {
  project: Project;
  asts: readonly AstFile[];
  model: CompiledModel;
  index: SourceIndex;
  files: readonly ParsedTestFile[];
  /** Only tests whose name matches. */
  filter?: RegExp;
  /** Only tests of these apps (and invariants on every app), for `--watch`. */
  onlyApps?: ReadonlySet<string>;
  /** Only tests of these files, for `--watch`. */
  onlyFiles?: ReadonlySet<string>;
  now?: () => number;
}

export interface SuiteOutput {
  results: TestResult[];
  examples: ExampleRun[];
}

const DECISION_OF: Readonly<Record<string, Outcome>> = {
  allow: 'allow',
  deny: 'deny',
  block: 'deny',
  bypass: 'bypass',
  service_auth: 'non_identity',
  non_identity: 'non_identity',
  'no-match': 'none',
};

/** The outcomes an outcome word accepts. In invariants `deny` includes `no-match` (Access denies either way). */
function accepted(word: string, invariant: boolean): Outcome[] {
  if (word === 'denied' || (invariant && (word === 'deny' || word === 'block'))) return ['deny', 'none'];
  const o = DECISION_OF[word];
  return o ? [o] : [];
}

export function describeOutcome(outcome: Outcome, policy?: string): string {
  const word = outcome === 'none' ? 'no-match' : outcome === 'non_identity' ? 'service_auth' : outcome;
  return policy !== undefined && outcome !== 'none' ? `${word} by "${policy}"` : word;
}

/** Collapse a statement's source text to one line: the invariant's name. */
function statementText(file: SourceFile, span: Span): string {
  return file.text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
}

export class SuiteRunner {
  private readonly groupDecls = new Map<string, GroupDecl | ExternGroupDecl>();
  private readonly now: () => number;

  constructor(private readonly input: SuiteInput) {
    for (const ast of input.asts)
      for (const d of ast.decls)
        if ((d.kind === 'Group' || d.kind === 'ExternGroup') && !this.groupDecls.has(d.name.value))
          this.groupDecls.set(d.name.value, d);
    this.now = input.now ?? (() => performance.now());
  }

  run(): SuiteOutput {
    const results: TestResult[] = [];
    const examples: ExampleRun[] = [];
    const { filter, onlyApps, onlyFiles } = this.input;
    for (const { file, ast } of this.input.files) {
      const seen = new Map<string, Span>();
      for (const item of ast.items) {
        const name = item.kind === 'Test' ? item.name.value : statementText(file, item.span);
        if (filter && !filter.test(name)) continue;
        const started = this.now();
        const result =
          item.kind === 'Test' ? this.example(item, file, name, examples) : this.invariant(item, file, name);
        if (item.kind === 'Test' && seen.has(name))
          result.errors.push(diagnostic('ACL0957', item.name.span, { name }));
        seen.set(name, item.span);
        if (result.errors.length > 0) result.status = 'error';
        if (onlyFiles || onlyApps) {
          const byFile = onlyFiles?.has(file.path) ?? false;
          const byApp = onlyApps !== undefined && result.apps.some((a) => a === '*' || onlyApps.has(a));
          if (!byFile && !byApp) continue;
        }
        result.durationMs = this.now() - started;
        results.push(result);
      }
    }
    return { results, examples };
  }

  private app(name: { value: string; span: Span }, errors: Diagnostic[]): ModelApp | undefined {
    const app = this.input.model.byName.get(name.value);
    if (!app) {
      const names = this.input.model.apps.map((a) => a.name);
      errors.push(
        diagnostic(
          'ACL0951',
          name.span,
          { name: name.value },
          {
            help: closestOr(
              name.value,
              names,
              names.length
                ? `the project’s apps are ${names.map((n) => `\`${n}\``).join(', ')}`
                : 'the project has no apps',
            ),
          },
        ),
      );
    }
    return app;
  }

  private example(test: ExampleTest, file: SourceFile, name: string, examples: ExampleRun[]): TestResult {
    const result: TestResult = {
      kind: 'example',
      name,
      file: file.path,
      span: test.span,
      status: 'pass',
      durationMs: 0,
      failures: [],
      errors: [],
      apps: test.expects.map((e) => e.app.value),
    };
    const identity = buildIdentity(
      (test.identity?.fields ?? []).map((f) => ({
        key: f.key.name,
        keySpan: f.key.span,
        values: f.values.map((v) => ({ text: v.kind === 'String' ? v.value : v.name, span: v.span })),
      })),
      this.input.project,
      result.errors,
    );
    if (test.expects.length === 0) result.errors.push(diagnostic('ACL0962', test.name.span, { name }));
    const { model, index } = this.input;
    const apps: string[] = [];
    for (const e of test.expects) {
      const app = this.app(e.app, result.errors);
      if (!app) continue;
      let entry: number | undefined;
      if (e.by) {
        const by = e.by.value;
        entry = app.entries.findIndex(
          (x) => x.policy.name === by || index.policy(x.policy.name)?.displayName === by,
        );
        if (entry < 0) {
          const names = app.entries.map((x) => index.policy(x.policy.name)?.displayName ?? x.policy.name);
          result.errors.push(
            diagnostic(
              'ACL0952',
              e.by.span,
              { app: app.name, name: by },
              { help: closestOr(by, names, `its policies are ${names.map((n) => `\`${n}\``).join(', ')}`) },
            ),
          );
          continue;
        }
      }
      apps.push(app.name);
      if (result.errors.length > 0) continue;
      const got = decide(model, app, identity);
      const ok =
        accepted(e.outcome.word, false).includes(got.outcome) && (entry === undefined || got.entry === entry);
      if (ok) continue;
      const trace = traceApp(model, app, identity, index);
      result.failures.push({
        app: app.name,
        expected: `${e.outcome.word}${e.by ? ` by "${e.by.value}"` : ''}`,
        actual: describeOutcome(got.outcome, trace.policySource),
        identity,
        written: identityText(identity, this.input.project),
        counterexample: false,
        trace,
      });
    }
    if (result.errors.length === 0) examples.push({ identity, apps });
    if (result.failures.length > 0) result.status = 'fail';
    return result;
  }

  private targets(target: Target, errors: Diagnostic[]): ModelApp[] {
    const { model } = this.input;
    switch (target.kind) {
      case 'App': {
        const app = this.app(target.app, errors);
        return app ? [app] : [];
      }
      case 'EveryApp':
        return model.apps;
      case 'Tagged': {
        const tag = target.tag.kind === 'String' ? target.tag.value : target.tag.name;
        const apps = model.apps.filter((a) => a.tags.includes(tag));
        if (apps.length === 0) errors.push(diagnostic('ACL0956', target.tag.span, { tag }));
        return apps;
      }
    }
  }

  private condition(cond: Expr, errors: Diagnostic[]): Formula {
    return resolveExpr(cond, { diagnostics: errors, idps: this.input.project.idps, groups: this.groupDecls });
  }

  private invariant(inv: InvariantDecl, file: SourceFile, name: string): TestResult {
    const result: TestResult = {
      kind: 'invariant',
      name,
      file: file.path,
      span: inv.span,
      status: 'pass',
      durationMs: 0,
      failures: [],
      errors: [],
      apps: [],
    };
    const { model } = this.input;
    const body = inv.body;
    const region = (app: ModelApp, word: OutcomeWord): Formula => {
      const r = model.regions(app);
      const parts = accepted(word.word, true).map((o) => r.outcome[o]);
      return parts.length === 1 ? (parts[0] as Formula) : { op: 'or', args: parts };
    };
    // Each check: the engine's question, and how a counterexample must be decided (checked by the evaluator).
    type Check = {
      app: ModelApp;
      answer: () => CheckResult;
      expected: string;
      bad: (o: Outcome) => boolean;
      cond?: Formula;
    };
    const checks: Check[] = [];
    const words = (w: OutcomeWord): Outcome[] => accepted(w.word, true);
    switch (body.form) {
      case 'never':
      case 'always': {
        const apps = this.targets(body.target, result.errors);
        result.apps = body.target.kind === 'EveryApp' ? ['*'] : apps.map((a) => a.name);
        const cond = this.condition(body.cond, result.errors);
        const ok = words(body.decision);
        for (const app of apps) {
          const r = region(app, body.decision);
          checks.push(
            body.form === 'never'
              ? {
                  app,
                  answer: () => model.analyzer.disjoint(cond, r),
                  expected: `not ${body.decision.word}`,
                  bad: (o) => ok.includes(o),
                  cond,
                }
              : {
                  app,
                  answer: () => model.analyzer.implies(cond, r),
                  expected: body.decision.word,
                  bad: (o) => !ok.includes(o),
                  cond,
                },
          );
        }
        break;
      }
      case 'only': {
        const app = this.app(body.app, result.errors);
        result.apps = [body.app.value];
        const cond = this.condition(body.cond, result.errors);
        if (app) {
          const r = model.regions(app).outcome.allow;
          const neg: Formula = { op: 'not', arg: cond };
          checks.push({
            app,
            answer: () => model.analyzer.implies(r, cond),
            expected: 'not allow (the identity is outside the allowed condition)',
            bad: (o) => o === 'allow',
            cond: neg,
          });
        }
        break;
      }
      case 'requires': {
        const apps = this.targets(body.target, result.errors);
        result.apps = body.target.kind === 'EveryApp' ? ['*'] : apps.map((a) => a.name);
        const cond = this.condition(body.cond, result.errors);
        const ok = words(body.decision);
        const neg: Formula = { op: 'not', arg: cond };
        for (const app of apps) {
          const r = region(app, body.decision);
          checks.push({
            app,
            answer: () => model.analyzer.implies(r, cond),
            expected: `not ${body.decision.word} (the identity does not meet the requirement)`,
            bad: (o) => ok.includes(o),
            cond: neg,
          });
        }
        break;
      }
      case 'open': {
        result.apps = ['*'];
        const nobody: Identity = {};
        for (const app of model.apps) {
          const got = decide(model, app, nobody);
          if (got.outcome === 'allow' || got.outcome === 'bypass' || got.outcome === 'non_identity') {
            const trace = traceApp(model, app, nobody, this.input.index);
            result.failures.push({
              app: app.name,
              expected: 'no access for an identity that carries nothing',
              actual: describeOutcome(got.outcome, trace.policySource),
              identity: nobody,
              written: '{}',
              counterexample: true,
              trace,
            });
          }
        }
        break;
      }
    }
    if (result.errors.length === 0) {
      for (const check of checks) {
        const answer = check.answer();
        if (answer.result === true) continue;
        if (answer.result === 'incomplete') {
          result.errors.push(diagnostic('ACL0959', inv.span, { reason: answer.reason }));
          break;
        }
        const identity = answer.witness;
        const got = decide(model, check.app, identity);
        const trace = traceApp(model, check.app, identity, this.input.index);
        // INVARIANT: the engine and the evaluator agree; a disagreement is reported, never printed as a counterexample.
        const holds =
          check.cond === undefined || evaluateFormula(check.cond, identity, (g) => model.groupFormula(g));
        if (!check.bad(got.outcome) || !holds)
          result.errors.push(
            diagnostic('ACL0959', inv.span, {
              reason: `internal disagreement between the analysis engine and the evaluator on app \`${check.app.name}\``,
            }),
          );
        result.failures.push({
          app: check.app.name,
          expected: check.expected,
          actual: describeOutcome(got.outcome, trace.policySource),
          identity,
          written: identityText(identity, this.input.project),
          counterexample: true,
          trace,
        });
      }
    }
    if (result.failures.length > 0) result.status = 'fail';
    return result;
  }
}
