import type { Access, AccessDiff, AppDiff, RegionChange } from './types.js';

/** The words every renderer uses for levels, kinds and verdicts, so the formats say the same thing. */

export const ACCESS_WORD: Readonly<Record<Access, string>> = {
  allow: 'allow',
  bypass: 'bypass',
  service_auth: 'service_auth',
  denied: 'denied',
};

/** "gain access (denied → allow)". */
export function changeTitle(c: RegionChange): string {
  const verb =
    c.kind === 'gain'
      ? c.to === 'bypass'
        ? 'gain access without logging in'
        : 'gain access'
      : c.kind === 'loss'
        ? 'lose access'
        : 'get in another way';
  return `${verb} (${ACCESS_WORD[c.from]} → ${ACCESS_WORD[c.to]})`;
}

/** One line on an app with nothing to list, or the heading note of one that has. */
export function verdict(app: AppDiff): string | undefined {
  switch (app.status) {
    case 'same':
      return 'policies changed, but every request is decided as before (proved)';
    case 'removed':
      return 'the app is removed: requests to its domain no longer pass through Access';
    case 'added':
      return 'new app';
    case 'undecided':
      return `could not be decided (${app.reason ?? 'budget'}): this is not a proof that nothing changes`;
    case 'changed':
      return undefined;
  }
}

/** How an app is named in output: `Wiki`, or `Wiki` (in `policies/wiki`) when the diff spans several projects. */
export function appLabel(app: AppDiff, quote: (s: string) => string): string {
  return app.project !== undefined ? `${quote(app.app)} (in ${app.project})` : quote(app.app);
}

/** The closing line. */
export function summaryText(diff: AccessDiff): string {
  const s = diff.summary;
  const changed = diff.apps.filter((a) => a.status !== 'same');
  if (changed.length === 0)
    return s.analysed === 0
      ? `No access changes: every app is written alike in ${diff.before} and ${diff.after}.`
      : `No access changes: ${diff.after} decides exactly as ${diff.before} for every request (proved for ${s.analysed} app(s) whose policies changed).`;
  const count = (kind: RegionChange['kind']) =>
    diff.apps.filter((a) => a.status !== 'added' && a.changes.some((c) => c.kind === kind)).length;
  const parts = [
    `${count('gain')} app(s) let more requests in`,
    `${count('loss')} let fewer in`,
    `${count('move')} let some in another way`,
  ];
  const added = diff.apps.filter((a) => a.status === 'added').length;
  const removed = diff.apps.filter((a) => a.status === 'removed').length;
  if (added > 0) parts.push(`${added} added`);
  if (removed > 0) parts.push(`${removed} removed`);
  if (s.undecided > 0) parts.push(`${s.undecided} undecided`);
  return `Access changes: ${parts.join(', ')}.`;
}
