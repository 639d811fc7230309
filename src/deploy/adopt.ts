import type { Ledger } from './ledger.js';
import type { LiveState, ManagedKind } from './live.js';

/**
 * Settle the creates a previous apply left pending: an object of that kind and name that now exists was created by
 * that apply (its answer was lost), so it is recorded as aclc's; a pending create that never happened is dropped.
 * Returns whether the ledger changed.
 */
export function adoptPending(ledger: Ledger, accountId: string, live: LiveState): boolean {
  const pending = ledger.pending(accountId);
  if (pending.length === 0) return false;
  const owned = ledger.ownedIds(accountId);
  const all: Record<ManagedKind, { id: string; name: string; created_at?: string }[]> = {
    group: live.groups,
    policy: live.policies,
    app: live.apps,
  };
  const account = ledger.account(accountId);
  for (const p of pending) {
    const found = all[p.kind].filter((o) => o.name === p.name && !owned.has(o.id));
    for (const o of found) ledger.recordCreated(accountId, p.kind, o.id, o.name, o.created_at ?? '');
  }
  account.pending = [];
  return true;
}
