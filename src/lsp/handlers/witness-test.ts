import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { type CodeAction, CodeActionKind, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { emitLintTests } from '../../testing/emit-lint.js';
import { type DocView, projectOf, type ServerContext } from '../context.js';
import { fileUri, witnessKeyOf } from '../convert.js';

/**
 * "Add this witness as a test": the finding's witness identity as an example test that pins what Access decides for
 * it today (the text `aclc lint --emit-tests` writes), appended to the `.acltest` file named after the document
 * (`admin.acl` → `admin.acltest`, where `aclc test` finds it), created when the client can create files.
 */
export function witnessTestAction(
  ctx: ServerContext,
  view: DocView,
  d: LspDiagnostic,
  witnessKey: string,
): CodeAction | undefined {
  const finding = ctx.diagnostics.findingsOf(view.open.uri).find((f) => witnessKeyOf(f) === witnessKey);
  if (!finding?.witness) return undefined;
  const { snapshot } = projectOf(ctx, view);
  const block = emitLintTests(snapshot.files, [finding]);
  if (block === '') return undefined;

  const path = join(dirname(view.open.path), `${basename(view.open.path, extname(view.open.path))}.acltest`);
  const uri = fileUri(path);
  const open = ctx.store.byPath(path);
  const current = open ? open.doc.getText() : existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const title = `Add this witness as a test in ${basename(path)}`;
  if (current === undefined) {
    if (!ctx.createFiles) return undefined;
    return {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: {
        documentChanges: [
          { kind: 'create', uri, options: { ignoreIfExists: true } },
          {
            textDocument: { uri, version: null },
            edits: [
              { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: block },
            ],
          },
        ],
      },
    };
  }
  if (current.includes(block)) return undefined;
  const lines = current.split(/\r\n|\r|\n/);
  const end = { line: lines.length - 1, character: (lines[lines.length - 1] as string).length };
  const separator = current === '' ? '' : /(\r\n|\r|\n)$/.test(current) ? '\n' : '\n\n';
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: { changes: { [uri]: [{ range: { start: end, end }, newText: `${separator}${block}` }] } },
  };
}
