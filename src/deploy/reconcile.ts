import type { Ledger, LedgerKind } from './ledger.js';
import type { LiveState, ZoneLive } from './live.js';

/**
 * How long a create that left no trace stays pending: its request may still reach the API after the process that
 * sent it died, and the object must then still be recognised by its marker.
 */
export const PENDING_GRACE_MS = 60 * 60 * 1000;

export interface Reconciled {
  /** Objects found by their marker and recorded as aclc's. */
  adopted: { kind: LedgerKind; id: string; name: string }[];
  /** Ledger entries whose object no longer exists. */
  forgotten: { kind: LedgerKind; id: string; name: string }[];
  /** Whether the ledger changed. */
  changed: boolean;
}

/**
 * Bring the ledger in line with the account, by identity only: a pending create is settled when an object carries
 * its marker name (recorded with that id), dropped once it is older than `PENDING_GRACE_MS` with no such object;
 * an entry whose id no longer exists in the account is forgotten. A live object that merely has the declared name
 * is never adopted: it may be a stranger's. Lists are settled only when the account's lists were read (`live.lists`):
 * an unread collection proves nothing either way. Mutates `ledger`.
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
  // Zone-level objects are looked for in their zone, and only in the zones read (those the code names): an entry of
  // a zone not read is neither settled nor forgotten. Lists are account-level.
  const zones = new Map((live.zones ?? []).map((z) => [z.id, z]));
  const objectsOf = (
    zone: string | undefined,
    kind: LedgerKind,
  ): { id: string; name: string; created_at?: string }[] | undefined => {
    if (zone === undefined) return byKind[kind];
    const scope: ZoneLive | undefined = zones.get(zone);
    if (!scope) return undefined;
    return kind === 'group' ? scope.groups : kind === 'app' ? scope.apps : [];
  };
  const byKind: Record<LedgerKind, { id: string; name: string; created_at?: string }[] | undefined> = {
    group: live.groups,
    policy: live.policies,
    app: live.apps,
    list: live.lists,
  };
  for (const p of [...account.pending]) {
    const objects = objectsOf(p.zone, p.kind);
    if (!objects) continue;
    const found = objects.find((o) => o.name === p.marker);
    if (found) {
      ledger.recordCreated(
        accountId,
        p.kind,
        found.id,
        p.name,
        found.created_at ?? p.noted,
        p.marker,
        p.zone,
      );
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
  // The ids of each scope's collection, built once: the ledger may hold as many objects as the account.
  const idSets = new Map<string, Set<string> | undefined>();
  const idsOf = (zone: string | undefined, kind: LedgerKind): Set<string> | undefined => {
    const key = `${zone ?? ''}\u0000${kind}`;
    if (!idSets.has(key)) {
      const objects = objectsOf(zone, kind);
      idSets.set(key, objects && new Set(objects.map((x) => x.id)));
    }
    return idSets.get(key);
  };
  for (const o of [...account.objects]) {
    const ids = idsOf(o.zone, o.kind);
    if (!ids || ids.has(o.id)) continue;
    ledger.forget(accountId, o.id);
    out.forgotten.push({ kind: o.kind, id: o.id, name: o.name });
    out.changed = true;
  }
  return out;
}
