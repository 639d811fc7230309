import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/**
 * Where the aclc to run is: the `aclc.path` setting, else the workspace's own `node_modules/aclc`, else `aclc` on
 * the PATH. A `.js` path runs with VS Code's Node; anything else is run as an executable.
 */
export function serverOptions(configured: string, folders: readonly string[]): ServerOptions {
  const args = ['lsp'];
  const candidates: string[] = [];
  if (configured) {
    if (isAbsolute(configured)) candidates.push(configured);
    else for (const f of folders) candidates.push(join(f, configured));
  }
  for (const f of folders) candidates.push(join(f, 'node_modules', 'aclc', 'dist', 'aclc.js'));
  const found = candidates.find((c) => existsSync(c));
  if (found?.endsWith('.js')) return { module: found, args, transport: TransportKind.stdio };
  if (found) return { command: found, args, transport: TransportKind.stdio };
  return { command: configured || 'aclc', args, transport: TransportKind.stdio };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('aclc');
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'acl' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.acl,aclc.config.json}') },
    initializationOptions: { semanticDelayMs: config.get<number>('semanticDelayMs', 150) },
  };
  client = new LanguageClient('aclc', 'aclc', serverOptions(config.get<string>('path', ''), folders), clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('aclc.restartServer', async () => {
      await client?.stop();
      client = undefined;
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('aclc.path') && !e.affectsConfiguration('aclc.semanticDelayMs')) return;
      await client?.stop();
      client = undefined;
      await start(context);
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
