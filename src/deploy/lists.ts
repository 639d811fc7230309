import type { GatewayListBody, GatewayListItem } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CompiledProject, WireList } from '../model/compiled.js';
import { refFromWire } from '../selectors/wire.js';
import type { LiveState } from './live.js';

/**
 * Zero Trust lists declared in code (`list "…" = ip(…)`), planned and applied next to groups, policies and apps.
 *
 * A list is matched to the account's list of the same name. Ownership: a list aclc creates carries the description
 * `LIST_MARKER`; only such lists are updated or, no longer declared, deleted (with `--prune`, when no rule of the
 * account names them). A list of the declared name made outside aclc is not taken over (ACL0763). Items change by
 * `PATCH` with `append` / `remove` (Gateway lists API; cloudflare-go `teams_list.go` `PatchTeamsList`), so a
 * list keeps its id and the rules naming it stay valid.
 */
export const LIST_MARKER = 'managed by aclc';

/** One change to a list; list creates and item changes run before the other changes, deletes after them. */
export type ListChange =
  | { action: 'create'; name: string; type: WireList['type']; items: string[] }
  | { action: 'update'; name: string; type: WireList['type']; id: string; append: string[]; remove: string[] }
  | { action: 'delete'; name: string; type: WireList['type']; id: string };

/** The placeholder kind rules use for a list of `type`. */
export const listRefKind = (type: string): 'ip_list' | 'email_list' =>
  type === 'EMAIL' ? 'email_list' : 'ip_list';

/** What reading and writing lists needs from the API client (`AccessClient.lists` satisfies it). */
export interface ListsApi {
  items(listId: string): Promise<GatewayListItem[]>;
  create(body: GatewayListBody): Promise<{ id: string }>;
  patch(listId: string, change: { append?: { value: string }[]; remove?: string[] }): Promise<unknown>;
  delete(id: string): Promise<unknown>;
}

/** The items of the account lists the code declares (and of the lists aclc made), read into `live.lists`. */
export async function readListItems(
  api: ListsApi,
  live: LiveState,
  document: CompiledProject,
): Promise<void> {
  const declared = new Set((document.lists ?? []).map((l) => l.name));
  const wanted = (live.lists ?? []).filter((l) => declared.has(l.name) && l.description === LIST_MARKER);
  const items = await Promise.all(wanted.map((l) => api.items(l.id)));
  wanted.forEach((l, i) => {
    l.items = items[i];
  });
}

/** Every `$ref:<kind>:<name>` a document's rules hold, as `kind:name`. */
function referenced(document: CompiledProject): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string' && v.startsWith('$ref:')) {
      const ref = refFromWire('group', v);
      out.add(`${ref.kind}:${ref.name ?? ''}`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit([document.groups, document.policies, document.apps]);
  return out;
}

/**
 * Which account list ids the objects that stay after the apply name: live groups, policies and apps that the code
 * does not declare (it rewrites those) and that the plan does not delete. A list in use is never deleted.
 */
function usedIds(live: LiveState, document: CompiledProject, gone: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if ((key === 'ip_list' || key === 'email_list') && k === 'id' && typeof x === 'string') out.add(x);
        else visit(x, k);
      }
  };
  const declared = new Set([...document.groups, ...document.policies, ...document.apps].map((o) => o.name));
  const stays = (o: { id: string; name: string }) => !declared.has(o.name) && !gone.has(o.id);
  visit([live.groups.filter(stays), live.policies.filter(stays), live.apps.filter(stays)]);
  return out;
}

/**
 * Code → list changes. Pure. `spans` gives where each list is declared (`list:<name>`), for ACL0763. Also returns
 * the names of the declared lists this apply creates (their rules keep `$ref:` placeholders until then).
 */
