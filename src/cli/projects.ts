import { dirname, join, relative, resolve, sep } from 'node:path';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { type FileSystem, nodeFileSystem } from '../files/file-system.js';
import { type WalkFailure, walkAclFiles } from '../files/walk.js';
import { CONFIG_FILE, type LintConfig, parseConfig } from '../lint/config.js';
import { type GlobMatcher, globMatcher } from '../lint/glob.js';
import { displayPath, readFailure, readSource, readText } from './load.js';

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
  /** The file system (default: the disk); tests pass one that fails on purpose. */
  fs?: FileSystem;
}

const at = (file: string) => ({ file, start: 0, end: 0 });

/** A folder as messages show it: `.` for `cwd`. */
function displayDir(path: string, cwd: string): string {
  return resolve(path) === resolve(cwd) ? '.' : displayPath(path, cwd);
}

/** `**` spans folders, `*` and `?` stay within one name; matched in linear time (src/lint/glob.ts). */
export function globToRegExp(glob: string): GlobMatcher {
  return globMatcher(glob);
}

/** A configuration file, parsed; a missing or broken one gives diagnostics and `{}`. */
export function readConfig(
  path: string,
  cwd: string,
  fs: FileSystem = nodeFileSystem,
): { config: LintConfig; file?: SourceFile; diagnostics: Diagnostic[] } {
  const shown = displayPath(path, cwd);
  const read = readText(path, shown, fs);
  if ('diagnostic' in read) return { config: {}, diagnostics: [read.diagnostic] };
  const text = read.text;
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
  const fs = options.fs ?? nodeFileSystem;
  /** What could not be read, by path (several walks may meet the same folder). */
  const failures = new Map<string, WalkFailure>();
  const fail = (failure: WalkFailure): void => {
    if (!failures.has(failure.path)) failures.set(failure.path, failure);
  };
  /** Whether `path` exists; a failure other than "does not exist" is thrown. */
  const exists = (path: string): boolean => {
    try {
      fs.stat(path);
      return true;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw e;
    }
  };
  /** `exists`, reporting a failure (and answering `onFailure`, default no) instead of throwing. */
  const checked = (path: string, onFailure = false): boolean => {
    try {
      return exists(path);
    } catch (e) {
      fail({ path, code: (e as { code?: string }).code ?? 'EIO', what: 'config' });
      return onFailure;
    }
  };
  const aclFiles = (
    dir: string,
    recursive: boolean,
    stopAtConfig: boolean,
    ignore: GlobMatcher[] = [],
  ): string[] =>
    walkAclFiles(dir, {
      fs,
      recursive,
      fail,
      // A folder with its own configuration is another project.
      // One that cannot be checked is reported, and not entered: which project its files belong to is unknown.
      ...(stopAtConfig ? { isProject: (sub: string) => checked(join(sub, CONFIG_FILE), true) } : {}),
      // A folder whose every file `ignore` matches is not read at all.
      ...(ignore.length > 0
        ? {
            skip: (sub: string) => matchesAny(ignore, `${slashed(relative(dir, sub))}/`),
          }
        : {}),
    });

  /** The folder holding the nearest `aclc.config.json` at or above `dir`, stopping at a repository root. */
  const configRoot = (dir: string): string | undefined => {
    if (roots.has(dir)) return roots.get(dir);
    let root: string | undefined;
    if (checked(join(dir, CONFIG_FILE))) root = dir;
    else if (!checked(join(dir, '.git')) && dirname(dir) !== dir) root = configRoot(dirname(dir));
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
      const read = readConfig(configPath, cwd, fs);
      diagnostics.push(...read.diagnostics);
      const ignore = (read.config.ignore ?? []).map(globToRegExp);
      const files = aclFiles(root, true, true, ignore).filter(
        (f) => !matchesAny(ignore, slashed(relative(root, f))),
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
      isDir = fs.stat(path).isDirectory();
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
      } else if (project.configPath && matchesAny(project.ignore, slashed(relative(project.root, file))))
        ignoredBy ??= project;
    }
    if (any) continue;
    const help = ignoredBy?.configPath
      ? `its \`.acl\` files are matched by \`ignore\` in \`${displayPath(ignoredBy.configPath, cwd)}\`; name the files to include them`
      : undefined;
    diagnostics.push(diagnostic('ACL0001', at(shown), { path: shown }, help ? { help } : {}));
  }

  const out: DiscoveredProject[] = [];
  const unread = [...failures.values()].map((f) => ({ path: f.path, diagnostic: failureDiagnostic(f, cwd) }));
  const placed = new Set<string>();
  for (const found of projects.values()) {
    if (found.targets.size === 0) continue;
    const project: DiscoveredProject = { root: found.root, files: [], targets: new Set(), diagnostics: [] };
    // INVARIANT: what a project could not read is an error of that project, so it is never built (or pruned) from
    // part of its files.
    for (const u of unread)
      if (!relative(found.root, u.path).startsWith('..')) {
        project.diagnostics.push(u.diagnostic);
        placed.add(u.path);
      }
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
      const read = readSource(file, displayPath(file, cwd), fs);
      if ('file' in read) project.files.push(read.file);
      else project.diagnostics.push(read.diagnostic);
    }
    out.push(project);
  }
  for (const u of unread) if (!placed.has(u.path)) diagnostics.push(u.diagnostic);
  return { projects: out, diagnostics };
}

/** A relative path with `/` separators, as `ignore` globs are written. */
const slashed = (path: string): string => (sep === '/' ? path : path.split(sep).join('/'));

/** Whether any of `ignore` matches `path` (relative, with `/` separators: worked out once, not per glob). */
const matchesAny = (ignore: readonly GlobMatcher[], path: string): boolean =>
  ignore.some((re) => re.test(path));

/** ACL0007 for a folder that cannot be listed, ACL0002 for anything else met and not read. */
function failureDiagnostic(failure: WalkFailure, cwd: string): Diagnostic {
  const shown = displayPath(failure.path, cwd);
  const reason = readFailure({ code: failure.code }, failure.what === 'link' ? 'link' : 'file');
  if (failure.what === 'folder') return diagnostic('ACL0007', at(shown), { path: shown, reason });
  return diagnostic('ACL0002', at(shown), { path: shown, reason });
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
