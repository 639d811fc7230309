import { diagnostic } from './diagnostics/catalog.js';
import type { Diagnostic, Result } from './diagnostics/diagnostic.js';
import type { SourceFile } from './diagnostics/source.js';
import type { Project } from './model/project.js';
import type { AstFile } from './parser/ast.js';
import { parseFile } from './parser/index.js';
import { resolveProject } from './resolve/index.js';

/** The front half of every command: parse each file, then resolve the project they form together. */
export interface Analyzed {
  files: SourceFile[];
  asts: AstFile[];
  project: Project;
  diagnostics: Diagnostic[];
}

/**
 * Parse and resolve a project's files. `parse` lets a long-lived caller (the language server) reuse the trees of
 * files that did not change; it must behave as `parseFile`.
 */
export function analyzeSources(
  files: SourceFile[],
  parse: (file: SourceFile) => Result<AstFile> = parseFile,
): Analyzed {
  const diagnostics: Diagnostic[] = [];
  const asts: AstFile[] = [];
  for (const file of files) {
    const parsed = parse(file);
    asts.push(parsed.value);
    for (const d of parsed.diagnostics) diagnostics.push(d);
    if (parsed.value.decls.length === 0 && parsed.diagnostics.length === 0)
      diagnostics.push(diagnostic('ACL0005', { file: file.path, start: 0, end: 0 }, { path: file.path }));
  }
  const resolved = resolveProject(asts);
  for (const d of resolved.diagnostics) diagnostics.push(d);
  return { files, asts, project: resolved.value, diagnostics };
}
