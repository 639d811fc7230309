import {
  type DocumentSymbol,
  type DocumentSymbolParams,
  SymbolKind,
  type WorkspaceSymbol,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver';
import type { SourceFile } from '../../diagnostics/source.js';
import type { AstFile, Decl } from '../../parser/ast.js';
import { type ServerContext, viewOf } from '../context.js';
import { fileUri, rangeOf } from '../convert.js';
import { parseCached } from '../workspace.js';

/** Outline of one document: IdPs, groups, policies, apps with their inline policies. */
export function documentSymbols(ctx: ServerContext, params: DocumentSymbolParams): DocumentSymbol[] {
  const view = viewOf(ctx, params.textDocument.uri);
  if (!view) return [];
  return view.ast.decls.flatMap((d) => symbolOf(view.source, d));
}

function symbolOf(file: SourceFile, d: Decl): DocumentSymbol[] {
  const sym = (
    name: string,
    detail: string,
    kind: SymbolKind,
    span: Decl['span'],
    nameSpan: Decl['span'],
  ) => ({
    name: name === '' ? '(unnamed)' : name,
    detail,
    kind,
    range: rangeOf(file, span),
    selectionRange: rangeOf(file, nameSpan),
  });
  switch (d.kind) {
    case 'Idp':
      return [
        sym(d.name.name, d.type ? `idp: ${d.type.name}` : 'idp', SymbolKind.Variable, d.span, d.name.span),
      ];
    case 'Group':
      return [sym(d.name.value, 'group', SymbolKind.Class, d.span, d.name.span)];
    case 'ExternGroup':
      return [sym(d.name.value, 'extern group', SymbolKind.Interface, d.span, d.name.span)];
    case 'List':
      return [sym(d.name.value, 'list', SymbolKind.Array, d.span, d.name.span)];
    case 'Policy':
      return [sym(d.name.value, `policy · ${d.decision.keyword}`, SymbolKind.Function, d.span, d.name.span)];
    case 'App': {
      const app: DocumentSymbol = sym(d.name.value, 'app', SymbolKind.Module, d.span, d.name.span);
      app.children = d.items.flatMap((item) => {
        if (item.kind === 'InlinePolicy')
          return [
            sym(item.name.value, item.decision.keyword, SymbolKind.Function, item.span, item.name.span),
          ];
        if (item.kind === 'Use')
          return [sym(item.name.value, 'use', SymbolKind.Field, item.span, item.name.span)];
        return [];
      });
      return [app];
    }
  }
}

/** Every declaration whose name contains the query (case-insensitive), in the workspace's `.acl` files. */
export function workspaceSymbols(ctx: ServerContext, params: WorkspaceSymbolParams): WorkspaceSymbol[] {
  const query = params.query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  for (const { path, file } of ctx.workspace.allFiles(ctx.store.overlay())) {
    const ast: AstFile = parseCached(file).value;
    for (const d of ast.decls) {
      for (const s of flatten(symbolOf(file, d))) {
        if (!s.name.toLowerCase().includes(query)) continue;
        out.push({ name: s.name, kind: s.kind, location: { uri: fileUri(path), range: s.selectionRange } });
      }
    }
  }
  return out.slice(0, 1000);
}

function flatten(symbols: DocumentSymbol[]): DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}
