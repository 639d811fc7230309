import { compileProject } from '../compiler/compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { SourceIndex } from '../explain/trace.js';
import type { Project } from '../model/project.js';
import type { AstFile } from '../parser/ast.js';
import { analyzeSources } from '../pipeline.js';
import { CompiledModel } from './model.js';
import { parseTestFile } from './parse.js';
import type { ParsedTestFile } from './run.js';

const OVER_LIMITS = new Set(['ACL0601', 'ACL0602', 'ACL0603']);

/** A project compiled and ready to be tested or explained. */
export interface Prepared {
  project: Project;
  asts: AstFile[];
  model: CompiledModel;
  index: SourceIndex;
  files: ParsedTestFile[];
}

/**
 * Parse, resolve and compile a project's `.acl` files, and parse its `.acltest` files. Tests run on the compiled
 * configuration, so a project with errors is not tested (`prepared` is absent and the diagnostics say why).
 */
export function prepareSuite(
  sources: readonly SourceFile[],
  tests: readonly SourceFile[],
  options: { accountLimits?: boolean } = {},
): { prepared?: Prepared; diagnostics: Diagnostic[] } {
  const analyzed = analyzeSources([...sources]);
  const diagnostics = [...analyzed.diagnostics];
  const files: ParsedTestFile[] = [];
  for (const file of tests) {
    const parsed = parseTestFile(file);
    diagnostics.push(...parsed.diagnostics);
    files.push({ file, ast: parsed.value });
  }
  if (hasErrors(analyzed.diagnostics)) return { diagnostics };
  const compiled = compileProject(analyzed.project);
  // The benchmark tests projects past the account's limits (1,000 apps); the CLI never does.
  const found =
    options.accountLimits === false
      ? compiled.diagnostics.filter((d) => !OVER_LIMITS.has(d.code))
      : compiled.diagnostics;
  diagnostics.push(...found);
  if (hasErrors(found)) return { diagnostics };
  const model = new CompiledModel(compiled.value.document);
  const index = new SourceIndex(analyzed.project, model);
  return { prepared: { project: analyzed.project, asts: analyzed.asts, model, index, files }, diagnostics };
}
