import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Project } from '../model/project.js';
import { append, groupRefs } from './walk.js';

const HAS_ERRORS = 'has errors';
const which = (why: string | undefined) => (why?.startsWith(HAS_ERRORS) ? why : 'cannot be checked');

/** A declaration the semantic rules leave out, and why. */
export interface Skipped {
  /** What it is and its name as written, e.g. "app `Wiki`". */
  what: string;
  span: Span;
  /** e.g. "has errors", "uses group `G`, which has errors". */
  why: string;
}

/**
 * The part of a project the semantic rules can trust when the compiler found errors: every group, policy and app
 * that holds no error and uses (transitively) nothing that does or that is undefined. An invalid term was dropped
 * by the resolver, so analysing its condition would report what the author did not write (a cascade: `missing-include`
 * for `email_domain("bad domain") and not country("US")`); its declaration, and whatever uses it, is left out instead
 * and named in a note. Pure; linear in the size of the project.
 */
export function errorFreePart(
  project: Project,
  diagnostics: readonly Diagnostic[],
): { project: Project; skipped: Skipped[] } {
  // Per file, the start of every error span with the file the error is reported in, sorted by start.
  const errorStarts = new Map<string, { at: number; in: string }[]>();
  const mark = (span: Span, reportedIn: string) => {
    append(errorStarts, span.file, { at: span.start, in: reportedIn });
  };
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    // The other party of an error (the first definition of a duplicate name) is as suspect as its place.
    mark(d.span, d.span.file);
    for (const r of d.related ?? []) mark(r.span, d.span.file);
  }
  for (const list of errorStarts.values()) list.sort((a, b) => a.at - b.at);
  /** 'has errors' when an error lies in `span` (saying where it is reported when that is another file). */
  const errorsIn = (span: Span): string | undefined => {
    const list = errorStarts.get(span.file);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as { at: number }).at < span.start) lo = mid + 1;
      else hi = mid;
    }
    const first = list[lo];
    if (!first || first.at >= span.end) return undefined;
    return first.in === span.file ? HAS_ERRORS : `${HAS_ERRORS} reported in \`${first.in}\``;
  };

  // Groups: bad when they hold an error or use an undefined or bad group (propagated along reverse edges).
  const badGroup = new Map<string, string>();
  const usedBy = new Map<string, string[]>();
  const queue: string[] = [];
  for (const [name, g] of project.groups) {
    const errors = errorsIn(g.span);
    if (errors) {
      badGroup.set(name, errors);
      queue.push(name);
      continue;
    }
    if (!g.formula) continue;
    for (const ref of groupRefs(g.formula)) {
      if (!project.groups.has(ref) && !badGroup.has(name)) {
        badGroup.set(name, `uses group \`${ref}\`, which is not defined`);
        queue.push(name);
      }
      append(usedBy, ref, name);
    }
  }
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const user of usedBy.get(name) ?? []) {
      if (badGroup.has(user)) continue;
      badGroup.set(user, `uses group \`${name}\`, which ${which(badGroup.get(name))}`);
      queue.push(user);
    }
  }
  const groupProblem = (ref: string): string | undefined => {
    if (!project.groups.has(ref)) return `uses group \`${ref}\`, which is not defined`;
    const why = badGroup.get(ref);
    return why === undefined ? undefined : `uses group \`${ref}\`, which ${which(why)}`;
  };

  const skipped: Skipped[] = [];
  const clean: Project = { idps: project.idps, groups: new Map(), policies: new Map(), apps: [] };
  for (const [name, g] of project.groups) {
    const why = badGroup.get(name);
    if (why === undefined) clean.groups.set(name, g);
    else skipped.push({ what: `group \`${name}\``, span: g.nameSpan, why });
  }
  const badPolicy = new Map<string, string>();
  for (const [name, p] of project.policies) {
    let why = errorsIn(p.span);
    for (const ref of why === undefined ? groupRefs(p.formula) : []) {
      why = groupProblem(ref);
      if (why) break;
    }
    if (why === undefined) clean.policies.set(name, p);
    else {
      badPolicy.set(name, why);
      skipped.push({ what: `policy \`${p.displayName}\``, span: p.nameSpan, why });
    }
  }
  for (const app of project.apps) {
    // An error in the app (an inline policy, a setting, a clashing precedence) changes what its order means.
    let why = errorsIn(app.span);
    for (const entry of why === undefined ? app.policies : []) {
      const p = project.policies.get(entry.policy);
      if (!p) why = 'uses a policy that is not defined';
      else if (badPolicy.has(entry.policy)) why = `uses policy \`${p.displayName}\`, which cannot be checked`;
      if (why) break;
    }
    if (why === undefined) clean.apps.push(app);
    else skipped.push({ what: `app \`${app.name}\``, span: app.nameSpan, why });
  }
  return { project: clean, skipped };
}
