import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { isPlanView } from '../plan-view/types.js';
import { stableStringify } from './canonical.js';
import type { Ownership } from './ledger.js';
import type { ListChange } from './lists.js';
import {
  flattenZones,
  LIVE_COLLECTIONS,
  type LiveCollection,
  type LiveState,
  type ManagedKind,
} from './live.js';
import type { Change, Plan } from './plan.js';

/**
 * Saved plans are checked before they are applied, as strictly as a plan made from the code: the file must be the
 * one `aclc plan --out` wrote (its digest), and every change must respect the ownership rules (`checkPlanOwnership`).
 * The digest catches a plan edited by hand or damaged; it is not a signature (anyone can recompute it), which is
 * why the ownership check does not rely on it.
 */

/** The saved-plan file: the plan plus where its ledger is. Never holds credentials. */
export interface SavedPlan extends Plan {
  /** Made with `--adopt`: the take-overs it lists were approved with it. */
  adopt?: true;
  /** `sensitiveApps` of the project when the plan was made: `apply` refuses to widen them unless `--allow-widen`. */
  sensitive?: string[];
  /** The ledger file the plan was made with (as given, or derived from the project folder). */
  state: string;
  /** `sha256:` of everything else in the file (`planDigest`): `apply` refuses a plan changed after it was saved. */
  digest?: string;
}

/** `sha256:<hex>` of a saved plan's content, every field but `digest` itself, in canonical JSON. */
export function planDigest(plan: object): string {
  const { digest: _digest, ...rest } = plan as { digest?: unknown };
  return `sha256:${createHash('sha256').update(stableStringify(rest)).digest('hex')}`;
}

/** Where a diagnostic about a saved plan file points: the file itself. */
export function planFileSpan(path: string): Span {
  return { file: path, start: 0, end: 0 };
}

/** Read and check a saved plan (`apply plan.json`, `show`); problems come back as ACL0858, a digest that differs as ACL0874. */
export async function readSavedPlan(
  path: string,
  cwd: string,
): Promise<{ plan?: SavedPlan; diagnostics: Diagnostic[] }> {
  const bad = (reason: string) => ({
    diagnostics: [diagnostic('ACL0858', planFileSpan(path), { path, reason })],
  });
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (e) {
    return bad((e as { code?: string }).code === 'ENOENT' ? 'no such file' : 'unreadable');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('not valid JSON');
  }
  const p = json as Partial<SavedPlan> | null;
  if (p?.format !== 'aclc-plan') return bad('`format` is not `aclc-plan`');
  if (p.version !== 1) return bad(`unsupported version \`${String(p.version)}\``);
  if (typeof p.accountId !== 'string' || typeof p.fingerprint !== 'string')
    return bad('no account or fingerprint');
  if (!Array.isArray(p.changes) || !p.summary) return bad('no `changes`');
  const reads = Array.isArray(p.reads)
    ? p.reads.filter((r): r is LiveCollection => LIVE_COLLECTIONS.includes(r))
    : [];
  const valid = p.changes.every(
    (c) =>
      c &&
      typeof c === 'object' &&
      ['create', 'update', 'delete'].includes(c.action) &&
      ['group', 'policy', 'app'].includes(c.kind) &&
      typeof c.key === 'string' &&
      Number.isInteger(c.phase) &&
      Array.isArray(c.after),
  );
  if (!valid) return bad('a change is malformed');
  if (
    p.listItems !== undefined &&
    !(Array.isArray(p.listItems) && p.listItems.every((x) => typeof x === 'string'))
  )
    return bad('its `listItems` is malformed');
  if (p.view !== undefined && !isPlanView(p.view)) return bad('its `view` is malformed');
  if (typeof p.digest !== 'string' || p.digest !== planDigest(p))
    return { diagnostics: [diagnostic('ACL0874', planFileSpan(path), { path })] };
  return { plan: { ...(p as SavedPlan), reads, kept: Array.isArray(p.kept) ? p.kept : [] }, diagnostics: [] };
}

type Live = { id: string; name: string; policies?: { id: string }[] };

function liveOf(live: LiveState, kind: ManagedKind): Live[] {
  return kind === 'group' ? live.groups : kind === 'policy' ? live.policies : live.apps;
}

