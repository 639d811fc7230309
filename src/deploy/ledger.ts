import type { ManagedKind } from './live.js';

/**
 * The state ledger: per account, the ids of the objects aclc created. It is how `--prune` knows what it may
 * delete. It holds ids, kinds and names only (no secrets, no bodies), and is written atomically after every
 * successful create or delete, so an interrupted apply loses at most the object whose create was in flight; for
 * that case a `pending` entry is written before each create and adopted by name on the next run.
 */
export interface LedgerEntry {
  kind: ManagedKind;
  id: string;
  name: string;
  /** ISO time the object was created. */
  created: string;
}

export interface PendingEntry {
  kind: ManagedKind;
  name: string;
}

export interface AccountLedger {
  objects: LedgerEntry[];
  pending: PendingEntry[];
}

export interface LedgerDocument {
  format: 'aclc-state';
  version: 1;
  accounts: Record<string, AccountLedger>;
}

const KINDS = new Set(['group', 'policy', 'app']);

function isEntry(x: unknown): x is LedgerEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return KINDS.has(e.kind as string) && typeof e.id === 'string' && typeof e.name === 'string';
}

function isPending(x: unknown): x is PendingEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return KINDS.has(e.kind as string) && typeof e.name === 'string';
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
      })),
      pending: (Array.isArray(a.pending) ? a.pending : [])
        .filter(isPending)
        .map((p) => ({ kind: p.kind, name: p.name })),
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

  /** Before a create: remember that aclc is about to create `kind` `name`. */
  notePending(accountId: string, kind: ManagedKind, name: string): void {
    const a = this.account(accountId);
    if (!a.pending.some((p) => p.kind === kind && p.name === name)) a.pending.push({ kind, name });
  }

  /** After a successful create (or the adoption of a pending one). */
  recordCreated(accountId: string, kind: ManagedKind, id: string, name: string, created: string): void {
    const a = this.account(accountId);
    a.pending = a.pending.filter((p) => !(p.kind === kind && p.name === name));
    if (!a.objects.some((o) => o.id === id)) a.objects.push({ kind, id, name, created });
    else a.objects = a.objects.map((o) => (o.id === id ? { ...o, name } : o));
  }

  /** After a successful delete. */
  forget(accountId: string, id: string): void {
    const a = this.accounts.get(accountId);
    if (a) a.objects = a.objects.filter((o) => o.id !== id);
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
  /** Creates that were in flight when a previous apply stopped: objects of that kind and name are aclc's. */
  pending: readonly PendingEntry[];
}

export function ownershipOf(ledger: Ledger | undefined, accountId: string): Ownership {
  if (!ledger) return { hasLedger: false, ids: new Set(), pending: [] };
  return { hasLedger: true, ids: ledger.ownedIds(accountId), pending: ledger.pending(accountId) };
}

export function isOwned(own: Ownership, kind: ManagedKind, obj: { id: string; name: string }): boolean {
  return own.ids.has(obj.id) || own.pending.some((p) => p.kind === kind && p.name === obj.name);
}
