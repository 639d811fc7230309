import type { Diagnostic } from './diagnostics/diagnostic.js';
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

export function analyzeSources(files: SourceFile[]): Analyzed {
  const diagnostics: Diagnostic[] = [];
  const asts: AstFile[] = [];
  for (const file of files) {
    const parsed = parseFile(file);
    asts.push(parsed.value);
    diagnostics.push(...parsed.diagnostics);
  }
  const resolved = resolveProject(asts);
  diagnostics.push(...resolved.diagnostics);
  return { files, asts, project: resolved.value, diagnostics };
}
