import {
  type Canon,
  canonEqual,
  canonicalApp,
  canonicalGroup,
  canonicalLinks,
  canonicalPolicy,
  stableStringify,
} from './canonical.js';

/**
 * One field that differs between the account and the code. Scalars and objects carry `before` / `after`
 * (absent: the API default); sets (rule lists, domains, tags, policy links) carry what is `added` and `removed`.
 */
export interface FieldChange {
  field: string;
  before?: unknown;
  after?: unknown;
  added?: unknown[];
  removed?: unknown[];
}

const SET_DISPLAY = new Set([
  'include',
  'exclude',
  'require',
  'domains',
  'private_destinations',
  'tags',
  'allowed_idps',
]);

/** Fields shown in their canonical form: the raw field may be spelled elsewhere (`domain` from `destinations`). */
const CANONICAL_DISPLAY = new Set(['domain']);

function display(raw: Record<string, unknown>, canon: Record<string, Canon>, field: string): unknown {
  if (CANONICAL_DISPLAY.has(field)) return canon[field];
  return field in raw && raw[field] !== undefined ? raw[field] : canon[field];
}

/** Field-level differences of two canonical objects; display values come from the raw objects. */
export function diffCanonical(
  liveRaw: Record<string, unknown>,
  live: Record<string, Canon>,
  desiredRaw: Record<string, unknown>,
  desired: Record<string, Canon>,
): FieldChange[] {
  const fields = [...new Set([...Object.keys(live), ...Object.keys(desired)])].sort((a, b) =>
    a === 'name' ? -1 : b === 'name' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const out: FieldChange[] = [];
  for (const field of fields) {
    const before = live[field];
    const after = desired[field];
    if (canonEqual(before, after)) continue;
    if (SET_DISPLAY.has(field) && (Array.isArray(before) || Array.isArray(after))) {
      const b = Array.isArray(before) ? before : [];
      const a = Array.isArray(after) ? after : [];
      const bText = new Set(b.map(stableStringify));
      const aText = new Set(a.map(stableStringify));
      out.push({
        field,
        added: a.filter((x) => !bText.has(stableStringify(x))),
        removed: b.filter((x) => !aText.has(stableStringify(x))),
      });
      continue;
    }
    const change: FieldChange = { field };
    if (before !== undefined) change.before = display(liveRaw, live, field);
    if (after !== undefined) change.after = display(desiredRaw, desired, field);
    out.push(change);
  }
  return out;
}

export function diffGroup(live: Record<string, unknown>, desired: Record<string, unknown>): FieldChange[] {
  return diffCanonical(live, canonicalGroup(live), desired, canonicalGroup(desired));
}

export function diffPolicy(live: Record<string, unknown>, desired: Record<string, unknown>): FieldChange[] {
  return diffCanonical(live, canonicalPolicy(live), desired, canonicalPolicy(desired));
}

type Link = { id: string; precedence: number };

function links(app: Record<string, unknown>): Link[] {
  const list = Array.isArray(app.policies) ? app.policies : [];
  return list
    .filter((l): l is Link => typeof l === 'object' && l !== null && typeof (l as Link).id === 'string')
    .map((l) => ({ id: l.id, precedence: Number(l.precedence) }));
}

/**
 * App differences: settings field by field, then the policy links as one `policies` change listing the links in
 * precedence order before and after (`name` from `linkName`).
 */
export function diffApp(
  live: Record<string, unknown>,
  desired: Record<string, unknown>,
  linkName: (id: string) => string,
): FieldChange[] {
  const out = diffCanonical(live, canonicalApp(live), desired, canonicalApp(desired));
  const before = links(live);
  const after = links(desired);
  if (!canonEqual(canonicalLinks(before), canonicalLinks(after))) {
    const show = (ls: Link[]): string[] =>
      [...ls].sort((x, y) => x.precedence - y.precedence).map((l) => `${l.precedence}: ${linkName(l.id)}`);
    out.push({ field: 'policies', before: show(before), after: show(after) });
  }
  return out;
}
