import type { GatewayList } from '../api/types.js';
import { LIST_MARKER } from '../deploy/lists.js';
import type { LiveState } from '../deploy/live.js';
import { quote } from './text.js';

/**
 * The account's lists that aclc manages (description `managed by aclc`, items read), written back as
 * `list "…" = ip(…)` / `email(…)` declarations. Lists made outside aclc stay account references
 * (`ip_list("…")`, opaque), as the plan would otherwise refuse to take them over (ACL0763). A list whose name
 * another list shares is left out too: rules name it by id.
 */
export function managedLists(live: LiveState): GatewayList[] {
  const all = live.lists ?? [];
  return all.filter(
    (l) =>
      l.description === LIST_MARKER &&
      Array.isArray(l.items) &&
      (l.type === 'IP' || l.type === 'EMAIL') &&
      all.filter((x) => x.name === l.name).length === 1,
  );
}

/** One declaration per managed list, by name. */
export function listLines(live: LiveState): string[] {
  return managedLists(live)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((l) => {
      const sel = l.type === 'IP' ? 'ip' : 'email';
      return `list ${quote(l.name)} = ${sel}(${(l.items ?? []).map((i) => quote(i.value)).join(', ')})`;
    });
}
