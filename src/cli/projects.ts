import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { CONFIG_FILE, type LintConfig, parseConfig } from '../lint/config.js';
import { type GlobMatcher, globMatcher } from '../lint/glob.js';
import { displayPath, readFailure, readSource, SKIP_DIRS } from './load.js';

/**
 * The one rule for which files form a project, shared by every command:
 * - the folder holding the nearest `aclc.config.json` (searching upwards from a file's folder, stopping at a
 *   repository root) is a project: every `.acl` file below it, except folders with their own configuration
 *   (nested projects) and files matched by its `ignore` globs;
 * - without one, the folder holding the file is the project: its `.acl` files, not those of subfolders.
 * Folders named on the command line are searched recursively for the files asked for; files named explicitly
 * belong to their project even when `ignore` matches them.
 */

/** One project, as found on disk. */
export interface DiscoveredProject {
  /** The project's folder (absolute). */
  root: string;
  /** Its `aclc.config.json` (absolute), when the project is a configuration root. */
  configPath?: string;
  /** The configuration, when it parsed (its problems are in the discovery's diagnostics). */
  config?: LintConfig;
  /** The configuration's text, for rendering diagnostics that point into it. */
  configFile?: SourceFile;
  /** The project's files that could be read (paths relative to `cwd`), in folder order; see `DiscoverOptions`. */
  files: SourceFile[];
  /** Display paths of the files asked for (named, or found in a folder named). */
  targets: Set<string>;
  /** Problems reading the project's files (ACL0002–0004), asked for or not. */
  diagnostics: Diagnostic[];
}

export interface Discovery {
  /** The projects holding at least one file asked for, in the order they were first met. */
  projects: DiscoveredProject[];
  /** Paths that do not exist or hold no `.acl` files (ACL0001, ACL0002), broken configurations (ACL0701). */
  diagnostics: Diagnostic[];
}

export interface DiscoverOptions {
  /** `all` (the default) reads every file of each project; `targets` reads only the files asked for. */
  read?: 'all' | 'targets';
  /**
   * Texts that stand in for files (absolute path → text): unsaved editor buffers, `--stdin-filename`. A path given
   * here is read from the map instead of the disk, and may name a file that does not exist yet.
   */
  overlay?: ReadonlyMap<string, string>;
}

const at = (file: string) => ({ file, start: 0, end: 0 });

/** A folder as messages show it: `.` for `cwd`. */
function displayDir(path: string, cwd: string): string {
  return resolve(path) === resolve(cwd) ? '.' : displayPath(path, cwd);
}

/** The `.acl` files of `dir`, sorted; below it too when `recursive`, stopping at nested configurations. */
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

/** `**` spans folders, `*` and `?` stay within one name; matched in linear time (src/lint/glob.ts). */
export function globToRegExp(glob: string): GlobMatcher {
  return globMatcher(glob);
}

/** A configuration file, parsed; a missing or broken one gives diagnostics and `{}`. */
export function readConfig(
  path: string,
  cwd: string,
): { config: LintConfig; file?: SourceFile; diagnostics: Diagnostic[] } {
  const shown = displayPath(path, cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      config: {},
      diagnostics: [diagnostic('ACL0002', at(shown), { path: shown, reason: readFailure(error) })],
    };
  }
  const file = new SourceFile(shown, text);
  const parsed = parseConfig(file);
  return { config: parsed.value ?? {}, file, diagnostics: parsed.diagnostics };
}

/** A project while files are being assigned to it; paths are absolute. */
interface Found {
  root: string;
  configPath?: string;
  config?: LintConfig;
  configFile?: SourceFile;
  ignore: GlobMatcher[];
  files: Set<string>;
  targets: Set<string>;
}

/**
 * Group the files named by `paths` (default `.`) into projects (see the rule at the top of this module) and read
 * them. Display paths are relative to `cwd`.
 */
