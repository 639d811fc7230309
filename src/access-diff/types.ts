import type { IncompleteReason } from '../analysis/engine.js';
import type { Atom } from '../model/formula.js';
import type { Identity } from '../model/identity.js';

/**
 * What a request to an app ends in, as far as getting in is concerned: let in after login (`allow`), let in
 * without Access looking (`bypass`), let in on a service token (`service_auth`), or kept out (`denied`: a Block
 * policy matched, or no policy did, which Access treats the same).
 */
export type Access = 'allow' | 'bypass' | 'service_auth' | 'denied';

export const ACCESS_LEVELS: readonly Access[] = ['allow', 'bypass', 'service_auth', 'denied'];

/** `gain`: kept out before, let in after; `loss`: the reverse; `move`: let in both times, another way. */
export type ChangeKind = 'gain' | 'loss' | 'move';

/**
 * One selector of a description, as the region needs it: the request matches one of `atoms` (`positive`), or none
 * of them. The atoms of one literal share a selector and differ in their last argument (`country` KP or IR).
 */
export interface Literal {
  atoms: Atom[];
  positive: boolean;
}

/** A set of requests that one conjunction of selectors describes exactly: every request matching them all. */
export interface Term {
  literals: Literal[];
  /** The selectors in words, e.g. "logs in with `One-time PIN`, from a country other than KP, IR". */
  text: string;
  /** A request of this term, decided as claimed by both evaluators (account objects by key, as rules name them). */
  witness: Identity;
  /** The witness in words, account objects by display name, e.g. "`bob@example.org` from FR". */
  who: string;
}

/** The requests of one app whose outcome goes from `from` to `to`. */
export interface RegionChange {
  kind: ChangeKind;
  from: Access;
  to: Access;
  /** The region as a union of terms, the most telling first. */
  terms: Term[];
  /** Whether `terms` cover the whole region (false: more requests than the terms describe change too). */
  complete: boolean;
}

/**
 * One app's verdict:
 * - `changed`: some requests change outcome (`changes` says which);
 * - `same`: its policies were edited but the engine proved every request decides as before;
 * - `added` / `removed`: the app exists on one side only (`changes` holds what the new app lets in, or what the
 *   removed app let in: with no app, Access no longer stands in front of its domain);
 * - `undecided`: the engine ran out of budget; nothing is claimed, never read as "no change".
 */
export interface AppDiff {
  app: string;
  /** The project folder the app belongs to, when a diff spans several projects. */
  project?: string;
  status: 'changed' | 'same' | 'added' | 'removed' | 'undecided';
  changes: RegionChange[];
  /** For `undecided`: why. */
  reason?: IncompleteReason | 'witness-mismatch';
}

export interface AccessDiffSummary {
  /** Apps on either side. */
  apps: number;
  /** Apps whose policies, groups and order are identical on both sides (nothing to analyse). */
  identical: number;
  /** Apps analysed by the engine. */
  analysed: number;
  gains: number;
  losses: number;
  moves: number;
  undecided: number;
}

/** The access diff between two configurations, per app (apps with nothing to say are left out). */
export interface AccessDiff {
  /** Labels of the two sides, e.g. `live` and `code`, or `HEAD` and `working tree`. */
  before: string;
  after: string;
  apps: AppDiff[];
  summary: AccessDiffSummary;
}

/**
 * The apps a diff may widen: some request kept out before is let in after, the app is removed (Access no longer
 * stands in front of its domain), or the engine could not decide (a gate fails closed). A new app is not a widening:
 * it puts Access in front of a domain. `apps` restricts the answer to those apps.
 */
export function widenings(diff: AccessDiff, apps?: ReadonlySet<string>): AppDiff[] {
  return diff.apps.filter(
    (a) =>
      (apps === undefined || apps.has(a.app)) &&
      (a.status === 'removed' ||
        a.status === 'undecided' ||
        (a.status === 'changed' && a.changes.some((c) => c.kind === 'gain'))),
  );
}

/** Several projects' diffs as one: apps tagged with their project (when there are several), summaries added up. */
export function mergeDiffs(
  parts: { project: string; diff: AccessDiff }[],
  before: string,
  after: string,
): AccessDiff {
  const tag = parts.length > 1;
  const summary: AccessDiffSummary = {
    apps: 0,
    identical: 0,
    analysed: 0,
    gains: 0,
    losses: 0,
    moves: 0,
    undecided: 0,
  };
  const apps: AppDiff[] = [];
  for (const { project, diff } of parts) {
    for (const k of Object.keys(summary) as (keyof AccessDiffSummary)[]) summary[k] += diff.summary[k];
    for (const app of diff.apps) apps.push(tag ? { ...app, project } : app);
  }
  return { before, after, apps, summary };
}
