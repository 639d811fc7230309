import { createHash } from 'node:crypto';
import type { GatewayList, GatewayListBody, GatewayListItem } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CompiledProject, WireList } from '../model/compiled.js';
import { refFromWire } from '../selectors/wire.js';
import { stableStringify } from './canonical.js';
import type { Ownership } from './ledger.js';
import type { LiveState } from './live.js';

/**
 * Zero Trust lists declared in code (`list "…" = ip(…)`), planned and applied next to groups, policies and apps.
 *
 * A list is matched to the account's list of the same name. Ownership follows the state ledger, as for every other
 * object (docs/deploy.md): a list is aclc's when its id is in the ledger (recorded when aclc created it, or took it
 * over with `--adopt`). A declared list made outside aclc is updated only as a take-over (`adopt` on the change,
 * refused without `--adopt`); an undeclared one is deleted (with `--prune`) only when the ledger proves it aclc's and
 * nothing that stays names it. The description is the user's: aclc never writes it. Lists that carry the description
 * `LIST_MARKER`, which earlier versions of aclc used as their mark of ownership, prove nothing and are reported
 * (ACL0680, ACL0681). Items change by `PATCH` with `append` / `remove` (Gateway lists API; cloudflare-go
 * `teams_list.go` `PatchTeamsList`), so a list keeps its id and the rules naming it stay valid.
 */
export const LIST_MARKER = 'managed by aclc';

/** One change to a list; list creates and item changes run before the other changes, deletes after them. */
export type ListChange =
  | { action: 'create'; name: string; type: WireList['type']; items: string[] }
  | {
      action: 'update';
      name: string;
      type: WireList['type'];
      id: string;
      append: string[];
      remove: string[];
      /** The values the list holds once updated (what the ledger's `applied` hash is taken of). */
      items: string[];
      /** Made outside aclc (its id is not in the ledger): the update takes it over, only with `--adopt`. */
      adopt?: true;
      /** It carries the description `managed by aclc` of earlier versions. */
      legacy?: true;
      /** Its items changed outside aclc since aclc last wrote them (the ledger's `applied` hash). */
      drift?: true;
      /** aclc created it but its rename from the marker name did not happen: its name now. */
      rename?: string;
    }
  | { action: 'delete'; name: string; type: WireList['type']; id: string };

/** A list aclc created that the code no longer declares and that the plan keeps. */
export interface KeptList {
  name: string;
  type: string;
  id: string;
  reason: 'not-pruned' | 'in-use';
}

/** The placeholder kind rules use for a list of `type`. */
export const listRefKind = (type: string): 'ip_list' | 'email_list' =>
  type === 'EMAIL' ? 'email_list' : 'ip_list';

/**
 * `sha256:<hex>` of a list's content as aclc compares it (its type and the set of its values), kept in the ledger's
 * `applied` after every write, so a plan tells a change made outside aclc from a change of the code.
 */
export function listHash(type: string, values: readonly string[]): string {
  const canon = [type, [...new Set(values)].sort()];
  return `sha256:${createHash('sha256').update(stableStringify(canon)).digest('hex')}`;
}

/** What reading and writing lists needs from the API client (`AccessClient.lists` satisfies it). */
export interface ListsApi {
  items(listId: string): Promise<GatewayListItem[]>;
  create(body: GatewayListBody): Promise<{ id: string; created_at?: string }>;
  /** `PUT`: renames a list; items are left as they are when the body has none (Cloudflare API reference). */
  update(listId: string, body: { name: string }): Promise<unknown>;
  patch(listId: string, change: { append?: { value: string }[]; remove?: string[] }): Promise<unknown>;
  delete(id: string): Promise<unknown>;
}

/**
 * Reads into `live.lists` the items of the account lists whose name the code declares (whoever made them: a
 * take-over is compared too). Returns the ids read: a saved plan records them, so `apply` reads the same items to
 * check the plan's fingerprint.
 */
