import { isPlaceholder, refFromWire } from '../selectors/wire.js';

interface RuleBody {
  include?: unknown;
  exclude?: unknown;
  require?: unknown;
}

function ruleList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * The groups the `group` rules of a body refer to: with `ids` false, the names of code groups still written as
 * `$ref:group:<name>`; with `ids` true, the literal group ids.
 */
export function groupRefs(body: RuleBody, ids = false): string[] {
  const out: string[] = [];
  for (const rule of [...ruleList(body.include), ...ruleList(body.exclude), ...ruleList(body.require)]) {
    if (typeof rule !== 'object' || rule === null) continue;
    const group = (rule as Record<string, unknown>).group;
    const id = typeof group === 'object' && group !== null ? (group as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') continue;
    if (isPlaceholder(id)) {
      const ref = refFromWire('group', id);
      if (!ids && ref.kind === 'group' && ref.name !== undefined) out.push(ref.name);
    } else if (ids) out.push(id);
  }
  return [...new Set(out)];
}

/** The policy ids an app links (placeholders included). */
export function linkIds(app: { policies?: unknown }): string[] {
  const links = Array.isArray(app.policies) ? app.policies : [];
  return links
    .map((l) => (typeof l === 'object' && l !== null ? (l as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string');
}

/** The names of the code policies an app links through `$ref:policy:<name>` placeholders. */
export function policyRefsOfApp(app: { policies?: unknown }): string[] {
  return linkIds(app)
    .filter(isPlaceholder)
    .map((id) => refFromWire('policy', id))
    .filter((r) => r.kind === 'policy' && r.name !== undefined)
    .map((r) => r.name as string);
}