export function planLists(
  document: CompiledProject,
  live: LiveState,
  prune: boolean,
  spans: ReadonlyMap<string, Span>,
  /** Ids of the objects the plan deletes. */
  gone: ReadonlySet<string> = new Set(),
): { changes: ListChange[]; diagnostics: Diagnostic[] } {
  const changes: ListChange[] = [];
  const diagnostics: Diagnostic[] = [];
  const accountLists = live.lists ?? [];
  const declared = new Set<string>();
  for (const want of document.lists ?? []) {
    declared.add(want.name);
    const same = accountLists.filter((l) => l.name === want.name);
    const ours = same.filter((l) => l.description === LIST_MARKER && l.type === want.type);
    if (same.length > 0 && ours.length !== 1) {
      diagnostics.push(
        diagnostic('ACL0763', spans.get(`list:${want.name}`) ?? { file: '<plan>', start: 0, end: 0 }, {
          name: want.name,
          count: same.length,
        }),
      );
      continue;
    }
    const live1 = ours[0];
    const values = want.items.map((i) => i.value);
    if (!live1) {
      changes.push({ action: 'create', name: want.name, type: want.type, items: values });
      continue;
    }
    const have = new Set((live1.items ?? []).map((i) => i.value));
    const wantSet = new Set(values);
    const append = values.filter((v) => !have.has(v));
    const remove = [...have].filter((v) => !wantSet.has(v)).sort();
    if (append.length > 0 || remove.length > 0)
      changes.push({ action: 'update', name: want.name, type: want.type, id: live1.id, append, remove });
  }
  if (prune) {
    const refs = referenced(document);
    const used = usedIds(live, document, gone);
    for (const l of accountLists) {
      if (l.description !== LIST_MARKER || declared.has(l.name)) continue;
      if (refs.has(`${listRefKind(l.type)}:${l.name}`) || used.has(l.id)) continue;
      changes.push({ action: 'delete', name: l.name, type: l.type as WireList['type'], id: l.id });
    }
  }
  return { changes, diagnostics };
}

/** `ip_list:<name>` / `email_list:<name>` of the declared lists the account does not have yet (this apply makes them). */
export function creatingLists(document: CompiledProject, live: LiveState): Set<string> {
  const out = new Set<string>();
  for (const l of document.lists ?? [])
    if (!(live.lists ?? []).some((x) => x.name === l.name)) out.add(`${listRefKind(l.type)}:${l.name}`);
  return out;
}

/** The body a list is created with. */
function createBody(c: Extract<ListChange, { action: 'create' }>): GatewayListBody {
  return { name: c.name, type: c.type, description: LIST_MARKER, items: c.items.map((value) => ({ value })) };
}

/**
 * Creates and changes the lists (before the other changes): the ids of the lists created, by `ip_list:<name>` /
 * `email_list:<name>`, for the rules that name them.
 */
export async function applyListWrites(
  api: ListsApi,
  changes: readonly ListChange[],
): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  for (const c of changes) {
    if (c.action === 'create') {
      const made = await api.create(createBody(c));
      created.set(`${listRefKind(c.type)}:${c.name}`, made.id);
    } else if (c.action === 'update') {
      const change: { append?: { value: string }[]; remove?: string[] } = {};
      if (c.append.length > 0) change.append = c.append.map((value) => ({ value }));
      if (c.remove.length > 0) change.remove = c.remove;
      await api.patch(c.id, change);
    }
  }
  return created;
}

/** Deletes the lists no longer declared (after the rules that named them changed). */
export async function applyListDeletes(api: ListsApi, changes: readonly ListChange[]): Promise<number> {
  let n = 0;
  for (const c of changes)
    if (c.action === 'delete') {
      await api.delete(c.id);
      n++;
    }
  return n;
}

/** The list changes as plan text (a section of the rendered plan), or `undefined` when there are none. */
export function listChangesText(changes: readonly ListChange[] | undefined): string | undefined {
  if (!changes || changes.length === 0) return undefined;
  const lines = ['Zero Trust lists:'];
  const kind = (c: ListChange) => (c.type === 'EMAIL' ? 'email list' : 'IP list');
  for (const c of changes) {
    if (c.action === 'create')
      lines.push(`  + create ${kind(c)} "${c.name}" with ${c.items.length} item(s): ${c.items.join(', ')}`);
    else if (c.action === 'delete') lines.push(`  - delete ${kind(c)} "${c.name}" (id ${c.id})`);
    else {
      lines.push(`  ~ update ${kind(c)} "${c.name}" (id ${c.id})`);
      for (const v of c.append) lines.push(`      + ${v}`);
      for (const v of c.remove) lines.push(`      - ${v}`);
    }
  }
  return lines.join('\n');
}

/** `listChangesText` as the plan renderer's sections (none when the plan changes no list). */
export function listSections(plan: { lists?: readonly ListChange[] }): { text: string }[] {
  const text = listChangesText(plan.lists);
  return text ? [{ text }] : [];
}
