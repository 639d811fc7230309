import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { sortDiagnostics } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Redactor } from '../redact/redactor.js';
import { renderHuman, styleFor } from './render/human.js';
import { renderJson } from './render/json.js';
import { drained, write } from './stdout.js';

/** Where a command writes: stdout for results, stderr for diagnostics and progress. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** The terminal's width when stdout is one (plans wrap to it; 80 otherwise). */
  columns?: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The whole of standard input, as text (`--stdin-filename`); absent where there is none to read. */
  readStdin?: () => Promise<string>;
  /**
   * Resolves once what was written to stdout has gone out (or stdout failed): a long report written in pieces waits
   * here between them, so a slow reader of a pipe never makes it pile up in memory. Absent: nothing to wait for.
   */
  drained?: () => Promise<void>;
  /** The `Io` this one wraps (set by `redactingIo`), so a command can still tell it runs on the real terminal. */
  base?: Io;
}

/** `io` with every write to stdout and stderr passed through `redactor` first. */
export function redactingIo<T extends Io>(io: T, redactor: Redactor): T {
  return {
    ...io,
    out: (text: string) => io.out(redactor.redact(text)),
    err: (text: string) => io.err(redactor.redact(text)),
    base: io.base ?? io,
  };
}

/** Read standard input to its end as UTF-8 (a byte-order mark dropped). */
async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

export const processIo: Io = {
  out: (text) => write('stdout', text),
  err: (text) => write('stderr', text),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  env: process.env,
  cwd: process.cwd(),
  readStdin: readProcessStdin,
  drained: () => drained('stdout'),
};

export type DiagnosticFormat = 'human' | 'json';

/** Print diagnostics to stderr in the chosen format. */
export function reportDiagnostics(
  io: Io,
  diagnostics: readonly Diagnostic[],
  files: readonly SourceFile[],
  format: DiagnosticFormat = 'human',
): void {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const sorted = sortDiagnostics(diagnostics);
  if (format === 'json') io.err(renderJson(sorted, byPath));
  else {
    const text = renderHuman(sorted, byPath, styleFor({ isTTY: io.stderrIsTTY }, io.env));
    if (text) io.err(text);
  }
}
