import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from '../../diagnostics/diagnostic.js';
import { SourceFile } from '../../diagnostics/source.js';
import { CONFIG_FILE, type LintConfig, parseConfig } from '../../lint/config.js';
import { applyFixes, fixesByFile } from '../../lint/fix.js';
import { RULES } from '../../lint/rules/index.js';
import { lintProject } from '../../lint/run.js';
import { analyzeSources } from '../../pipeline.js';
import type { Io } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { loadSources } from '../load.js';
import { renderGithub } from '../render/github.js';
import { renderHuman, styleFor } from '../render/human.js';
import { renderJson } from '../render/json.js';
import { renderSarif } from '../render/sarif.js';
import { writeAtomically } from '../write.js';

export interface LintOptions {
  format: 'human' | 'json' | 'sarif' | 'github';
  maxWarnings?: number;
  fix?: boolean;
  config?: string;
  /** The aclc version, for SARIF. */
  version: string;
}

/** Folders never searched, as in `aclc compile`. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'expected']);
/** Passes of `--fix` (a fix may enable another). */
const FIX_PASSES = 10;

/** One project: its root, its configuration, every `.acl` file in it, and the files to report on. */
interface Project {
  root: string;
  config: LintConfig;
  configFile?: SourceFile;
  files: Set<string>;
  targets: Set<string>;
}

function aclFiles(dir: string, recursive: boolean, stopAtConfig: boolean, out: string[] = []): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!recursive || SKIP_DIRS.has(entry.name) || entry.name.startsWith('.')) continue;
      // A folder with its own configuration is another project.
      if (stopAtConfig && existsSync(join(path, CONFIG_FILE))) continue;
      aclFiles(path, recursive, stopAtConfig, out);
    } else if (entry.isFile() && extname(entry.name) === '.acl') out.push(path);
  }
  return out;
}

/** The folder holding the nearest `aclc.config.json` above `dir` (stopping at a repository root). */
function configRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, CONFIG_FILE))) return d;
    if (existsSync(join(d, '.git')) || dirname(d) === d) return undefined;
  }
}

/** `**` spans folders, `*` and `?` stay within one name. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** A configuration file, parsed; problems go to `diagnostics`. */
function readConfig(
  path: string,
  io: Io,
  diagnostics: Diagnostic[],
): { config: LintConfig; file?: SourceFile } {
  const shown = displayPath(path, io.cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'ENOENT' ? 'no such file or directory' : 'unreadable';
    diagnostics.push(diagnostic('ACL0002', { file: shown, start: 0, end: 0 }, { path: shown, reason }));
    return { config: {} };
  }
  const file = new SourceFile(shown, text);
  const parsed = parseConfig(file);
  diagnostics.push(...parsed.diagnostics);
  return { config: parsed.value ?? {}, file };
}

/**
 * Group the files to lint into projects. A project is the folder holding the nearest `aclc.config.json` (all
 * `.acl` files below it, minus nested projects and its `ignore` patterns); without one, the folder holding the file
 * (its `.acl` files, not those of subfolders). Names resolve across a project; findings are reported only for the
 * files asked for. Files named explicitly are linted even when `ignore` matches them.
 */
function discover(
  paths: readonly string[],
  io: Io,
  explicitConfig: { config: LintConfig; file?: SourceFile } | undefined,
  diagnostics: Diagnostic[],
): Project[] {
  const projects = new Map<string, Project>();
  const projectFor = (file: string): Project => {
    const dir = dirname(file);
    const root = configRoot(dir);
    const key = root ?? `folder:${dir}`;
    let project = projects.get(key);
    if (!project) {
      const found = root ? readConfig(join(root, CONFIG_FILE), io, diagnostics) : undefined;
      const chosen = explicitConfig ?? found ?? { config: {} };
      const ignore = (found?.config.ignore ?? []).map(globToRegExp);
      const files = (root ? aclFiles(root, true, true) : aclFiles(dir, false, false)).filter(
        (f) => !root || !ignore.some((re) => re.test(relative(root, f).split(sep).join('/'))),
      );
      project = { root: root ?? dir, config: chosen.config, files: new Set(files), targets: new Set() };
      if (chosen.file) project.configFile = chosen.file;
      projects.set(key, project);
    }
    return project;
  };

  for (const given of paths.length > 0 ? paths : ['.']) {
    const path = resolve(io.cwd, given);
    const shown = displayPath(path, io.cwd);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      diagnostics.push(
        diagnostic(
          'ACL0002',
          { file: shown, start: 0, end: 0 },
          { path: shown, reason: 'no such file or directory' },
        ),
      );
      continue;
    }
    if (!isDir) {
      const project = projectFor(path);
      project.files.add(path);
      project.targets.add(path);
      continue;
    }
    let any = false;
    for (const file of aclFiles(path, true, false)) {
      const project = projectFor(file);
      if (!project.files.has(file)) continue; // ignored by its configuration
      project.targets.add(file);
      any = true;
    }
    if (!any) diagnostics.push(diagnostic('ACL0001', { file: shown, start: 0, end: 0 }, { path: shown }));
  }
  return [...projects.values()].filter((p) => p.targets.size > 0);
}

/** Parse, resolve and lint one project held in memory. */
function lintSources(project: Project, files: SourceFile[], targets: ReadonlySet<string>): Diagnostic[] {
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
  const setup: Diagnostic[] = [];
  const explicit =
    options.config === undefined ? undefined : readConfig(resolve(io.cwd, options.config), io, setup);
  const projects = setup.length > 0 ? [] : discover(paths, io, explicit, setup);
  const allFiles = new Map<string, SourceFile>();
  if (explicit?.file) allFiles.set(explicit.file.path, explicit.file);
  for (const p of projects) if (p.configFile) allFiles.set(p.configFile.path, p.configFile);
  if (setup.length > 0) {
    report(io, options, setup, allFiles);
    return EXIT.usage;
  }

  const diagnostics: Diagnostic[] = [];
  const rewritten = new Map<string, string>();
  for (const project of projects) {
    const loaded = loadSources([...project.files], io.cwd);
    const targets = new Set([...project.targets].map((t) => displayPath(t, io.cwd)));
    let files = loaded.files;
    let found = lintSources(project, files, targets);
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
        found = lintSources(project, files, targets);
      }
    }
    for (const f of files) allFiles.set(f.path, f);
    diagnostics.push(...loaded.diagnostics.filter((d) => targets.has(d.span.file)), ...found);
  }

  for (const [path, text] of rewritten) {
    const failure = await writeAtomically(resolve(io.cwd, path), text);
    if (failure) diagnostics.push(failure);
  }
  report(io, options, diagnostics, allFiles);
  if (hasErrors(diagnostics)) return EXIT.errors;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    if (options.format === 'human')
      io.err(`too many warnings: ${warnings} (--max-warnings ${options.maxWarnings})\n`);
    return EXIT.errors;
  }
  return EXIT.ok;
}

function report(
  io: Io,
  options: LintOptions,
  diagnostics: readonly Diagnostic[],
  files: ReadonlyMap<string, SourceFile>,
): void {
  const sorted = sortDiagnostics(diagnostics);
  switch (options.format) {
    case 'json':
      io.out(renderJson(sorted, files));
      return;
    case 'sarif':
      io.out(renderSarif(sorted, files, { toolVersion: options.version, rules: RULES.map((r) => r.meta) }));
      return;
    case 'github':
      io.out(renderGithub(sorted, files));
      return;
    default:
      io.out(renderHuman(sorted, files, styleFor({ isTTY: io.stdoutIsTTY }, io.env)));
  }
}
