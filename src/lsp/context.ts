import type { Connection } from 'vscode-languageserver';
import type { SourceFile } from '../diagnostics/source.js';
import { SourceFile as Source } from '../diagnostics/source.js';
import type { AstFile } from '../parser/ast.js';
import type { DiagnosticsEngine } from './diagnostics.js';
import type { DocumentStore, OpenDocument } from './documents.js';
import { type NameSite, nameSites } from './names.js';
import { parseCached, type Snapshot, type Unit, type Workspace } from './workspace.js';

/** What every handler works with. Handlers are pure functions of this context and their parameters. */
export interface ServerContext {
  connection?: Connection;
  store: DocumentStore;
  workspace: Workspace;
  diagnostics: DiagnosticsEngine;
  /** Whether the client takes markdown in hovers and completion docs. */
  markdown: boolean;
  /** Whether the client's workspace edits can create files (for a new `.acltest` file). */
  createFiles?: boolean;
}

/** An open document with its text as a source file (named as diagnostics name it) and its syntax tree. */
export interface DocView {
  open: OpenDocument;
  source: SourceFile;
  ast: AstFile;
}

export function viewOf(ctx: ServerContext, uri: string): DocView | undefined {
  const open = ctx.store.get(uri);
  if (!open) return undefined;
  const source = new Source(ctx.diagnostics.displayPath(open), open.doc.getText());
  return { open, source, ast: parseCached(source).value };
}

/** The document's project read now (open buffers over the disk) and resolved, with every name site of it. */
export function projectOf(ctx: ServerContext, view: DocView): { snapshot: Snapshot; sites: NameSite[] } {
  const snapshot = ctx.diagnostics.snapshotOf(view.open);
  return { snapshot, sites: nameSites(snapshot.analyzed.asts) };
}

/** The document's project parsed only (no resolving): enough for names, navigation and completion. */
export function parsedProjectOf(
  ctx: ServerContext,
  view: DocView,
): { unit: Unit; files: SourceFile[]; sites: NameSite[] } {
  const unit = ctx.diagnostics.unitOf(view.open);
  const files = unit.paths.map((abs) => {
    if (abs === view.open.path) return view.source;
    const open = ctx.store.byPath(abs);
    const disk = unit.disk.get(abs) as SourceFile;
    return open && open.doc.getText() !== disk.text ? new Source(disk.path, open.doc.getText()) : disk;
  });
  return { unit, files, sites: nameSites(files.map((f) => parseCached(f).value)) };
}