export async function readListItems(
  api: Pick<ListsApi, 'items'>,
  live: LiveState,
  document: CompiledProject,
): Promise<string[]> {
  const declared = new Set((document.lists ?? []).map((l) => l.name));
  const ids = (live.lists ?? []).filter((l) => declared.has(l.name)).map((l) => l.id);
  await readItemsOf(api, live, ids);
  return ids.sort();
}

/** Reads the items of the account lists with these ids (those that still exist) into `live.lists`. */
export async function readItemsOf(
  api: Pick<ListsApi, 'items'>,
  live: LiveState,
  ids: readonly string[],
): Promise<void> {
  const wanted = new Set(ids);
  const lists = (live.lists ?? []).filter((l) => wanted.has(l.id));
  const items = await Promise.all(lists.map((l) => api.items(l.id)));
  lists.forEach((l, i) => {
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

/** Every list id the rules in `value` (groups, policies, apps, as the API holds them) name in `ip_list` / `email_list`. */
export function listIdsIn(value: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if ((key === 'ip_list' || key === 'email_list') && k === 'id' && typeof x === 'string') out.add(x);
        else visit(x, k);
      }
  };
  visit(value);
  return out;
}

/**
 * Which account list ids the objects that stay after the apply name: live groups, policies and apps that the code
 * does not declare (it rewrites those) and that the plan does not delete. A list in use is never deleted.
 */
function usedIds(live: LiveState, document: CompiledProject, gone: ReadonlySet<string>): Set<string> {
  const declared = new Set([...document.groups, ...document.policies, ...document.apps].map((o) => o.name));
  const stays = (o: { id: string; name: string }) => !declared.has(o.name) && !gone.has(o.id);
  return listIdsIn([live.groups.filter(stays), live.policies.filter(stays), live.apps.filter(stays)]);
}

export interface ListPlanInput {
  document: CompiledProject;
  live: LiveState;
  prune: boolean;
  /** Where each list is declared (`list:<name>`), for diagnostics. */
  spans: ReadonlyMap<string, Span>;
  /** Ids of the objects the plan deletes. */
  gone?: ReadonlySet<string>;
  /** Which ids the ledger proves aclc's (and marker-named objects it created). */
  ownership: Ownership;
  /** The ledger's `applied` hash of a list id, if aclc wrote it. */
  applied?: (id: string) => string | undefined;
  /** Take-overs are approved (`--adopt`): lists of earlier versions that match the code are recorded too. */
  adopt?: boolean;
}

const NO_SPAN: Span = { file: '<plan>', start: 0, end: 0 };

/** The account's list a declaration means, or a diagnostic (ACL0763) when several have its name. */
function matchList(
  want: WireList,
  input: ListPlanInput,
  span: Span,
): { live?: GatewayList; rename?: string; diagnostic?: Diagnostic } {
  const all = input.live.lists ?? [];
  const same = all.filter((l) => l.name === want.name);
  if (same.length === 0) {
    // Created by aclc under its marker name, not renamed yet (the ledger has its id and declared name).
    const alias = all.filter((l) => input.ownership.aliases.get(l.id) === want.name);
    return alias.length === 1 && alias[0] ? { live: alias[0], rename: alias[0].name } : {};
  }
  if (same.length === 1) return { live: same[0] as GatewayList };
  const owned = same.filter((l) => input.ownership.ids.has(l.id));
  if (owned.length === 1) return { live: owned[0] as GatewayList };
  return { diagnostic: diagnostic('ACL0763', span, { name: want.name, count: same.length }) };
}

/**
 * Code → list changes. Pure. Also returns the lists aclc created that the code no longer declares and the plan
 * keeps, and the findings about ownership (ACL0680–ACL0682, ACL0763).
 */
export function planLists(input: ListPlanInput): {
  changes: ListChange[];
  kept: KeptList[];
  diagnostics: Diagnostic[];
} {
  const { document, live, ownership } = input;
  const changes: ListChange[] = [];
  const kept: KeptList[] = [];
  const diagnostics: Diagnostic[] = [];
  const matched = new Set<string>();
  for (const want of document.lists ?? []) {
    const span = input.spans.get(`list:${want.name}`) ?? NO_SPAN;
    const found = matchList(want, input, span);
    if (found.diagnostic) {
      diagnostics.push(found.diagnostic);
      continue;
    }
    const values = want.items.map((i) => i.value);
    const current = found.live;
    if (!current) {
      changes.push({ action: 'create', name: want.name, type: want.type, items: values });
      continue;
    }
    matched.add(current.id);
    if (current.type !== want.type) {
      diagnostics.push(
        diagnostic('ACL0682', span, { name: want.name, actual: current.type, expected: want.type }),
      );
      continue;
    }
    const haveValues = (current.items ?? []).map((i) => i.value);
    const have = new Set(haveValues);
    const wantSet = new Set(values);
    const append = values.filter((v) => !have.has(v));
    const remove = [...have].filter((v) => !wantSet.has(v)).sort();
    const owned = ownership.ids.has(current.id);
    const legacy = !owned && current.description === LIST_MARKER;
    if (legacy && !input.adopt) diagnostics.push(diagnostic('ACL0680', span, { name: want.name }));
    const differs = append.length > 0 || remove.length > 0 || found.rename !== undefined;
    if (!differs && !(legacy && input.adopt)) continue;
    const applied = owned ? input.applied?.(current.id) : undefined;
    changes.push({
      action: 'update',
      name: want.name,
      type: want.type,
      id: current.id,
      append,
      remove,
      items: values,
      ...(owned ? {} : { adopt: true as const }),
      ...(legacy ? { legacy: true as const } : {}),
      ...(applied !== undefined && applied !== listHash(current.type, haveValues)
        ? { drift: true as const }
        : {}),
      ...(found.rename !== undefined ? { rename: found.rename } : {}),
    });
  }
  const refs = referenced(document);
  const used = usedIds(live, document, input.gone ?? new Set());
  for (const l of live.lists ?? []) {
    if (matched.has(l.id)) continue;
    if (!ownership.ids.has(l.id)) {
      // An earlier aclc's list: `--prune` used to delete it; the ledger does not prove it aclc's.
      if (
        input.prune &&
        l.description === LIST_MARKER &&
        !(document.lists ?? []).some((d) => d.name === l.name)
      )
        diagnostics.push(diagnostic('ACL0681', NO_SPAN, { name: l.name, id: l.id }));
      continue;
    }
    const name = ownership.aliases.get(l.id) ?? l.name;
    if (refs.has(`${listRefKind(l.type)}:${name}`) || used.has(l.id))
      kept.push({ name, type: l.type, id: l.id, reason: 'in-use' });
    else if (input.prune)
      changes.push({ action: 'delete', name, type: l.type as WireList['type'], id: l.id });
    else kept.push({ name, type: l.type, id: l.id, reason: 'not-pruned' });
  }
  return { changes, kept, diagnostics };
}

/**
 * `ip_list:<name>` / `email_list:<name>` of the declared lists this apply creates (or renames from their marker
 * name): their rules keep `$ref:` placeholders until `applyListWrites` gives their ids.
 */
export function creatingLists(document: CompiledProject, live: LiveState): Set<string> {
  const out = new Set<string>();
  for (const l of document.lists ?? [])
    if (!(live.lists ?? []).some((x) => x.name === l.name)) out.add(`${listRefKind(l.type)}:${l.name}`);
  return out;
}

/** The take-overs among list changes (updates of lists the ledger does not prove aclc's), for ACL0832. */
export function listTakeOvers(
  changes: readonly ListChange[] | undefined,
  ownership?: Ownership,
): { kind: 'list'; name: string; id: string }[] {
  return (changes ?? []).flatMap((c) =>
    c.action === 'update' && (ownership ? !ownership.ids.has(c.id) : c.adopt === true)
      ? [{ kind: 'list' as const, name: c.name, id: c.id }]
      : [],
  );
}
