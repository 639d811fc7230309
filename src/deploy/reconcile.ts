import type { Ledger } from './ledger.js';
import type { LiveState, ManagedKind } from './live.js';

/**
 * How long a create that left no trace stays pending: its request may still reach the API after the process that
 * sent it died, and the object must then still be recognised by its marker.
 */
export const PENDING_GRACE_MS = 60 * 60 * 1000;

export interface Reconciled {
  /** Objects found by their marker and recorded as aclc's. */
  adopted: { kind: ManagedKind; id: string; name: string }[];
  /** Ledger entries whose object no longer exists. */
  forgotten: { kind: ManagedKind; id: string; name: string }[];
  /** Whether the ledger changed. */
  changed: boolean;
}

/**
 * Bring the ledger in line with the account, by identity only: a pending create is settled when an object carries
 * its marker name (recorded with that id), dropped once it is older than `PENDING_GRACE_MS` with no such object;
 * an entry whose id no longer exists in the account is forgotten. A live object that merely has the declared name
 * is never adopted: it may be a stranger's. Mutates `ledger`.
 */
export function reconcileLedger(
  ledger: Ledger,
  accountId: string,
  live: LiveState,
  now: Date = new Date(),
): Reconciled {
  const out: Reconciled = { adopted: [], forgotten: [], changed: false };
  const account = ledger.accounts.get(accountId);
  if (!account) return out;
  const byKind: Record<ManagedKind, { id: string; name: string; created_at?: string }[]> = {
    group: live.groups,
    policy: live.policies,
    app: live.apps,
  };
  for (const p of [...account.pending]) {
    const found = byKind[p.kind].find((o) => o.name === p.marker);
    if (found) {
      ledger.recordCreated(accountId, p.kind, found.id, p.name, found.created_at ?? p.noted, p.marker);
      out.adopted.push({ kind: p.kind, id: found.id, name: p.name });
      out.changed = true;
      continue;
    }
    const noted = Date.parse(p.noted);
    if (!Number.isFinite(noted) || now.getTime() - noted > PENDING_GRACE_MS) {
      account.pending = account.pending.filter((x) => x.marker !== p.marker);
      out.changed = true;
    }
  }
  const ids: Record<ManagedKind, Set<string>> = {
    group: new Set(live.groups.map((o) => o.id)),
    policy: new Set(live.policies.map((o) => o.id)),
    app: new Set(live.apps.map((o) => o.id)),
  };
  for (const o of [...account.objects]) {
    if (ids[o.kind].has(o.id)) continue;
    ledger.forget(accountId, o.id);
    out.forgotten.push({ kind: o.kind, id: o.id, name: o.name });
    out.changed = true;
  }
  return out;
}
