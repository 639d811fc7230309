import { resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { SourceFile } from '../../diagnostics/source.js';
import type { LintConfig } from '../../lint/config.js';
import { applyFixes, fixesByFile } from '../../lint/fix.js';
import { RULES } from '../../lint/rules/index.js';
import { lintProject } from '../../lint/run.js';
import { analyzeSources } from '../../pipeline.js';
import { splitTestPaths } from '../../testing/files.js';
import type { Io } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { readSource } from '../load.js';
import { discoverProjects, readConfig } from '../projects.js';
import { escapeData, renderGithub } from '../render/github.js';
import { renderHuman, renderHumanChunks, styleFor } from '../render/human.js';
import { renderJson } from '../render/json.js';
import { renderSarif } from '../render/sarif.js';
import { addSiblingHints } from '../siblings.js';
import { readStdinTarget } from '../stdin.js';
import { writeAtomically } from '../write.js';

export interface LintOptions {
  format: 'human' | 'json' | 'sarif' | 'github';
  maxWarnings?: number;
  fix?: boolean;
  config?: string;
  /** Report errors only. */
  quiet?: boolean;
  /** Write the report here instead of stdout. */
  outputFile?: string;
  /** Lint the text on stdin as if it were this file (`--stdin-filename`). */
  stdinFilename?: string;
  /** Write a regression test for every finding with a witness to this `.acltest` file (see docs/testing.md). */
  emitTests?: string;
  /** The aclc version, for SARIF. */
  version: string;
}

/** Passes of `--fix` (a fix may enable another). */
const FIX_PASSES = 10;

/** A project as lint runs it: the configuration that applies (`--config`, else the project's own). */
interface LintTarget {
  config: LintConfig;
  configFile?: SourceFile;
}

/** Parse, resolve and lint one project held in memory. */
function lintSources(project: LintTarget, files: SourceFile[], targets: ReadonlySet<string>): Diagnostic[] {
  const analyzed = analyzeSources(files);
  const input = {
    files: analyzed.files,
    asts: analyzed.asts,
    project: analyzed.project,
    diagnostics: analyzed.diagnostics,
    only: targets,
    ...(project.configFile ? { configFile: project.configFile } : {}),
  };
  return lintProject(input, project.config).diagnostics;
}

/**
 * `aclc lint [paths…]`: compiler diagnostics plus every lint rule, exact semantic checks with witnesses included.
 * Exit 0 clean, 1 errors (or more warnings than `--max-warnings`), 2 usage.
 */
export async function runLint(paths: string[], options: LintOptions, io: Io): Promise<number> {
  let overlay: ReadonlyMap<string, string> | undefined;
  if (options.stdinFilename !== undefined) {
    const stdin = options.fix
      ? { usage: '`--fix` cannot rewrite stdin; run it on the file, or use `aclc fmt --stdin-filename`' }
      : await readStdinTarget(options.stdinFilename, paths, io);
    if ('usage' in stdin) {
      io.err(`error: ${stdin.usage}\n`);
      return EXIT.usage;
    }
    paths = stdin.paths;
    overlay = stdin.overlay;
  }
  const setup: Diagnostic[] = [];
  let explicit: { config: LintConfig; file?: SourceFile } | undefined;
  if (options.config !== undefined) {
    const read = readConfig(resolve(io.cwd, options.config), io.cwd);
    setup.push(...read.diagnostics);
    explicit = read;
  }
  // `.acltest` files named or found in the folders are checked for syntax errors (docs/testing.md).
  const split = overlay
    ? { tests: [], aclPaths: paths, withTests: new Set<string>() }
    : splitTestPaths(paths, io.cwd);
  const discovery =
    setup.length > 0
      ? undefined
      : split.aclPaths.length > 0 || split.tests.length === 0
        ? discoverProjects(split.aclPaths, io.cwd, overlay ? { overlay } : {})
        : { projects: [], diagnostics: [] };
  if (discovery) {
    discovery.diagnostics = discovery.diagnostics.filter(
      (d) => !(d.code === 'ACL0001' && split.withTests.has(d.span.file)),
    );
  }
  const allFiles = new Map<string, SourceFile>();
  if (explicit?.file) allFiles.set(explicit.file.path, explicit.file);
  if (discovery) {
    setup.push(...discovery.diagnostics);
    for (const p of discovery.projects) if (p.configFile) allFiles.set(p.configFile.path, p.configFile);
  }
  if (!discovery || setup.length > 0) {
    report(io, options, setup, allFiles);
    return EXIT.usage;
  }

  const diagnostics: Diagnostic[] = [];
  if (split.tests.length > 0) {
    const { parseTestFile } = await import('../../testing/parse.js');
    for (const t of split.tests) {
      const read = readSource(t.path, t.shown);
      if (!('file' in read)) {
        diagnostics.push(read.diagnostic);
        continue;
      }
      allFiles.set(read.file.path, read.file);
      diagnostics.push(...parseTestFile(read.file).diagnostics);
    }
  }
  const rewritten = new Map<string, string>();
  const emitted: string[] = [];
  for (const project of discovery.projects) {
    const { targets } = project;
    const chosen: LintTarget = { config: explicit ? explicit.config : (project.config ?? {}) };
    const configFile = explicit ? explicit.file : project.configFile;
    if (configFile) chosen.configFile = configFile;
    let files = project.files;
    let found = lintSources(chosen, files, targets);
    if (options.fix) {
      for (let pass = 0; pass < FIX_PASSES; pass++) {
        const fixes = fixesByFile(found.filter((d) => targets.has(d.span.file)));
        let changed = false;
        files = files.map((f) => {
          const list = fixes.get(f.path);
          if (!list) return f;
          const result = applyFixes(f.text, f.path, list);
          if (result.applied === 0 || result.text === f.text) return f;
          changed = true;
          rewritten.set(f.path, result.text);
          return new SourceFile(f.path, result.text);
        });
        if (!changed) break;
        found = lintSources(chosen, files, targets);
      }
    }
    for (const f of files) allFiles.set(f.path, f);
    const own = new Set(files.map((f) => resolve(io.cwd, f.path)));
    found = addSiblingHints(found, project.root, own, io.cwd);
    if (options.emitTests !== undefined) {
      const { emitLintTests } = await import('../../testing/emit-lint.js');
      const text = emitLintTests(
        files,
        found.filter((d) => targets.has(d.span.file)),
      );
      if (text) emitted.push(text);
    }
    // What the project could not read is an error even when it was not asked for: the analysis lacks it.
    diagnostics.push(...project.diagnostics, ...found);
  }

  for (const [path, text] of rewritten) {
    const failure = await writeAtomically(resolve(io.cwd, path), text);
    if (failure) diagnostics.push(failure);
  }
  if (options.emitTests !== undefined) {
    const failure = await writeAtomically(resolve(io.cwd, options.emitTests), emitted.join('\n'));
    if (failure) diagnostics.push(failure);
    else {
      const count = emitted.join('\n').match(/^test "/gm)?.length ?? 0;
      io.err(`wrote ${count} test(s) to ${options.emitTests}\n`);
    }
  }
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const limit =
    options.maxWarnings === undefined || options.maxWarnings < 0 ? undefined : options.maxWarnings;
  const tooMany = !hasErrors(diagnostics) && limit !== undefined && warnings > limit;
  const why = `too many warnings: ${warnings} (--max-warnings ${limit})`;
  const shown = options.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const rendered = renderChunks(options, shown, allFiles, io);
  // Workflow commands are read from stdout: the reason for the failure becomes an annotation of its own.
  const chunks =
    tooMany && options.format === 'github'
      ? [...rendered, `::error title=aclc::${escapeData(why)}\n`]
      : rendered;
  if (options.outputFile !== undefined) {
    const failure = await writeAtomically(resolve(io.cwd, options.outputFile), [...chunks].join(''));
    if (failure) {
      io.err(renderHuman([failure], new Map(), styleFor({ isTTY: io.stderrIsTTY }, io.env)));
      return EXIT.errors;
    }
  } else {
    for (const chunk of chunks) {
      io.out(chunk);
      await io.drained?.();
    }
  }
  if (hasErrors(diagnostics)) return EXIT.errors;
  if (tooMany) {
    if (options.format !== 'github' || options.outputFile !== undefined) io.err(`${why}\n`);
    return EXIT.errors;
  }
  return EXIT.ok;
}

/** The report in the chosen format. */
function render(
  options: LintOptions,
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  io: Io,
): string {
  return [...renderChunks(options, diagnostics, files, io)].join('');
}

/**
 * The report in the chosen format, in pieces to write one after the other: the human report is rendered piece by
 * piece as it is written, the others are one piece.
 */
function renderChunks(
  options: LintOptions,
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
  io: Io,
): Iterable<string> {
  const sorted = sortDiagnostics(diagnostics);
  switch (options.format) {
    case 'json':
      return [renderJson(sorted, files)];
    case 'sarif':
      return [renderSarif(sorted, files, { toolVersion: options.version, rules: RULES.map((r) => r.meta) })];
    case 'github':
      return [renderGithub(sorted, files)];
    default:
      // Colour only on a terminal, never in a file.
      return renderHumanChunks(
        sorted,
        files,
        styleFor({ isTTY: io.stdoutIsTTY && !options.outputFile }, io.env),
      );
  }
}

/** Print a report of setup problems (bad configuration, missing paths) to stdout. */
function report(
  io: Io,
  options: LintOptions,
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
): void {
  io.out(render(options, diagnostics, files, io));
}
