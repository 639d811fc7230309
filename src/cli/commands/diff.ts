import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { accessDiff } from '../../access-diff/engine.js';
import { gateFindings } from '../../access-diff/gate.js';
import { type AccessDiffFormat, renderAccessDiff } from '../../access-diff/render.js';
import { type Checkout, checkoutRevision } from '../../access-diff/revision.js';
import { type AccessDiff, mergeDiffs } from '../../access-diff/types.js';
import { compileProject } from '../../compiler/compile.js';
import { declarationSpans } from '../../deploy/workflow.js';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import type { CompiledProject } from '../../model/compiled.js';
import { analyzeSources } from '../../pipeline.js';
import { widthFor } from '../../plan-view/wrap.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { type DiscoveredProject, discoverProjects } from '../projects.js';
import { styleFor } from '../render/human.js';

export interface DiffOptions {
  format: AccessDiffFormat;
  failOnWiden?: boolean;
  /** Folders or files of the projects to compare (default: the current folder). */
  project?: string[];
  diagnostics: 'human' | 'json';
}

/** One side of the comparison: a label and the projects found there, keyed by folder relative to its `cwd`. */
interface SideSource {
  label: string;
  projects: Map<string, DiscoveredProject>;
  diagnostics: Diagnostic[];
}

const EMPTY: CompiledProject = { groups: [], policies: [], apps: [] };
const AT = (file: string): Span => ({ file, start: 0, end: 0 });

/** The projects `paths` name under `cwd`, keyed by their folder relative to `cwd` (`.` for `cwd` itself). */
function discover(label: string, paths: string[], cwd: string, missingIsEmpty: boolean): SideSource {
  const found = discoverProjects(paths, cwd);
  const projects = new Map<string, DiscoveredProject>();
  for (const p of found.projects) projects.set(relative(cwd, p.root) || '.', p);
  // At a revision, a folder that does not exist yet is a project with nothing in it.
  const diagnostics = found.diagnostics.filter(
    (d) => !(missingIsEmpty && (d.code === 'ACL0001' || d.code === 'ACL0002' || d.code === 'ACL0720')),
  );
  return { label, projects, diagnostics };
}

function sameFiles(a: DiscoveredProject | undefined, b: DiscoveredProject | undefined): boolean {
  if (!a || !b || a.files.length !== b.files.length) return false;
  const texts = new Map(a.files.map((f) => [f.path, f.text]));
  return b.files.every((f) => texts.get(f.path) === f.text);
}

