import type { Location, ReferenceParams } from 'vscode-languageserver';
import type { ServerContext } from '../context.js';
import { sitesUnder } from './definition.js';

/** Find references: every use of the name under the cursor across its project (and its declaration if asked). */
export function references(ctx: ServerContext, params: ReferenceParams): Location[] | null {
  const found = sitesUnder(ctx, params.textDocument.uri, params.position);
  if (!found) return null;
  return found.all
    .filter((s) => s.kind === found.site.kind && s.key === found.site.key)
    .filter((s) => params.context.includeDeclaration || !s.decl)
    .flatMap((s) => found.locate(s));
}
