import { isLegacyLink, type LiveState } from '../deploy/live.js';
import type { CompiledProject, WireApp, WireGroup, WirePolicy } from '../model/compiled.js';
import type { Decision } from '../model/decision.js';
import { refToWire, type WireRule } from '../selectors/wire.js';

/**
 * The account seen as a compiled document, so that the compiled evaluator can say what the account decides: its
 * groups, reusable policies and legacy app-scoped policies (as policies named `legacy:<app id>:<policy id>`), with
 * references between them as `$ref:` placeholders by name, and account objects by id. Groups and policies are
 * keyed by id (names may repeat in an account), so placeholders carry ids too: `$ref:group:<id>`.
 */
export function liveDocument(live: LiveState): CompiledProject {
  const groupIds = new Set(live.groups.map((g) => g.id));
  const reusableIds = new Set(live.policies.map((p) => p.id));
  // Lists whose items were read decide on them: keyed by id, as groups are.
  const known = (live.lists ?? []).filter(
    (l) => Array.isArray(l.items) && (l.type === 'IP' || l.type === 'EMAIL'),
  );
  const knownIds = new Set(known.map((l) => l.id));
  const rules = (list: unknown): WireRule[] =>
    (Array.isArray(list) ? (list as WireRule[]) : []).map((rule) => {
      const id = rule.group?.id;
      if (typeof id === 'string' && groupIds.has(id))
        return { group: { id: refToWire({ kind: 'group', name: id }) } };
      for (const kind of ['ip_list', 'email_list'] as const) {
        const listId = rule[kind]?.id;
        if (typeof listId === 'string' && knownIds.has(listId))
          return { [kind]: { id: refToWire({ kind, name: listId }) } };
      }
      return rule;
    });
  const body = (b: { include?: unknown; exclude?: unknown; require?: unknown }) => ({
    include: rules(b.include),
    exclude: rules(b.exclude),
    require: rules(b.require),
  });
  const groups: WireGroup[] = live.groups.map((g) => ({ name: g.id, ...body(g) }));
  const policies: WirePolicy[] = live.policies.map((p) => ({ name: p.id, decision: p.decision, ...body(p) }));
  const apps: WireApp[] = live.apps.map((a) => {
    const links = a.policies.map((entry) => {
      if (!isLegacyLink(entry, reusableIds))
        return { id: refToWire({ kind: 'policy', name: entry.id }), precedence: Number(entry.precedence) };
      const name = `legacy:${a.id}:${entry.id}`;
      policies.push({
        name,
        decision: entry.decision as Decision,
        ...body(entry as Record<string, unknown>),
      });
      return { id: refToWire({ kind: 'policy', name }), precedence: Number(entry.precedence) };
    });
    return {
      name: a.name,
      type: String(a.type ?? 'self_hosted'),
      domain: String(a.domain ?? ''),
      policies: links,
    };
  });
  const doc: CompiledProject = { groups, policies, apps };
  if (known.length > 0)
    doc.lists = known.map((l) => ({
      name: l.id,
      type: l.type as 'IP' | 'EMAIL',
      items: (l.items ?? []).map((i) => ({ value: i.value })),
    }));
  return doc;
}
