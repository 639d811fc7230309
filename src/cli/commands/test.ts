import { readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { type CoverageReport, computeCoverage } from '../../testing/coverage.js';
import { TEST_EXTENSION, testFilesUnder } from '../../testing/files.js';
import { renderHumanCoverage, renderHumanResults } from '../../testing/report/human.js';
import { renderGithubResults, renderJsonResults, renderJunitResults } from '../../testing/report/machine.js';
import { summaryLine } from '../../testing/report/summary.js';
import { SuiteRunner, type TestResult } from '../../testing/run.js';
import { type Prepared, prepareSuite } from '../../testing/suite.js';
import { ChangeTracker, watchTests } from '../../testing/watch.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { displayPath, readFailure, readSource } from '../load.js';
import { discoverProjects } from '../projects.js';
import { styleFor } from '../render/human.js';

export interface TestOptions {
  reporter: 'human' | 'json' | 'junit' | 'github';
  filter?: string;
  coverage?: boolean;
  coverageMin?: number;
  watch?: boolean;
}

/** One project to test: its `.acl` sources and the test files found for it. */
interface TestTarget {
  root: string;
  sources: SourceFile[];
  tests: SourceFile[];
}

/**
 * Find the test files the paths name and the project each belongs to (the project of the `.acl` files in the
 * test file's folder, by the usual project rule).
 */
function findTargets(
  paths: readonly string[],
  cwd: string,
): { targets: TestTarget[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const testPaths: string[] = [];
  for (const given of paths.length > 0 ? paths : ['.']) {
    const path = resolve(cwd, given);
    const shown = path === resolve(cwd) ? '.' : displayPath(path, cwd);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      diagnostics.push(
        diagnostic('ACL0002', { file: shown, start: 0, end: 0 }, { path: shown, reason: readFailure(error) }),
      );
      continue;
    }
    const before = testPaths.length;
    if (isDir) testFilesUnder(path, testPaths);
    else if (extname(path) === TEST_EXTENSION) testPaths.push(path);
    else testFilesUnder(dirname(path), testPaths);
    if (testPaths.length === before)
      diagnostics.push(diagnostic('ACL0960', { file: shown, start: 0, end: 0 }, { path: shown }));
  }
  const byRoot = new Map<string, TestTarget>();
  const seen = new Set<string>();
  for (const testPath of testPaths) {
    if (seen.has(testPath)) continue;
    seen.add(testPath);
    const dir = dirname(testPath);
    const acl = readdirSync(dir)
      .filter((n) => extname(n) === '.acl')
      .map((n) => join(dir, n));
    const shown = displayPath(testPath, cwd);
    const discovery = discoverProjects(acl.length > 0 ? acl : [dir], cwd);
    diagnostics.push(...discovery.diagnostics);
    const project = discovery.projects[0];
    if (!project) continue;
    diagnostics.push(...project.diagnostics);
    let target = byRoot.get(project.root);
    if (!target) {
      target = { root: project.root, sources: project.files, tests: [] };
      byRoot.set(project.root, target);
    }
    const read = readSource(testPath, shown);
    if ('file' in read) target.tests.push(read.file);
    else diagnostics.push(read.diagnostic);
  }
  return { targets: [...byRoot.values()], diagnostics };
}

interface Run {
  results: TestResult[];
  coverage: CoverageReport[];
  files: Map<string, SourceFile>;
  diagnostics: Diagnostic[];
  prepared: Prepared[];
  project?: Prepared['project'];
}

function runTargets(
  targets: readonly TestTarget[],
  options: TestOptions,
  filter: RegExp | undefined,
  tracker?: ChangeTracker,
): Run {
  const run: Run = { results: [], coverage: [], files: new Map(), diagnostics: [], prepared: [] };
  for (const target of targets) {
    for (const f of [...target.sources, ...target.tests]) run.files.set(f.path, f);
    const { prepared, diagnostics } = prepareSuite(target.sources, target.tests);
    run.diagnostics.push(...diagnostics);
    if (!prepared) {
      tracker?.select(target.root, target.tests, undefined);
      // The project does not compile: each of its test files counts as one failed test.
      for (const t of target.tests)
        run.results.push({
          kind: 'example',
          name: `${t.path}: the project does not compile`,
          file: t.path,
          span: { file: t.path, start: 0, end: 0 },
          status: 'error',
          durationMs: 0,
          failures: [],
          errors: diagnostics.filter((d) => d.severity === 'error').slice(0, 1),
          apps: [],
        });
      continue;
    }
    run.prepared.push(prepared);
    run.project ??= prepared.project;
    const only = tracker?.select(target.root, target.tests, prepared.model);
    const suite = new SuiteRunner({
      ...prepared,
      ...(filter ? { filter } : {}),
      ...(only ? { onlyFiles: only.files, onlyApps: only.apps } : {}),
    });
    const out = suite.run();
    run.results.push(...out.results);
    if (options.coverage || options.coverageMin !== undefined)
      run.coverage.push(computeCoverage(prepared.model, prepared.index, out.examples));
  }
  return run;
}

function render(io: Io, run: Run, options: TestOptions): void {
  const project = run.project;
  const coverage = mergeCoverage(run.coverage);
  switch (options.reporter) {
    case 'json':
      io.out(renderJsonResults(run.results, run.files, coverage));
      return;
    case 'junit':
      io.out(renderJunitResults(run.results, run.files));
      return;
    case 'github':
      io.out(renderGithubResults(run.results, run.files));
      return;
    default: {
      const style = styleFor({ isTTY: io.stdoutIsTTY }, io.env);
      const ctx = { files: run.files, style, ...(project ? { project } : {}) };
      io.out(renderHumanResults(run.results, ctx));
      if (coverage && options.coverage) io.out(renderHumanCoverage(coverage, ctx));
      else if (coverage) io.out(`coverage of the decision space: ${coverage.percent}%\n`);
      io.out(`${summaryLine(run.results)}\n`);
    }
  }
}

function mergeCoverage(list: readonly CoverageReport[]): CoverageReport | undefined {
  if (list.length === 0) return undefined;
  if (list.length === 1) return list[0];
  const covered = list.reduce((t, c) => t + c.covered, 0);
  const total = list.reduce((t, c) => t + c.total, 0);
  return {
    apps: list.flatMap((c) => c.apps),
    covered,
    total,
    percent: total === 0 ? 100 : Math.floor((covered / total) * 1000) / 10,
  };
}

function exitCode(io: Io, run: Run, options: TestOptions): number {
  if (run.results.some((r) => r.status !== 'pass') || hasErrors(run.diagnostics)) return EXIT.errors;
  const coverage = mergeCoverage(run.coverage);
  if (options.coverageMin !== undefined && coverage && coverage.percent < options.coverageMin) {
    io.err(`coverage ${coverage.percent}% is below --coverage-min ${options.coverageMin}%\n`);
    return EXIT.errors;
  }
  return EXIT.ok;
}

/**
 * `aclc test [paths…]`: run the example tests and prove the invariants of the `.acltest` files found, on the
 * compiled configuration of each one's project. Exit 0 when every test passes, 1 otherwise, 2 on usage errors.
 */
export async function runTest(paths: string[], options: TestOptions, io: Io): Promise<number> {
  let filter: RegExp | undefined;
  if (options.filter !== undefined) {
    try {
      filter = new RegExp(options.filter, 'i');
    } catch {
      io.err(`error: --filter \`${options.filter}\` is not a valid regular expression\n`);
      return EXIT.usage;
    }
  }
  const found = findTargets(paths, io.cwd);
  if (found.targets.length === 0) {
    reportDiagnostics(io, found.diagnostics, []);
    return hasErrors(found.diagnostics) ? EXIT.errors : EXIT.ok;
  }
  const tracker = options.watch ? new ChangeTracker() : undefined;
  const once = (targets: readonly TestTarget[], setup: Diagnostic[]): number => {
    const run = runTargets(targets, options, filter, tracker);
    run.diagnostics.unshift(...setup);
    reportDiagnostics(io, run.diagnostics, [...run.files.values()]);
    render(io, run, options);
    return exitCode(io, run, options);
  };
  const code = once(found.targets, found.diagnostics);
  if (!tracker) return code;
  tracker.prime();
  return watchTests(
    found.targets.map((t) => t.root),
    io,
    () => {
      const again = findTargets(paths, io.cwd);
      return once(again.targets, again.diagnostics);
    },
    code,
  );
}

export type { TestTarget };
