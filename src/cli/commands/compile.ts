import { resolve } from 'node:path';
import { compileProject } from '../../compiler/compile.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { analyzeSources } from '../../pipeline.js';
import { redactSecrets } from '../../redact/context.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { loadProject } from '../projects.js';
import { addSiblingHints } from '../siblings.js';
import { writeAtomically } from '../write.js';

export interface CompileOptions {
  app?: string;
  out?: string;
  format: 'json' | 'pretty';
  diagnostics: 'human' | 'json';
}

/**
 * `aclc compile [paths…]`: the project the paths belong to (exactly one, see projects.ts) as Cloudflare API request
 * bodies, on stdout or in a file.
 */
export async function runCompile(paths: string[], options: CompileOptions, io: Io): Promise<number> {
  const loaded = loadProject(paths, io.cwd, 'compile');
  const analyzed = analyzeSources(loaded.files);
  const own = new Set(loaded.files.map((f) => resolve(io.cwd, f.path)));
  const resolved = loaded.project
    ? addSiblingHints(analyzed.diagnostics, loaded.project.root, own, io.cwd)
    : analyzed.diagnostics;
  const diagnostics = [...loaded.diagnostics, ...resolved];
  if (hasErrors(diagnostics)) {
    reportDiagnostics(io, diagnostics, loaded.files, options.diagnostics);
    return exitFor(diagnostics);
  }
  const compiled = compileProject(analyzed.project, options.app === undefined ? {} : { app: options.app });
  diagnostics.push(...compiled.diagnostics);
  reportDiagnostics(io, diagnostics, loaded.files, options.diagnostics);
  if (hasErrors(diagnostics)) return exitFor(diagnostics);

  const { document, synthesized } = compiled.value;
  const text = `${JSON.stringify(document, null, options.format === 'json' ? undefined : 2)}\n`;
  if (options.out) {
    const failure = await writeAtomically(options.out, redactSecrets(text));
    if (failure) {
      reportDiagnostics(io, [failure], loaded.files, options.diagnostics);
      return EXIT.errors;
    }
  } else io.out(text);
  if (options.out || io.stderrIsTTY) {
    const groups = document.groups.length;
    io.err(
      `compiled ${document.apps.length} app(s), ${document.policies.length} polic${document.policies.length === 1 ? 'y' : 'ies'}, ` +
        `${groups} group(s) (${synthesized.length} synthesized)${options.out ? ` → ${options.out}` : ''}\n`,
    );
  }
  return EXIT.ok;
}
