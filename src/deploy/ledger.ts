import type { ManagedKind } from './live.js';

/**
 * What the ledger records: the three kinds plans create, update and delete, and the Zero Trust lists declared in
 * code (`lists.ts`), which follow the same rules of ownership.
 */
export type LedgerKind = ManagedKind | 'list';

/**
 * The state ledger: per account, the ids of the objects aclc created. It is how `--prune` knows what it may
 * delete. It holds ids, kinds and names only (no secrets, no bodies), and is written atomically after every
 * successful create or delete. Ownership is proved by identity only, never by name: before each create a `pending`
 * entry records the unique marker name the object is created under (`aclc~new~…`); the object is renamed to its
 * declared name once its id is in the ledger. If the process dies in between, the next run finds the object by its
 * marker (which no one else can have chosen) and records its id (`reconcile.ts`).
 */
export interface LedgerEntry {
  kind: LedgerKind;
  id: string;
  name: string;
  /** ISO time the object was created. */
  created: string;
  /** The id of the zone a zone-level object lives in; absent for account-level objects. */
  zone?: string;
}

export interface PendingEntry {
  kind: LedgerKind;
  /** The declared name. */
  name: string;
  /** The unique name the object is created under, which proves it is aclc's (`aclc~new~<run>~<n>`). */
  marker: string;
  /** ISO time the intent was recorded. */
  noted: string;
  /** The zone id, for a zone-level object. */
  zone?: string;
}

/** Prefix of the marker names objects are created under. */
export const MARKER_PREFIX = 'aclc~new~';

export interface AccountLedger {
  objects: LedgerEntry[];
  pending: PendingEntry[];
  /**
   * By id: `appliedHash` of each object as aclc last wrote it (created, updated or taken over), so a plan can show
   * changes made outside aclc. A hash, never a body.
   */
  applied?: Record<string, string>;
}

export interface LedgerDocument {
  format: 'aclc-state';
  version: 1;
  accounts: Record<string, AccountLedger>;
}

const KINDS = new Set(['group', 'policy', 'app', 'list']);

function isEntry(x: unknown): x is LedgerEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return KINDS.has(e.kind as string) && typeof e.id === 'string' && typeof e.name === 'string';
}

function isPending(x: unknown): x is PendingEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  // Entries without a marker (written by earlier versions) prove nothing and are dropped.
  return (
    KINDS.has(e.kind as string) &&
    typeof e.name === 'string' &&
    typeof e.marker === 'string' &&
    e.marker.startsWith(MARKER_PREFIX)
  );
}

function appliedOf(value: unknown): { applied?: Record<string, string> } {
  if (typeof value !== 'object' || value === null) return {};
  const out: Record<string, string> = {};
  for (const [id, hash] of Object.entries(value)) if (typeof hash === 'string') out[id] = hash;
  return Object.keys(out).length > 0 ? { applied: out } : {};
}

/** `{ zone }` of an entry that has a zone id, else nothing. */
function zoneOf(e: { zone?: unknown }): { zone?: string } {
  return typeof e.zone === 'string' && e.zone !== '' ? { zone: e.zone } : {};
}

/** Parse a ledger file's text; `error` says what is wrong with it. */
export function parseLedger(text: string): { ledger?: Ledger; error?: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not valid JSON' };
  }
  if (typeof json !== 'object' || json === null) return { error: 'not a JSON object' };
  const doc = json as Record<string, unknown>;
  if (doc.format !== 'aclc-state') return { error: '`format` is not `aclc-state`' };
  if (doc.version !== 1) return { error: `unsupported version \`${String(doc.version)}\`` };
  if (typeof doc.accounts !== 'object' || doc.accounts === null) return { error: '`accounts` is missing' };
  const ledger = new Ledger();
  for (const [account, value] of Object.entries(doc.accounts as Record<string, unknown>)) {
    const a = value as Partial<AccountLedger> | null;
    if (!a || !Array.isArray(a.objects)) return { error: `account \`${account}\` has no \`objects\` list` };
    const bad = a.objects.find((e) => !isEntry(e));
    if (bad !== undefined) return { error: `account \`${account}\` has an invalid entry` };
    ledger.accounts.set(account, {
      objects: a.objects.map((e) => ({
        kind: e.kind,
        id: e.id,
        name: e.name,
        created: String(e.created ?? ''),
        ...zoneOf(e),
      })),
      pending: (Array.isArray(a.pending) ? a.pending : []).filter(isPending).map((p) => ({
        kind: p.kind,
        name: p.name,
        marker: p.marker,
        noted: String(p.noted ?? ''),
        ...zoneOf(p),
      })),
      ...appliedOf(a.applied),
    });
  }
  return { ledger };
}

/** The in-memory ledger; mutated by the executor, serialised with `toJSON`. */
export class Ledger {
  readonly accounts = new Map<string, AccountLedger>();

