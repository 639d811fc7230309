import { expect } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { Project } from '../../src/model/project.js';
import { parseFile } from '../../src/parser/index.js';
import { resolveProject } from '../../src/resolve/index.js';

export interface Resolved {
  project: Project;
  diagnostics: Diagnostic[];
  files: Map<string, SourceFile>;
}

/**
 * Parse and resolve a project given as `{ path: text }` (or one text, named `main.acl`). Fails the test if the
 * text does not parse cleanly, so resolver tests never depend on parser recovery.
 */
export function resolveText(sources: string | Record<string, string>): Resolved {
  const map = typeof sources === 'string' ? { 'main.acl': sources } : sources;
  const files = Object.entries(map).map(([path, text]) => new SourceFile(path, text));
  const asts = files.map((file) => {
    const parsed = parseFile(file);
    expect(parsed.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    return parsed.value;
  });
  const result = resolveProject(asts);
  return {
    project: result.value,
    diagnostics: result.diagnostics,
    files: new Map(files.map((f) => [f.path, f])),
  };
}

/** A diagnostic as tests compare it: position as `file:line:col` (the file left out for `main.acl`). */
export interface Shown {
  code: string;
  at: string;
  message: string;
  help?: string;
  related?: { at: string; message: string }[];
  fix?: { description: string; text: string[] };
}

function at(files: Map<string, SourceFile>, span: Diagnostic['span']): string {
  const file = files.get(span.file);
  const p = file ? file.position(span.start) : { line: 0, column: 0 };
  return span.file === 'main.acl' ? `${p.line}:${p.column}` : `${span.file}:${p.line}:${p.column}`;
}

export function show(d: Diagnostic, files: Map<string, SourceFile>): Shown {
  const s: Shown = { code: d.code, at: at(files, d.span), message: d.message };
  if (d.help !== undefined) s.help = d.help;
  if (d.related) s.related = d.related.map((r) => ({ at: at(files, r.span), message: r.message }));
  if (d.fix) s.fix = { description: d.fix.description, text: d.fix.edits.map((e) => e.text) };
  return s;
}

/**
 * Compare diagnostics whole: code, position and message always; `help`, `related` and `fix` whenever the
 * expectation states them (an expectation without `help` does not care about it).
 */
export function expectDiagnostics(r: Resolved, expected: Shown[]): void {
  const actual = r.diagnostics.map((d) => show(d, r.files));
  const trimmed = actual.map((a, i) => {
    const e = expected[i];
    const out: Shown = { code: a.code, at: a.at, message: a.message };
    if (e?.help !== undefined && a.help !== undefined) out.help = a.help;
    if (e?.related !== undefined && a.related !== undefined) out.related = a.related;
    if (e?.fix !== undefined && a.fix !== undefined) out.fix = a.fix;
    return out;
  });
  expect(trimmed).toEqual(expected);
  // Whatever the expectation says, every finding the resolver makes is an error with a help text.
  for (const d of r.diagnostics) {
    expect(d.severity).toBe('error');
    expect(d.help).toBeTruthy();
  }
}

/** The project as plain data without spans (Maps become objects), for whole-model comparisons. */
export function plain(project: Project): unknown {
  return JSON.parse(
    JSON.stringify(project, (key, value) =>
      key === 'span' || key === 'nameSpan' || key === 'exprSpan'
        ? undefined
        : value instanceof Map
          ? Object.fromEntries(value)
          : value,
    ),
  );
}