interface Built {
  document: CompiledProject;
  spans: Map<string, Span>;
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

function build(project: DiscoveredProject | undefined): Built {
  if (!project) return { document: EMPTY, spans: new Map(), files: [], diagnostics: [] };
  const analyzed = analyzeSources(project.files);
  const diagnostics = [...project.diagnostics, ...analyzed.diagnostics];
  if (hasErrors(diagnostics)) return { document: EMPTY, spans: new Map(), files: project.files, diagnostics };
  const compiled = compileProject(analyzed.project);
  diagnostics.push(...compiled.diagnostics);
  const document = compiled.value.document;
  return { document, spans: declarationSpans(analyzed.project, document), files: project.files, diagnostics };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `aclc diff [REV] [REV2]`: the access diff between two versions of the code, offline. No argument: `HEAD` against
 * the working tree; one: that revision against the working tree; two: the first against the second — revisions,
 * or two project folders. Exit 0; 1 when the gate fails (`--fail-on-widen`, or a sensitive app widened) or a side
 * has errors; 2 on a bad revision or usage.
 */
export async function runDiff(revs: string[], options: DiffOptions, io: Io): Promise<number> {
  if (revs.length > 2) {
    const d = diagnostic('ACL0890', AT('<command line>'), {
      rev: revs.slice(2).join(' '),
      reason: 'give at most two revisions (or two folders)',
    });
    reportDiagnostics(io, [d], [], options.diagnostics);
    return EXIT.usage;
  }
  const checkouts: Checkout[] = [];
  try {
    const paths = options.project ?? ['.'];
    let before: SideSource;
    let after: SideSource;
    const folders = revs.length === 2 && revs.every((r) => isFolder(resolve(io.cwd, r)));
    if (folders) {
      const [a, b] = revs as [string, string];
      const side = (dir: string): SideSource => {
        const s = discover(dir, [dir], io.cwd, false);
        // Two folders compare as one project each, whatever their names.
        const only = [...s.projects.values()];
        return { ...s, projects: new Map(only.length > 0 ? [['.', only[0] as DiscoveredProject]] : []) };
      };
      before = side(a);
      after = side(b);
    } else {
      const open = (rev: string | undefined): SideSource | Diagnostic => {
        if (rev === undefined) return discover('working tree', paths, io.cwd, false);
        const c = checkoutRevision(rev, io.cwd);
        if ('error' in c) return diagnostic('ACL0890', AT('<command line>'), { rev, reason: c.error });
        checkouts.push(c);
        return discover(rev, paths, c.cwd, true);
      };
      const b = open(revs[0] ?? 'HEAD');
      const a = open(revs[1]);
      const bad = [b, a].filter((s): s is Diagnostic => 'code' in s);
      if (bad.length > 0) {
        reportDiagnostics(io, bad, [], options.diagnostics);
        return EXIT.usage;
      }
      before = b as SideSource;
      after = a as SideSource;
    }
    const problems = [...before.diagnostics, ...after.diagnostics];
    if (hasErrors(problems)) {
      reportDiagnostics(io, problems, [], options.diagnostics);
      return exitFor(problems);
    }
    const parts: { project: string; diff: AccessDiff }[] = [];
    const gate: Diagnostic[] = [];
    const shown: SourceFile[] = [];
    let failed = false;
    const keys = [...new Set([...before.projects.keys(), ...after.projects.keys()])].sort();
    for (const key of keys) {
      const bp = before.projects.get(key);
      const ap = after.projects.get(key);
      if (sameFiles(bp, ap)) continue;
      const b = build(bp);
      const a = build(ap);
      let broken = false;
      for (const [side, built] of [
        [before.label, b],
        [after.label, a],
      ] as const) {
        // Warnings of the code are lint's business; only errors stop the comparison of this project.
        if (!hasErrors(built.diagnostics)) continue;
        broken = true;
        built.diagnostics.push(diagnostic('ACL0891', AT(key), { project: key, side: `\`${side}\`` }));
        reportDiagnostics(io, built.diagnostics, built.files, options.diagnostics);
      }
      if (broken) {
        failed = true;
        continue;
      }
      const diff = accessDiff({
        before: b.document,
        after: a.document,
        labels: { before: before.label, after: after.label },
      });
      parts.push({ project: key, diff });
      shown.push(...a.files);
      const sensitive = ap?.config?.sensitiveApps ?? [];
      gate.push(
        ...gateFindings(diff, {
          ...(options.failOnWiden ? { failOnWiden: true } : {}),
          sensitive,
          spanOf: (app) => a.spans.get(`app:${app}`) ?? AT(key),
        }),
      );
    }
    // The projects that compare are shown even when another one could not be (which still fails the command).
    if (parts.length > 0 || !failed) {
      const merged = mergeDiffs(parts, before.label, after.label);
      io.out(
        renderAccessDiff(merged, {
          format: options.format,
          width: widthFor(undefined, io.columns),
          style: styleFor({ isTTY: io.stdoutIsTTY }, io.env),
        }),
      );
    }
    if (gate.length > 0) reportDiagnostics(io, gate, shown, options.diagnostics);
    return failed || gate.length > 0 ? EXIT.errors : EXIT.ok;
  } finally {
    for (const c of checkouts) c.dispose();
  }
}
