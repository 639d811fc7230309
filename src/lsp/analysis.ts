import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import type { LintConfig } from '../lint/config.js';
import { lintProject } from '../lint/run.js';
import { analyzeSources } from '../pipeline.js';
import { parseCached } from './workspace.js';

/** One full analysis: a project's texts (open buffers over the disk) and the files to report on. */
export interface AnalysisRequest {
  files: { path: string; text: string }[];
  /** Display paths to report findings for (the open documents). */
  targets: string[];
  config: LintConfig;
  configFile?: { path: string; text: string };
  /** Problems finding the project (configuration, unreadable files), reported with the findings. */
  setup: Diagnostic[];
}

/** Runs full analyses; the language server keeps it off the thread that answers the editor. */
export interface Analyzer {
  /** Where analyses run now. */
  readonly thread: 'worker' | 'main';
  run(request: AnalysisRequest): Promise<Diagnostic[]>;
  dispose(): void;
}

/** Everything `aclc lint` reports for the targets of a request. Pure: texts in, diagnostics out. */
export function analyze(request: AnalysisRequest): Diagnostic[] {
  const files = request.files.map((f) => new SourceFile(f.path, f.text));
  const analyzed = analyzeSources(files, parseCached);
  const targets = new Set(request.targets);
  const configFile = request.configFile
    ? new SourceFile(request.configFile.path, request.configFile.text)
    : undefined;
  const input = {
    files: analyzed.files,
    asts: analyzed.asts,
    project: analyzed.project,
    diagnostics: analyzed.diagnostics,
    only: targets,
    ...(configFile ? { configFile } : {}),
  };
  const setup = request.setup.filter((d) => targets.has(d.span.file) || d.span.file === configFile?.path);
  return [...setup, ...lintProject(input, request.config).diagnostics];
}

/** Analyses on the calling thread (tests from source, or when no worker can be started). */
export function inlineAnalyzer(): Analyzer {
  return { thread: 'main', run: async (request) => analyze(request), dispose: () => {} };
}

const WORKER_FLAG = 'aclcLspAnalysis';

/**
 * Analyses in a worker thread running this very module (the bundle's chunk that holds it), so that a long semantic
 * analysis never delays the syntax diagnostics or a hover. Falls back to the calling thread if the worker fails.
 */
export function workerAnalyzer(moduleUrl: URL, onError: (error: unknown) => void): Analyzer {
  let worker: Worker | undefined = new Worker(moduleUrl, { workerData: { [WORKER_FLAG]: true } });
  worker.unref();
  let next = 0;
  type Pending = { resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void; request: AnalysisRequest };
  const pending = new Map<number, Pending>();
  const fallBack = (error: unknown) => {
    onError(error);
    worker = undefined;
    for (const p of pending.values()) {
      try {
        p.resolve(analyze(p.request));
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
    pending.clear();
  };
  worker.on('message', (m: { id: number; diagnostics?: Diagnostic[]; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.diagnostics) p?.resolve(m.diagnostics);
    else p?.reject(new Error(m.error ?? 'analysis failed'));
  });
  worker.on('error', fallBack);
  worker.on('exit', (code) => {
    if (worker && code !== 0) fallBack(new Error(`analysis worker exited with code ${code}`));
  });
  return {
    get thread() {
      return worker ? ('worker' as const) : ('main' as const);
    },
    run: (request) =>
      new Promise((resolve, reject) => {
        if (!worker) {
          resolve(analyze(request));
          return;
        }
        const id = next++;
        pending.set(id, { resolve, reject, request });
        worker.postMessage({ id, request });
      }),
    dispose: () => {
      const w = worker;
      worker = undefined;
      void w?.terminate();
    },
  };
}

/** Whether this module can be started as a worker (it runs bundled as JavaScript, not from TypeScript source). */
export function canRunInWorker(moduleUrl: string): boolean {
  return moduleUrl.startsWith('file:') && moduleUrl.endsWith('.js');
}

export const ANALYSIS_MODULE_URL: string = import.meta.url;

// INVARIANT: in a worker started by `workerAnalyzer`, loading this module starts the loop below; anywhere else it
// does nothing.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) {
  const port = parentPort;
  port.on('message', (m: { id: number; request: AnalysisRequest }) => {
    try {
      port.postMessage({ id: m.id, diagnostics: analyze(m.request) });
    } catch (error) {
      // Always answer, so the server never waits forever.
      port.postMessage({
        id: m.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  });
}
