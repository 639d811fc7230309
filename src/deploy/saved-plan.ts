import { createHash } from 'node:crypto';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { stableStringify } from './canonical.js';
import type { Ownership } from './ledger.js';
import { flattenZones, type LiveState, type ManagedKind } from './live.js';
import type { Change, Plan } from './plan.js';

/**
 * Saved plans are checked before they are applied, as strictly as a plan made from the code: the file must be the
 * one `aclc plan --out` wrote (its digest), and every change must respect the ownership rules (`checkPlanOwnership`).
 * The digest catches a plan edited by hand or damaged; it is not a signature (anyone can recompute it), which is
 * why the ownership check does not rely on it.
 */

/** `sha256:<hex>` of a saved plan's content, every field but `digest` itself, in canonical JSON. */
export function planDigest(plan: object): string {
  const { digest: _digest, ...rest } = plan as { digest?: unknown };
  return `sha256:${createHash('sha256').update(stableStringify(rest)).digest('hex')}`;
}

type Live = { id: string; name: string; policies?: { id: string }[] };

function liveOf(live: LiveState, kind: ManagedKind): Live[] {
  return kind === 'group' ? live.groups : kind === 'policy' ? live.policies : live.apps;
}

/**
 * Every change of a plan checked against the rules a fresh plan follows: an update or delete names an object that
 * exists with that kind and id; an update writes the object of that name (or the marker-named object aclc created
 * for it), keeping that name; a delete happens only in a `--prune` plan and only to an object whose id is in the
 * ledger. Returns one ACL0875 per change that breaks a rule.
 */
export function checkPlanOwnership(
  plan: Plan,
  live: LiveState,
  ownership: Ownership,
  path: string,
  span: Span,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const refuse = (c: Change, id: string, reason: string): void => {
    out.push(refusal(path, span, c, id, reason));
  };
  for (const c of plan.changes) {
    if (c.action === 'create') {
      const bodyName = (c.body as { name?: unknown }).name;
      if (bodyName !== c.name) refuse(c, 'new', `its body is named \`${String(bodyName)}\``);
      continue;
    }
    // A zone-level change is checked in its zone (read again from the plan's `zones`), nowhere else.
    const zone = c.zone && live.zones?.find((z) => z.id === c.zone?.id);
    const scope = c.zone
      ? zone
        ? flattenZones({ ...live, groups: [], policies: [], apps: [], zones: [zone] })
        : undefined
      : live;
    const found = scope ? liveOf(scope, c.kind).find((o) => o.id === c.id) : undefined;
    if (c.action === 'delete') {
      if (!plan.prune) refuse(c, c.id, 'the plan was not made with `--prune`');
      else if (!found) refuse(c, c.id, 'no such object exists in the account');
      else if (!ownership.ids.has(c.id))
        refuse(c, c.id, 'aclc did not create it (its id is not in the state ledger)');
      continue;
    }
    const bodyName = (c.body as { name?: unknown }).name;
    if (bodyName !== c.name) {
      refuse(c, c.id, `its body renames it to \`${String(bodyName)}\``);
      continue;
    }
    if (c.convertFromApp !== undefined) {
      const app = live.apps.find((a) => a.id === c.convertFromApp);
      if (!app || !(app.policies ?? []).some((p) => p.id === c.id))
        refuse(c, c.id, 'it is not a policy of the app the plan converts it from');
      continue;
    }
    if (!found) refuse(c, c.id, 'no such object exists in the account');
    else if (found.name !== c.name && ownership.aliases.get(c.id) !== c.name)
      refuse(c, c.id, `the object with this id is \`${found.name}\`, not the one the plan names`);
  }
  out.push(...checkListOwnership(plan, live, ownership, path, span));
  return out;
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

/**
 * A saved plan's list changes checked as `checkPlanOwnership` checks the others: an update names a list that
 * exists with that id, name (or the marker name aclc created it under) and type; a delete happens only in a
 * `--prune` plan and only to a list whose id is in the ledger.
 */
function checkListOwnership(
  plan: Plan,
  live: LiveState,
  ownership: Ownership,
  path: string,
  span: Span,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of plan.lists ?? []) {
    if (c.action === 'create') continue;
    const refuse = (reason: string): void => {
      out.push(refusal(path, span, { action: c.action, kind: 'list', name: c.name }, c.id, reason));
    };
    const found = (live.lists ?? []).find((l) => l.id === c.id);
    if (!found) refuse('no such list exists in the account');
    else if (c.action === 'delete') {
      if (!plan.prune) refuse('the plan was not made with `--prune`');
      else if (!ownership.ids.has(c.id)) refuse('aclc did not create it (its id is not in the state ledger)');
    } else if (found.type !== c.type) refuse(`the list with this id holds ${found.type} values`);
    else if (found.name !== c.name && ownership.aliases.get(c.id) !== c.name)
      refuse(`the list with this id is \`${found.name}\`, not the one the plan names`);
  }
  return out;
}
