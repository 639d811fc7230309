import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { parseAsArgument, parseIdentityJson } from '../../explain/identity-arg.js';
import { identityText, renderTrace } from '../../explain/render.js';
import { traceApp } from '../../explain/trace.js';
import { closestOr } from '../../resolve/values.js';
import { buildIdentity, type WrittenAttribute } from '../../testing/identity.js';
import { prepareSuite } from '../../testing/suite.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { readFailure } from '../load.js';
import { loadProject } from '../projects.js';
import { styleFor } from '../render/human.js';

export interface ExplainOptions {
  app?: string;
  as?: string;
  identity?: string;
  format: 'human' | 'json';
}

const AT = { file: '<command line>', start: 0, end: 0 };

/**
 * `aclc explain [paths…] --as 'k=v,…' [--app NAME]`: what Access decides for the identity on the compiled
 * configuration, with the trace (every policy in Access's order, every rule, held or not, with its source).
 */
export async function runExplain(paths: string[], options: ExplainOptions, io: Io): Promise<number> {
  const usage = (reason: string): number => {
    reportDiagnostics(io, [diagnostic('ACL0961', AT, { reason })], []);
    return EXIT.usage;
  };
  if (options.as === undefined && options.identity === undefined)
    return usage('give the identity with `--as` or `--identity FILE`');
  let written: WrittenAttribute[] = [];
  if (options.as !== undefined) written = parseAsArgument(options.as);
  if (options.identity !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, options.identity), 'utf8');
    } catch (e) {
      return usage(`\`${options.identity}\`: ${readFailure(e)}`);
    }
    const parsed = parseIdentityJson(text);
    if (typeof parsed === 'string') return usage(`\`${options.identity}\`: ${parsed}`);
    written = [...written, ...parsed];
  }

  const loaded = loadProject(paths, io.cwd, 'explain');
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (hasErrors(diagnostics)) {
    reportDiagnostics(io, diagnostics, loaded.files);
    return EXIT.errors;
  }
  const { prepared, diagnostics: found } = prepareSuite(loaded.files, []);
  diagnostics.push(...found);
  if (!prepared) {
    reportDiagnostics(io, diagnostics, loaded.files);
    return EXIT.errors;
  }
  const identity = buildIdentity(written, prepared.project, diagnostics);
  let apps = prepared.model.apps;
  if (options.app !== undefined) {
    const app = prepared.model.byName.get(options.app);
    if (!app) {
      const names = apps.map((a) => a.name);
      diagnostics.push(
        diagnostic(
          'ACL0951',
          AT,
          { name: options.app },
          {
            help: closestOr(
              options.app,
              names,
              `the project’s apps are ${names.map((n) => `\`${n}\``).join(', ')}`,
            ),
          },
        ),
      );
    } else apps = [app];
  }
  reportDiagnostics(io, diagnostics, loaded.files);
  if (hasErrors(diagnostics)) return EXIT.usage;

  const files = new Map(loaded.files.map((f) => [f.path, f]));
  const traces = apps.map((app) => traceApp(prepared.model, app, identity, prepared.index));
  if (options.format === 'json') {
    const pos = (span?: { file: string; start: number }) => {
      if (!span) return undefined;
      const p = files.get(span.file)?.position(span.start);
      return p ? { file: span.file, line: p.line, column: p.column } : { file: span.file };
    };
    const doc = {
      identity,
      apps: traces.map((t) => ({
        ...t,
        policies: t.policies.map(({ span, terms, ...p }) => ({
          ...p,
          location: pos(span),
          terms: terms.map(({ span: s, ...term }) => ({ ...term, location: pos(s) })),
        })),
      })),
    };
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
    return EXIT.ok;
  }
  const style = styleFor({ isTTY: io.stdoutIsTTY }, io.env);
  const lines = [`identity: ${identityText(identity, prepared.project)}`];
  for (const t of traces)
    lines.push(
      ...renderTrace(t, files, { ok: style.accent, bad: style.error, dim: style.dim, bold: style.bold }),
    );
  io.out(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
