import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { matchesWildcard } from '../lint/glob.js';
import { type AccessDiff, type AppDiff, widenings } from './types.js';

/** What the widening gate checks. */
export interface GateOptions {
  /** `--fail-on-widen`: any widening fails. */
  failOnWiden?: boolean;
  /** `sensitiveApps` of aclc.config.json (`*` wildcards): a widening of one of these fails. */
  sensitive?: readonly string[];
  /** `apply`: sensitive widenings are refused (ACL0895) unless `allowWiden`. */
  apply?: boolean;
  allowWiden?: boolean;
  /** Where an app is declared, for the diagnostic's location. */
  spanOf(app: string): Span;
}

/** How an app widens, in one clause: who gains (with an example), or why the app counts as widening. */
export function howItWidens(app: AppDiff): string {
  if (app.status === 'removed') return 'the app is removed, so Access no longer guards its domain';
  if (app.status === 'undecided')
    return `the engine could not decide whether it does (${app.reason ?? 'budget'}), so it counts as widening`;
  const gains = app.changes.filter((c) => c.kind === 'gain');
  const first = gains[0]?.terms[0];
  const terms = gains.reduce((n, c) => n + c.terms.length, 0);
  const who = first ? `anyone who ${first.text}` : 'some requests';
  return `${who} gains access${terms > 1 ? ` (and ${terms - 1} more kind(s) of request)` : ''}${first ? `, e.g. ${first.who}` : ''}`;
}

/**
 * The gate's findings on a diff: ACL0893 per widened app under `--fail-on-widen`, ACL0894 per widened sensitive app
 * (`plan`, `diff`), ACL0895 per widened sensitive app for `apply` unless `--allow-widen`. Errors: the command fails.
 */
export function gateFindings(diff: AccessDiff, options: GateOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const patterns = options.sensitive ?? [];
  for (const app of widenings(diff)) {
    const how = howItWidens(app);
    const span = options.spanOf(app.app);
    const pattern = patterns.find((p) => matchesWildcard(p, app.app));
    if (options.apply) {
      if (pattern !== undefined && !options.allowWiden)
        out.push(diagnostic('ACL0895', span, { app: app.app, how }));
      continue;
    }
    if (pattern !== undefined) out.push(diagnostic('ACL0894', span, { app: app.app, how, pattern }));
    else if (options.failOnWiden) out.push(diagnostic('ACL0893', span, { app: app.app, how }));
  }
  return out;
}