  account(accountId: string): AccountLedger {
    let a = this.accounts.get(accountId);
    if (!a) {
      a = { objects: [], pending: [] };
      this.accounts.set(accountId, a);
    }
    return a;
  }

  /** Before a create: remember that aclc is about to create `kind` `name` under the name `marker`. */
  notePending(
    accountId: string,
    kind: LedgerKind,
    name: string,
    marker: string,
    noted: string,
    zone?: string,
  ): void {
    const a = this.account(accountId);
    if (!a.pending.some((p) => p.marker === marker))
      a.pending.push({ kind, name, marker, noted, ...(zone ? { zone } : {}) });
  }

  /** After a successful create (or when a pending one is found by its marker): the id is aclc's. */
  recordCreated(
    accountId: string,
    kind: LedgerKind,
    id: string,
    name: string,
    created: string,
    marker?: string,
    zone?: string,
  ): void {
    const a = this.account(accountId);
    if (marker !== undefined) a.pending = a.pending.filter((p) => p.marker !== marker);
    if (!a.objects.some((o) => o.id === id))
      a.objects.push({ kind, id, name, created, ...(zone ? { zone } : {}) });
    else a.objects = a.objects.map((o) => (o.id === id ? { ...o, name } : o));
  }

  /** After a successful delete. */
  forget(accountId: string, id: string): void {
    const a = this.accounts.get(accountId);
    if (a) a.objects = a.objects.filter((o) => o.id !== id);
    if (a?.applied) delete a.applied[id];
  }

  /** After a successful write: the object's `appliedHash` as aclc wrote it. */
  noteApplied(accountId: string, id: string, hash: string): void {
    const a = this.account(accountId);
    a.applied = { ...(a.applied ?? {}), [id]: hash };
  }

  /** The `appliedHash` of what aclc last wrote to this object, if it wrote it. */
  applied(accountId: string, id: string): string | undefined {
    return this.accounts.get(accountId)?.applied?.[id];
  }

  /** Ids aclc created in this account. */
  ownedIds(accountId: string): Set<string> {
    return new Set((this.accounts.get(accountId)?.objects ?? []).map((o) => o.id));
  }

  pending(accountId: string): PendingEntry[] {
    return [...(this.accounts.get(accountId)?.pending ?? [])];
  }

  toJSON(): LedgerDocument {
    const accounts: Record<string, AccountLedger> = {};
    for (const [id, a] of [...this.accounts].sort(([x], [y]) => (x < y ? -1 : 1))) {
      accounts[id] = {
        objects: [...a.objects].sort((x, y) => x.kind.localeCompare(y.kind) || x.name.localeCompare(y.name)),
        pending: a.pending,
        ...(a.applied && Object.keys(a.applied).length > 0
          ? { applied: Object.fromEntries(Object.entries(a.applied).sort(([x], [y]) => (x < y ? -1 : 1))) }
          : {}),
      };
    }
    return { format: 'aclc-state', version: 1, accounts };
  }

  serialize(): string {
    return `${JSON.stringify(this.toJSON(), null, 2)}\n`;
  }
}

/** What `plan` needs to know about ownership in one account. */
export interface Ownership {
  /** Whether a ledger file exists (without one, only synthesized groups are recognisably aclc's). */
  hasLedger: boolean;
  /** Ids aclc created. */
  ids: ReadonlySet<string>;
  /**
   * Objects aclc created that still carry their marker name (the rename after the create did not happen): id →
   * declared name. The planner matches them to their declaration, so the plan renames them.
   */
  aliases: ReadonlyMap<string, string>;
}

/** Ownership in one account, from a ledger already reconciled with the account (`reconcile.ts`). */
export function ownershipOf(
  ledger: Ledger | undefined,
  accountId: string,
  live?: {
    groups: { id: string; name: string }[];
    policies: { id: string; name: string }[];
    apps: { id: string; name: string }[];
    lists?: { id: string; name: string }[];
  },
): Ownership {
  if (!ledger) return { hasLedger: false, ids: new Set(), aliases: new Map() };
  const aliases = new Map<string, string>();
  if (live) {
    const marked = new Set(
      [...live.groups, ...live.policies, ...live.apps, ...(live.lists ?? [])]
        .filter((o) => o.name.startsWith(MARKER_PREFIX))
        .map((o) => o.id),
    );
    for (const o of ledger.accounts.get(accountId)?.objects ?? [])
      if (marked.has(o.id)) aliases.set(o.id, o.name);
  }
  return { hasLedger: true, ids: ledger.ownedIds(accountId), aliases };
}

/** Whether aclc created this object: its id is in the ledger. A name, a prefix or a pending entry proves nothing. */
export function isOwned(own: Ownership, _kind: LedgerKind, obj: { id: string; name: string }): boolean {
  return own.ids.has(obj.id);
}
