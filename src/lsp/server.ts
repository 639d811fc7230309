import {
  CodeActionKind,
  type Connection,
  createConnection,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type InitializeResult,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { ANALYSIS_MODULE_URL, canRunInWorker, inlineAnalyzer, workerAnalyzer } from './analysis.js';
import type { ServerContext } from './context.js';
import { DiagnosticsEngine } from './diagnostics.js';
import { DocumentStore, uriToPath } from './documents.js';
import { codeActions } from './handlers/code-actions.js';
import { completion } from './handlers/completion.js';
import { definition } from './handlers/definition.js';
import { foldingRanges } from './handlers/folding.js';
import { formatDocument, formatRange } from './handlers/formatting.js';
import { hover } from './handlers/hover.js';
import { references } from './handlers/references.js';
import { prepareRename, rename } from './handlers/rename.js';
import { SEMANTIC_LEGEND, semanticTokens } from './handlers/semantic-tokens.js';
import { documentSymbols, workspaceSymbols } from './handlers/symbols.js';
import { Workspace } from './workspace.js';

/**
 * Milliseconds without edits to a project before its full (semantic) analysis runs, within a burst of edits; an edit
 * after a longer pause is analysed at once (`DiagnosticsEngine.schedule`).
 */
export const DEFAULT_SEMANTIC_DELAY_MS = 150;

/** Options a client may pass as `initializationOptions`. */
interface InitOptions {
  /** Debounce of the full analysis, in milliseconds. */
  semanticDelayMs?: number;
  /** `false`: run full analyses on the main thread instead of a worker thread. */
  analysisThread?: boolean;
}

/**
 * The language server: one store of open documents, one diagnostics engine that runs analyses off the request
 * path, and one handler per LSP method (in `handlers/`). Requests never throw to the client: a handler that fails
 * logs the error and answers nothing.
 */
export function startServer(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  version: string,
): Connection {
  const connection = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(input),
    new StreamMessageWriter(output),
  );
  const store = new DocumentStore();
  const workspace = new Workspace([]);
  let ctx: ServerContext | undefined;
  let watchRegistration = false;

  const guard =
    <P, R>(name: string, fallback: R, handler: (ctx: ServerContext, params: P) => R) =>
    (params: P): R => {
      if (!ctx) return fallback;
      try {
        return handler(ctx, params);
      } catch (error) {
        if (error && typeof error === 'object' && 'code' in error && 'message' in error && name === 'rename')
          throw error;
        connection.console.error(
          `aclc: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return fallback;
      }
    };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const roots = (params.workspaceFolders ?? []).flatMap((f) => uriToPath(f.uri) ?? []);
    if (roots.length === 0 && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) roots.push(root);
    }
    workspace.roots = roots;
    const options = (params.initializationOptions ?? {}) as InitOptions;
    const delay =
      typeof options.semanticDelayMs === 'number' && options.semanticDelayMs >= 0
        ? options.semanticDelayMs
        : DEFAULT_SEMANTIC_DELAY_MS;
    const formats = params.capabilities.textDocument?.hover?.contentFormat;
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const diagnostics = new DiagnosticsEngine(
      store,
      workspace,
      (uri, version, list) =>
        connection.sendDiagnostics(
          version === undefined ? { uri, diagnostics: list } : { uri, version, diagnostics: list },
        ),
      delay,
      options.analysisThread === false || !canRunInWorker(ANALYSIS_MODULE_URL)
        ? inlineAnalyzer()
        : workerAnalyzer(new URL(ANALYSIS_MODULE_URL), (error) =>
            connection.console.error(
              `aclc: analysis worker failed, analysing on the main thread: ${String(error)}`,
            ),
          ),
      (error) =>
        connection.console.error(
          `aclc: analysis failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    );
    const edits = params.capabilities.workspace?.workspaceEdit;
    ctx = {
      connection,
      store,
      workspace,
      diagnostics,
      markdown: !formats || formats.includes('markdown'),
      createFiles: edits?.documentChanges === true && (edits.resourceOperations ?? []).includes('create'),
    };
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
          save: { includeText: false },
        },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', '(', ' ', ',', ':'] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
      },
      serverInfo: { name: 'aclc', version },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration)
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.acl' }, { globPattern: '**/aclc.config.json' }],
      });
  });

  connection.onDidOpenTextDocument((params) => {
    const { uri, languageId, version, text } = params.textDocument;
    const open = store.open(uri, languageId, version, text);
    if (open && ctx) {
      ctx.workspace.invalidate();
      ctx.diagnostics.opened(open);
    }
  });
  connection.onDidChangeTextDocument((params) => {
    const changed = store.change(params.textDocument.uri, params.textDocument.version, params.contentChanges);
    if (changed && ctx) ctx.diagnostics.changed(changed.doc, changed.applied);
  });
  connection.onDidCloseTextDocument((params) => {
    const closed = store.close(params.textDocument.uri);
    if (closed && ctx) ctx.diagnostics.closed(closed);
  });
  connection.onDidSaveTextDocument(() => ctx?.diagnostics.refresh());
  connection.onDidChangeWatchedFiles(() => ctx?.diagnostics.refresh());
  connection.onShutdown(() => ctx?.diagnostics.dispose());

  connection.onHover(guard('hover', null, hover));
  connection.onCompletion(guard('completion', [], completion));
  connection.onDefinition(guard('definition', null, definition));
  connection.onReferences(guard('references', null, references));
  connection.onPrepareRename(guard('prepareRename', null, prepareRename));
  connection.onRenameRequest(guard('rename', null, rename));
  connection.onDocumentSymbol(guard('documentSymbol', [], documentSymbols));
  connection.onWorkspaceSymbol(guard('workspaceSymbol', [], workspaceSymbols));
  connection.onFoldingRanges(guard('foldingRange', [], foldingRanges));
  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] }, semanticTokens));
  connection.onDocumentFormatting(guard('formatting', [], formatDocument));
  connection.onDocumentRangeFormatting(guard('rangeFormatting', [], formatRange));
  connection.onCodeAction(guard('codeAction', [], codeActions));

  // For benchmarks: the server's memory after a full collection (when Node runs with --expose-gc).
  connection.onRequest('aclc/memory', () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    return {
      heapUsed: m.heapUsed,
      rss: m.rss,
      runs: ctx?.diagnostics.runs ?? 0,
      thread: ctx?.diagnostics.analyzer.thread,
    };
  });

  connection.listen();
  return connection;
}
