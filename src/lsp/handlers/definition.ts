import type { DefinitionParams, Location } from 'vscode-languageserver';
import { parsedProjectOf, type ServerContext, viewOf } from '../context.js';
import { offsetOf, rangeOf } from '../convert.js';
import { lookupOf } from '../diagnostics.js';
import { type NameSite, siteAt } from '../names.js';

/** Go to definition: from a use (or the declaration itself) of an IdP, group, list, policy or app to its declaration. */
export function definition(ctx: ServerContext, params: DefinitionParams): Location[] | null {
  const found = sitesUnder(ctx, params.textDocument.uri, params.position);
  if (!found) return null;
  const decls = found.all.filter((s) => s.decl && s.kind === found.site.kind && s.key === found.site.key);
  return decls.flatMap((s) => found.locate(s));
}

/** The name site under a position and every site of its project, with a way to turn sites into locations. */
export function sitesUnder(
  ctx: ServerContext,
  uri: string,
  position: { line: number; character: number },
): { site: NameSite; all: NameSite[]; locate: (s: NameSite) => Location[] } | undefined {
  const view = viewOf(ctx, uri);
  if (!view) return undefined;
  const snapshot = parsedProjectOf(ctx, view);
  const { sites } = snapshot;
  const site = siteAt(sites, view.source.path, offsetOf(view.source, position));
  if (!site) return undefined;
  const lookup = lookupOf(snapshot);
  const locate = (s: NameSite): Location[] => {
    const where = lookup.file(s.span.file);
    return where ? [{ uri: where.uri, range: rangeOf(where.source, s.span) }] : [];
  };
  return { site, all: sites, locate };
}
