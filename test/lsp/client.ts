import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'aclc.js');

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string;
  message: string;
  data?: unknown;
  relatedInformation?: { location: { uri: string }; message: string }[];
  codeDescription?: { href: string };
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export const uriOf = (path: string): string => pathToFileURL(path).href;

/** The LSP position `delta` characters into the first occurrence of `needle` in `text`. */
export const positionOf = (text: string, needle: string, delta = 1): { line: number; character: number } => {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] as string).length };
};

/**
 * A real LSP client over stdio: `aclc lsp` in a child process, JSON-RPC through vscode-jsonrpc. It records every
 * `publishDiagnostics` in arrival order.
 */
export class TestClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly published: Published[] = [];
  readonly logs: string[] = [];
  stderr = '';
  /** What the server announced in `initialize`. */
  capabilities: Record<string, unknown> = {};
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();

  constructor(cwd = ROOT) {
    if (!existsSync(CLI)) throw new Error('dist/aclc.js is missing: run `npm run build`');
    this.child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd, stdio: 'pipe' });
    this.child.stderr.on('data', (d) => {
      this.stderr += d;
    });
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  async initialize(
    rootPath: string,
    options: Record<string, unknown> = {},
  ): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(rootPath),
      workspaceFolders: [{ uri: uriOf(rootPath), name: 'root' }],
      capabilities: {
        workspace: {
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
        },
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { versionSupport: true },
        },
      },
      initializationOptions: options,
    });
    await this.connection.sendNotification('initialized', {});
    this.capabilities = (result as { capabilities: Record<string, unknown> }).capabilities;
    return result as { capabilities: Record<string, unknown> };
  }

  async open(path: string, text: string): Promise<string> {
    const uri = uriOf(path);
    this.versions.set(uri, 1);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'acl', version: 1, text },
    });
    return uri;
  }

  /** Send one change (a ranged edit, or the whole text) and return the new version. */
  async change(uri: string, change: { text: string; range?: LspDiagnostic['range'] }): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [change],
    });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** The latest publication for a URI. */
  latest(uri: string): Published | undefined {
    for (let i = this.published.length - 1; i >= 0; i--)
      if (this.published[i]?.uri === uri) return this.published[i];
    return undefined;
  }

  /** Wait until a publication for `uri` satisfies `test` (checked on every arrival), or fail after `ms`. */
  async waitFor(uri: string, test: (p: Published) => boolean, ms = 10_000): Promise<Published> {
    const deadline = Date.now() + ms;
    let from = 0;
    for (;;) {
      for (; from < this.published.length; from++) {
        const p = this.published[from] as Published;
        if (p.uri === uri && test(p)) return p;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
      setTimeout(() => {
        this.child.kill();
        resolve();
      }, 2000);
    });
    this.connection.dispose();
  }
}
