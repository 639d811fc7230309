import { randomBytes } from 'node:crypto';
import { type Ledger, MARKER_PREFIX } from './ledger.js';
import { type ListChange, type ListsApi, listHash, listRefKind } from './lists.js';

/**
 * Applying list changes (`lists.ts` plans them) with the state ledger's rules, as `execute.ts` applies the other
 * changes: every create is noted as pending under a unique marker name before it is sent, created under that name,
 * its id recorded, then renamed to its declared name, so a list whose create was in flight when the process died
 * is recognised by its marker (`reconcile.ts`), never by its name. Every write records the `listHash` of what aclc
 * wrote; a take-over approved with `--adopt` is recorded in the ledger once written.
 */
export interface ListApplyOptions {
  accountId: string;
  ledger: Ledger;
  /** Persists the ledger (atomically). */
  saveLedger(): Promise<void>;
  /** Ids of lists made outside aclc whose take-over was approved. */
  adopt: ReadonlySet<string>;
  now?(): string;
  /** A short random run id for marker names (injected for tests). */
  runId?: string;
  /** Told of each list change once the API confirmed it, with the list's id. */
  onDone?(change: ListChange, id: string): void;
}

/**
 * Creates and changes the lists (before the other changes): the ids of the lists created (or renamed from their
 * marker name), by `ip_list:<name>` / `email_list:<name>`, for the rules that name them.
 */
export async function applyListWrites(
  api: ListsApi,
  changes: readonly ListChange[],
  options: ListApplyOptions,
): Promise<Map<string, string>> {
  const { accountId, ledger } = options;
  const now = options.now ?? (() => new Date().toISOString());
  const created = new Map<string, string>();
  const creates = changes.filter((c) => c.action === 'create');
  const markers = new Map<ListChange, string>();
  if (creates.length > 0) {
    const runId = options.runId ?? randomBytes(6).toString('hex');
    for (const [i, c] of creates.entries()) {
      const marker = `${MARKER_PREFIX}${runId}~l${i + 1}`;
      markers.set(c, marker);
      ledger.notePending(accountId, 'list', c.name, marker, now());
    }
    await options.saveLedger();
  }
  for (const c of changes) {
    if (c.action === 'create') {
      const marker = markers.get(c) as string;
      const made = await api.create({
        name: marker,
        type: c.type,
        items: c.items.map((value) => ({ value })),
      });
      ledger.recordCreated(accountId, 'list', made.id, c.name, made.created_at ?? now(), marker);
      await options.saveLedger();
      await api.update(made.id, { name: c.name });
      ledger.noteApplied(accountId, made.id, listHash(c.type, c.items));
      await options.saveLedger();
      created.set(`${listRefKind(c.type)}:${c.name}`, made.id);
      options.onDone?.(c, made.id);
    } else if (c.action === 'update') {
      const change: { append?: { value: string }[]; remove?: string[] } = {};
      if (c.append.length > 0) change.append = c.append.map((value) => ({ value }));
      if (c.remove.length > 0) change.remove = c.remove;
      if (change.append || change.remove) await api.patch(c.id, change);
      if (c.rename !== undefined) {
        await api.update(c.id, { name: c.name });
        created.set(`${listRefKind(c.type)}:${c.name}`, c.id);
      }
      if (options.adopt.has(c.id) && !ledger.ownedIds(accountId).has(c.id))
        ledger.recordCreated(accountId, 'list', c.id, c.name, now());
      if (ledger.ownedIds(accountId).has(c.id)) {
        ledger.noteApplied(accountId, c.id, listHash(c.type, c.items));
        await options.saveLedger();
      }
      options.onDone?.(c, c.id);
    }
  }
  return created;
}

/** Deletes the lists no longer declared (after the rules that named them changed), forgetting them in the ledger. */
export async function applyListDeletes(
  api: Pick<ListsApi, 'delete'>,
  changes: readonly ListChange[],
  options: Pick<ListApplyOptions, 'accountId' | 'ledger' | 'saveLedger' | 'onDone'>,
): Promise<number> {
  let n = 0;
  for (const c of changes)
    if (c.action === 'delete') {
      await api.delete(c.id);
      options.ledger.forget(options.accountId, c.id);
      await options.saveLedger();
      options.onDone?.(c, c.id);
      n++;
    }
  return n;
}
