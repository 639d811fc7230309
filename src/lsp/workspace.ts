import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { type DiscoveredProject, discoverProjects } from '../cli/projects.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import type { LintConfig } from '../lint/config.js';
import type { AstFile } from '../parser/ast.js';
import { parseFile } from '../parser/index.js';
import { type Analyzed, analyzeSources } from '../pipeline.js';

/**
 * The files one document is analysed with: what `aclc lint <that file>` would read (its project, by the one project
 * rule of `src/cli/projects.ts`), as found on disk. Open buffers replace the disk texts at analysis time.
 */
export interface Unit {
  /** Identifies the file set: two open documents of one project share a unit. */
  key: string;
  /** Folder display paths are relative to (the workspace folder holding the project, else the project's root). */
  cwd: string;
  root: string;
  config: LintConfig;
  configFile?: SourceFile;
  /** Absolute paths of the unit's files, in the order `aclc lint` reads them. */
  paths: string[];
  /** Disk texts (absolute path → file as found), for files no buffer overrides. */
  disk: Map<string, SourceFile>;
  /** Problems finding or reading the project (broken configuration, unreadable files). */
  setup: Diagnostic[];
}

/** One analysis of a unit: the texts it read (open buffers at their versions), trees, project, lint findings. */
export interface Snapshot {
  unit: Unit;
  files: SourceFile[];
  /** Versions of the open documents the snapshot read (absolute path → version). */
  versions: Map<string, number>;
  analyzed: Analyzed;
}

const parseCache = new Map<string, { text: string; result: Result<AstFile> }>();

/** Parse through a cache keyed by path and text: unchanged files are not parsed again. */
export function parseCached(file: SourceFile): Result<AstFile> {
  const hit = parseCache.get(file.path);
  if (hit && hit.text === file.text) return hit.result;
  const result = parseFile(file);
  parseCache.set(file.path, { text: file.text, result });
  return result;
}

export class Workspace {
  private readonly units = new Map<string, Unit>();
  private files: { path: string; file: SourceFile }[] | undefined;

  constructor(public roots: string[]) {}

  /** Forget what was read from disk (files or configurations changed). */
  invalidate(): void {
    this.units.clear();
    this.files = undefined;
  }

  /** Every `.acl` file of the workspace folders (open buffers over the disk), for workspace-wide features. */
  allFiles(overlay: ReadonlyMap<string, string>): { path: string; file: SourceFile }[] {
    if (!this.files) {
      this.files = [];
      for (const root of this.roots) {
        if (!existsSync(root)) continue;
        for (const project of discoverProjects([root], root).projects)
          for (const file of project.files) this.files.push({ path: resolve(root, file.path), file });
      }
    }
    return this.files.map(({ path, file }) => {
      const text = overlay.get(path);
      return {
        path,
        file: text === undefined || text === file.text ? file : new SourceFile(file.path, text),
      };
    });
  }

  /** The folder display paths are relative to, for a file. */
  cwdFor(path: string): string {
    const inside = this.roots
      .filter((r) => {
        const rel = relative(r, path);
        return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
      })
      .sort((a, b) => b.length - a.length);
    return inside[0] ?? dirname(path);
  }

  /** The unit of a file (absolute path); `text` stands in for it when it is not on disk. */
  unitFor(path: string, text: string): Unit {
    const cached = this.units.get(path);
    if (cached) return cached;
    const cwd = this.cwdFor(path);
    const overlay = existsSync(path) ? undefined : new Map([[path, text]]);
    const discovery = discoverProjects([path], cwd, overlay ? { overlay } : {});
    const project: DiscoveredProject | undefined = discovery.projects[0];
    const setup = [...discovery.diagnostics, ...(project?.diagnostics ?? [])];
    const disk = new Map<string, SourceFile>();
    const paths: string[] = [];
    for (const f of project?.files ?? []) {
      const abs = resolve(cwd, f.path);
      paths.push(abs);
      disk.set(abs, f);
    }
    if (!disk.has(path)) {
      paths.push(path);
      disk.set(path, new SourceFile(displayPathOf(path, cwd), text));
    }
    const root = project?.root ?? dirname(path);
    const unit: Unit = {
      key: `${root}\u0000${[...paths].sort().join('\u0000')}`,
      cwd,
      root,
      config: project?.config ?? {},
      paths,
      disk,
      setup,
    };
    if (project?.configFile) unit.configFile = project.configFile;
    this.units.set(path, unit);
    return unit;
  }

  /** Read a unit with the open buffers over the disk. */
  snapshot(unit: Unit, open: ReadonlyMap<string, { text: string; version: number }>): Snapshot {
    const versions = new Map<string, number>();
    const files = unit.paths.map((abs) => {
      const disk = unit.disk.get(abs) as SourceFile;
      const buffer = open.get(abs);
      if (!buffer) return disk;
      versions.set(abs, buffer.version);
      return buffer.text === disk.text ? disk : new SourceFile(disk.path, buffer.text);
    });
    return { unit, files, versions, analyzed: analyzeSources(files, parseCached) };
  }
}

export function displayPathOf(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