/**
 * Every change of a plan, lists included, checked against the rules a fresh plan follows: an update or delete names
 * an object that exists with that kind and id; an update writes the object of that name (or the marker-named object
 * aclc created for it), keeping that name (and a list its type); a delete happens only in a `--prune` plan and only
 * to an object whose id is in the ledger. Returns one ACL0875 per change that breaks a rule, at the plan file.
 */
export function checkPlanOwnership(
  plan: Plan,
  live: LiveState,
  ownership: Ownership,
  path: string,
): Diagnostic[] {
  const span = planFileSpan(path);
  const out: Diagnostic[] = [];
  for (const c of plan.changes) {
    const reason = changeRefusal(c, plan, live, ownership);
    if (reason !== undefined) out.push(refusal(path, span, c, c.action === 'create' ? 'new' : c.id, reason));
  }
  for (const c of plan.lists ?? []) {
    if (c.action === 'create') continue;
    const reason = listRefusal(c, plan, live, ownership);
    if (reason !== undefined)
      out.push(refusal(path, span, { action: c.action, kind: 'list', name: c.name }, c.id, reason));
  }
  return out;
}

/** The rule a change of a group, policy or app breaks, if any. */
function changeRefusal(c: Change, plan: Plan, live: LiveState, ownership: Ownership): string | undefined {
  if (c.action === 'create') return renamedBody(c, 'is named');
  // A zone-level change is checked in its zone (read again from the plan's `zones`), nowhere else.
  const zone = c.zone && live.zones?.find((z) => z.id === c.zone?.id);
  const scope = c.zone
    ? zone
      ? flattenZones({ ...live, groups: [], policies: [], apps: [], zones: [zone] })
      : undefined
    : live;
  const found = scope ? liveOf(scope, c.kind).find((o) => o.id === c.id) : undefined;
  if (c.action === 'delete') return unpruned(plan) ?? missing(found, 'object') ?? unowned(c.id, ownership);
  const renamed = renamedBody(c, 'renames it to');
  if (renamed !== undefined) return renamed;
  if (c.convertFromApp !== undefined) {
    const app = live.apps.find((a) => a.id === c.convertFromApp);
    return !app || !(app.policies ?? []).some((p) => p.id === c.id)
      ? 'it is not a policy of the app the plan converts it from'
      : undefined;
  }
  return missing(found, 'object') ?? otherName(c, found, ownership, 'object');
}

/** The rule an update or delete of a list breaks, if any: the rules of the other objects, and the list's type. */
function listRefusal(
  c: Exclude<ListChange, { action: 'create' }>,
  plan: Plan,
  live: LiveState,
  ownership: Ownership,
): string | undefined {
  const found = (live.lists ?? []).find((l) => l.id === c.id);
  if (c.action === 'delete') return missing(found, 'list') ?? unpruned(plan) ?? unowned(c.id, ownership);
  return (
    missing(found, 'list') ??
    (found && found.type !== c.type ? `the list with this id holds ${found.type} values` : undefined) ??
    otherName(c, found, ownership, 'list')
  );
}

/** The body names another object than the change does. */
function renamedBody(c: { name: string; body: unknown }, verb: string): string | undefined {
  const bodyName = (c.body as { name?: unknown }).name;
  return bodyName !== c.name ? `its body ${verb} \`${String(bodyName)}\`` : undefined;
}

function unpruned(plan: Plan): string | undefined {
  return plan.prune ? undefined : 'the plan was not made with `--prune`';
}

function missing(found: unknown, noun: 'object' | 'list'): string | undefined {
  return found ? undefined : `no such ${noun} exists in the account`;
}

function unowned(id: string, ownership: Ownership): string | undefined {
  return ownership.ids.has(id) ? undefined : 'aclc did not create it (its id is not in the state ledger)';
}

/** The object with the change's id has another name, and not because aclc created it under its marker name. */
function otherName(
  c: { id: string; name: string },
  found: { name: string } | undefined,
  ownership: Ownership,
  noun: 'object' | 'list',
): string | undefined {
  return found && found.name !== c.name && ownership.aliases.get(c.id) !== c.name
    ? `the ${noun} with this id is \`${found.name}\`, not the one the plan names`
    : undefined;
}

/** ACL0875: a change of a saved plan that breaks an ownership rule. */
function refusal(
  path: string,
  span: Span,
  c: { action: string; kind: string; name: string },
  id: string,
  reason: string,
): Diagnostic {
  return diagnostic('ACL0875', span, { path, action: c.action, kind: c.kind, name: c.name, id, reason });
}
