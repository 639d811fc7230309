import type { GatewayList } from '../api/types.js';
import { LIST_MARKER, listIdsIn } from '../deploy/lists.js';
import type { LiveState } from '../deploy/live.js';
import { quote } from './text.js';

/** Every list id the account's groups, policies and apps (with their legacy policies) name in a rule. */
const namedIds = (live: LiveState): Set<string> =>
  listIdsIn([live.groups, live.policies, live.apps, live.legacyPolicies ?? {}]);

/**
 * The account's lists that the import declares in code (`list "…" = ip(…)` / `email(…)`), so that the analysis
 * knows their members: IP and email lists that an Access rule names, or that carry the description
 * `managed by aclc` of an earlier aclc. A list whose name another list shares is left out (rules name it by id);
 * lists of the other types, and those no Access rule names, stay in the account, untouched. Their items are read
 * (`readAccount`) or exported with them.
 */
export function listsToDeclare(live: LiveState, also: ReadonlySet<string> = new Set()): GatewayList[] {
  const all = live.lists ?? [];
  const named = namedIds(live);
  return all.filter(
    (l) =>
      (l.type === 'IP' || l.type === 'EMAIL') &&
      (named.has(l.id) || also.has(l.id) || l.description === LIST_MARKER) &&
      all.filter((x) => x.name === l.name).length === 1,
  );
}

/** The lists the import declares whose items are known (read from the account, or in the export). */
export function managedLists(live: LiveState, also?: ReadonlySet<string>): GatewayList[] {
  return listsToDeclare(live, also).filter((l) => Array.isArray(l.items));
}

/** One declaration per declared list, by name. */
export function listLines(live: LiveState, also?: ReadonlySet<string>): string[] {
  return managedLists(live, also)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((l) => {
      const sel = l.type === 'IP' ? 'ip' : 'email';
      return `list ${quote(l.name)} = ${sel}(${(l.items ?? []).map((i) => quote(i.value)).join(', ')})`;
    });
}
