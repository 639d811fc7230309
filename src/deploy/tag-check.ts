import { diagnostic, didYouMean } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Project } from '../model/project.js';
import { isLockTag } from './account-lock.js';
import type { LiveState } from './live.js';

/**
 * Tags an app carries must exist as Access tags of the account (`/access/tags`): Cloudflare refuses an app that
 * names another (see `src/emulator/tags.ts` for the source). aclc does not create tags — they are shared by every
 * app of the account, including apps aclc does not manage, and deleting one would change those apps — so `plan`
 * checks them (ACL0879) and nothing is written while one is missing. Pure.
 */
export function checkTags(project: Project, live: LiveState, files: readonly SourceFile[]): Diagnostic[] {
  if (live.tags === undefined) return [];
  const known = new Set(live.tags.map((t) => t.name));
  const candidates = [...known].filter((t) => !isLockTag(t));
  const out: Diagnostic[] = [];
  for (const app of project.apps) {
    const tags = app.settings.tags;
    if (!Array.isArray(tags)) continue;
    for (const tag of tags) {
      if (typeof tag !== 'string' || known.has(tag)) continue;
      out.push(
        diagnostic('ACL0879', spanOfLiteral(tag, app.span, files) ?? app.nameSpan, {
          tag,
          app: app.name,
          suggestion: didYouMean(
            tag,
            candidates,
            `create it first (Zero Trust dashboard, or \`POST /accounts/{account_id}/access/tags\` with \`{"name": ${JSON.stringify(tag)}}\`), or remove it from \`tags\``,
          ),
        }),
      );
    }
  }
  return out;
}

/** The span of the string literal `"tag"` inside the app's declaration, when the source text is at hand. */
function spanOfLiteral(tag: string, within: Span, files: readonly SourceFile[]): Span | undefined {
  const text = files.find((f) => f.path === within.file)?.text;
  if (text === undefined) return undefined;
  const literal = JSON.stringify(tag);
  const at = text.slice(within.start, within.end).indexOf(literal);
  if (at === -1) return undefined;
  return { file: within.file, start: within.start + at, end: within.start + at + literal.length };
}
