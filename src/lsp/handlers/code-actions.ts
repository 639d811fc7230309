import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
} from 'vscode-languageserver';
import { lineStartBefore } from '../../diagnostics/lines.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { DIRECTIVE } from '../../lint/directive.js';
import { applyFixes } from '../../lint/fix.js';
import { type ServerContext, viewOf } from '../context.js';
import type { DiagnosticData } from '../convert.js';
import { witnessTestAction } from './witness-test.js';

/**
 * Code actions for the diagnostics the editor sends back: each finding's own fix (when it was computed on the
 * document's current version) and, for lint rules, a suppression comment on the line above, left without a reason
 * so that the linter asks for one until it is written; for findings with a witness, the witness as an example test.
 */
export function codeActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const view = viewOf(ctx, params.textDocument.uri);
  if (!view) return [];
  const version = view.open.doc.version;
  const out: CodeAction[] = [];
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  if (
    only?.some(
      (k) =>
        k === CodeActionKind.SourceFixAll ||
        CodeActionKind.SourceFixAll.startsWith(`${k}.`) ||
        k === CodeActionKind.Source,
    )
  ) {
    const all = fixAll(
      ctx,
      view.source,
      params.textDocument.uri,
      view.open.doc.positionAt(view.source.text.length),
    );
    if (all) out.push(all);
  }
  for (const d of params.context.diagnostics) {
    if (d.source !== 'aclc') continue;
    const data = d.data as DiagnosticData | undefined;
    if (!data || data.version !== version) continue;
    if (data.fix && wants(CodeActionKind.QuickFix)) {
      const changes: Record<string, TextEdit[]> = {};
      for (const { uri, edit } of data.fix.edits) {
        const list = changes[uri] ?? [];
        list.push(edit);
        changes[uri] = list;
      }
      out.push({
        title: data.fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes },
      });
    }
    if (data.suppressible && wants(CodeActionKind.QuickFix))
      out.push(
        suppression(
          view.source.text,
          params.textDocument.uri,
          d,
          data.suppressible,
          view.open.doc.offsetAt(d.range.start),
        ),
      );
    if (data.witnessKey && wants(CodeActionKind.QuickFix)) {
      const action = witnessTestAction(ctx, view, d, data.witnessKey);
      if (action) out.push(action);
    }
  }
  return out;
}

/** `source.fixAll`: every fix of the document's current findings at once, as `aclc lint --fix` applies them. */
function fixAll(
  ctx: ServerContext,
  source: SourceFile,
  uri: string,
  end: { line: number; character: number },
): CodeAction | undefined {
  const fixes = ctx.diagnostics.fixesOf(uri).filter((f) => f.edits.every((e) => e.span.file === source.path));
  if (fixes.length === 0) return undefined;
  const result = applyFixes(source.text, source.path, fixes);
  if (result.applied === 0 || result.text === source.text) return undefined;
  return {
    title: `Fix all aclc findings that have a safe fix (${result.applied})`,
    kind: CodeActionKind.SourceFixAll,
    edit: {
      changes: { [uri]: [{ range: { start: { line: 0, character: 0 }, end }, newText: result.text }] },
    },
  };
}

function suppression(text: string, uri: string, d: LspDiagnostic, rule: string, offset: number): CodeAction {
  const lineStart = lineStartBefore(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const line = d.range.start.line;
  return {
    title: `Suppress \`${rule}\` on this line (then give the reason: \`-- why\`)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    edit: {
      changes: {
        [uri]: [
          {
            range: { start: { line, character: 0 }, end: { line, character: 0 } },
            newText: `${indent}# ${DIRECTIVE} ${rule}\n`,
          },
        ],
      },
    },
  };
}