export function discoverProjects(
  paths: readonly string[],
  cwd: string,
  options: DiscoverOptions = {},
): Discovery {
  const diagnostics: Diagnostic[] = [];
  const projects = new Map<string, Found>();
  const roots = new Map<string, string | undefined>();

  /** The folder holding the nearest `aclc.config.json` at or above `dir`, stopping at a repository root. */
  const configRoot = (dir: string): string | undefined => {
    if (roots.has(dir)) return roots.get(dir);
    let root: string | undefined;
    if (existsSync(join(dir, CONFIG_FILE))) root = dir;
    else if (!existsSync(join(dir, '.git')) && dirname(dir) !== dir) root = configRoot(dirname(dir));
    roots.set(dir, root);
    return root;
  };

  const projectFor = (file: string): Found => {
    const dir = dirname(file);
    const root = configRoot(dir);
    const key = root ?? `folder:${dir}`;
    let project = projects.get(key);
    if (project) return project;
    if (root) {
      const configPath = join(root, CONFIG_FILE);
      const read = readConfig(configPath, cwd);
      diagnostics.push(...read.diagnostics);
      const ignore = (read.config.ignore ?? []).map(globToRegExp);
      const files = aclFiles(root, true, true).filter(
        (f) => !ignore.some((re) => re.test(relative(root, f).split(sep).join('/'))),
      );
      project = { root, configPath, ignore, files: new Set(files), targets: new Set() };
      if (read.diagnostics.length === 0) project.config = read.config;
      if (read.file) project.configFile = read.file;
    } else {
      project = { root: dir, ignore: [], files: new Set(aclFiles(dir, false, false)), targets: new Set() };
    }
    projects.set(key, project);
    return project;
  };

  for (const given of paths.length > 0 ? paths : ['.']) {
    const path = resolve(cwd, given);
    const shown = displayPath(path, cwd);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      if (options.overlay?.has(path)) isDir = false;
      else {
        // A path that does not exist is a bad argument (exit 2); one that exists but cannot be read is ACL0002.
        const missing = ['ENOENT', 'ENOTDIR'].includes((error as { code?: string }).code ?? '');
        diagnostics.push(
          missing
            ? diagnostic('ACL0720', at(shown), { path: shown })
            : diagnostic('ACL0002', at(shown), { path: shown, reason: readFailure(error) }),
        );
        continue;
      }
    }
    if (!isDir) {
      // Named explicitly: part of its project even when `ignore` matches it.
      const project = projectFor(path);
      project.files.add(path);
      project.targets.add(path);
      continue;
    }
    let any = false;
    let ignoredBy: Found | undefined;
    for (const file of aclFiles(path, true, false)) {
      const project = projectFor(file);
      if (project.files.has(file)) {
        project.targets.add(file);
        any = true;
      } else if (
        project.configPath &&
        project.ignore.some((re) => re.test(relative(project.root, file).split(sep).join('/')))
      )
        ignoredBy ??= project;
    }
    if (any) continue;
    const help = ignoredBy?.configPath
      ? `its \`.acl\` files are matched by \`ignore\` in \`${displayPath(ignoredBy.configPath, cwd)}\`; name the files to include them`
      : undefined;
    diagnostics.push(diagnostic('ACL0001', at(shown), { path: shown }, help ? { help } : {}));
  }

  const out: DiscoveredProject[] = [];
  for (const found of projects.values()) {
    if (found.targets.size === 0) continue;
    const project: DiscoveredProject = { root: found.root, files: [], targets: new Set(), diagnostics: [] };
    if (found.configPath) project.configPath = found.configPath;
    if (found.config) project.config = found.config;
    if (found.configFile) project.configFile = found.configFile;
    for (const target of found.targets) project.targets.add(displayPath(target, cwd));
    for (const file of options.read === 'targets' ? found.targets : found.files) {
      const text = options.overlay?.get(file);
      if (text !== undefined) {
        project.files.push(new SourceFile(displayPath(file, cwd), text));
        continue;
      }
      const read = readSource(file, displayPath(file, cwd));
      if ('file' in read) project.files.push(read.file);
      else project.diagnostics.push(read.diagnostic);
    }
    out.push(project);
  }
  return { projects: out, diagnostics };
}

/** The longest folder holding every one of `dirs` (absolute paths). */
function commonFolder(dirs: readonly string[]): string {
  let common = dirs[0] ?? '';
  for (const dir of dirs.slice(1)) {
    while (common !== dirname(common) && relative(common, dir).startsWith('..')) common = dirname(common);
  }
  return common;
}

const MAX_LISTED = 5;

/**
 * For the commands that build one project (`compile`, `plan`, `apply`): the project the paths form, or ACL0703
 * when they span several. No project and no diagnostic means the discovery's own diagnostics say why.
 */
export function oneProject(
  paths: readonly string[],
  discovery: Discovery,
  cwd: string,
  command: string,
): { project?: DiscoveredProject; diagnostics: Diagnostic[] } {
  const { projects } = discovery;
  if (projects.length <= 1)
    return projects[0] ? { project: projects[0], diagnostics: [] } : { diagnostics: [] };
  const given = paths.length > 0 ? paths : ['.'];
  const shownPaths = given.length > 3 ? `${given.slice(0, 3).join(' ')} …` : given.join(' ');
  const roots = projects
    .map((p) => displayDir(p.root, cwd))
    .sort()
    .map((r) => `\`${r}\``);
  const listed = roots.length > MAX_LISTED ? [...roots.slice(0, MAX_LISTED), '…'] : roots;
  const common = displayDir(commonFolder(projects.map((p) => p.root)), cwd);
  // A configuration at the common root would not absorb folders that have their own.
  const extra = projects.some((p) => p.configPath)
    ? {
        help: `${command} one project at a time; a folder with its own \`aclc.config.json\` is a project of its own`,
      }
    : {};
  const args = { paths: shownPaths, count: projects.length, projects: listed.join(', '), command, common };
  return { diagnostics: [diagnostic('ACL0703', at('<command line>'), args, extra)] };
}

/**
 * Discover and check in one step, for `compile`, `plan` and `apply`: the files of the one project `paths` form
 * (none when there are errors finding it) and every diagnostic met on the way.
 */
export function loadProject(
  paths: readonly string[],
  cwd: string,
  command: string,
): { project?: DiscoveredProject; files: SourceFile[]; diagnostics: Diagnostic[] } {
  const discovery = discoverProjects(paths, cwd);
  const one = oneProject(paths, discovery, cwd, command);
  const diagnostics = [...discovery.diagnostics, ...one.diagnostics];
  if (!one.project) return { files: [], diagnostics };
  diagnostics.push(...one.project.diagnostics);
  return { project: one.project, files: one.project.files, diagnostics };
}
