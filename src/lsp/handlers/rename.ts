import {
  type PrepareRenameParams,
  type Range,
  type RenameParams,
  ResponseError,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { KEYWORD_TOKENS } from '../../lexer/tokens.js';
import type { ServerContext } from '../context.js';
import { writeName } from '../names.js';
import { sitesUnder } from './definition.js';

const KEYWORDS = new Set(KEYWORD_TOKENS.map((t) => String(t.PATTERN).replace(/^\/|\/$/g, '')));
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** LSP error code for a request the server refuses (`RequestFailed`). */
const REQUEST_FAILED = -32803;

/** Prepare rename: the name under the cursor (without quotes) when it is a project name. */
export function prepareRename(
  ctx: ServerContext,
  params: PrepareRenameParams,
): { range: Range; placeholder: string } | null {
  const found = sitesUnder(ctx, params.textDocument.uri, params.position);
  if (!found) return null;
  const [location] = found.locate(found.site);
  if (!location) return null;
  const range = found.site.quoted
    ? {
        start: { ...location.range.start, character: location.range.start.character + 1 },
        end: {
          ...location.range.end,
          character: Math.max(location.range.start.character + 1, location.range.end.character - 1),
        },
      }
    : location.range;
  return { range, placeholder: found.site.name };
}

/** Rename an IdP, group, list, policy or app everywhere in its project: the declaration and every use. */
export function rename(ctx: ServerContext, params: RenameParams): WorkspaceEdit | null {
  const found = sitesUnder(ctx, params.textDocument.uri, params.position);
  if (!found) return null;
  const { site } = found;
  const name = params.newName;
  if (!site.quoted && (!BARE_NAME.test(name) || KEYWORDS.has(name)))
    throw new ResponseError(
      REQUEST_FAILED,
      `\`${name}\` is not a valid IdP name: use letters, digits, \`_\` and \`-\`, not a keyword`,
    );
  if (site.quoted && (name === '' || /[\u0000-\u001f\u007f]/.test(name)))
    throw new ResponseError(REQUEST_FAILED, 'a name must be non-empty and on one line');
  const inlineApp = site.kind === 'inline' ? site.key.split('\u0000')[0] : undefined;
  const newKey = inlineApp === undefined ? name : `${inlineApp}\u0000${name}`;
  if (newKey !== site.key && found.all.some((s) => s.decl && s.kind === site.kind && s.key === newKey))
    throw new ResponseError(
      REQUEST_FAILED,
      `a ${site.kind === 'inline' ? 'policy' : site.kind} named \`${name}\` exists already`,
    );
  const changes: Record<string, TextEdit[]> = {};
  for (const s of found.all) {
    if (s.kind !== site.kind || s.key !== site.key) continue;
    for (const location of found.locate(s)) {
      const list = changes[location.uri] ?? [];
      list.push({ range: location.range, newText: writeName(s, name) });
      changes[location.uri] = list;
    }
  }
  return { changes };
}
