import type { LiveState } from '../deploy/live.js';
import type { CompiledProject } from '../model/compiled.js';
import type { Identity } from '../model/identity.js';
import { inSomeBlock } from '../selectors/members.js';
import { isPlaceholder, refToWire, type WireRule } from '../selectors/wire.js';

/**
 * The account lists whose items are known (read from the account, or in an export or a Terraform configuration),
 * for the import's proof: Access decides membership in them by the request's IP or email, so an imported rule that
 * names one by id (`ip_list(id("…"))`, when several lists share its name) decides on its items too. Pure.
 */

type KnownList = { id: string; type: 'IP' | 'EMAIL'; values: string[] };

function knownLists(live: LiveState): KnownList[] {
  return (live.lists ?? []).flatMap((l) =>
    Array.isArray(l.items) && (l.type === 'IP' || l.type === 'EMAIL')
      ? [{ id: l.id, type: l.type, values: l.items.map((i) => i.value) }]
      : [],
  );
}

/**
 * A compiled document whose rules name a known list by its id, with those rules naming it as `liveDocument` does
 * (`$ref:<kind>:<id>`, the list carried under `lists` by id), so that evaluators and the analysis engine decide on
 * its items.
 */
export function withKnownLists(doc: CompiledProject, live: LiveState): CompiledProject {
  const known = new Map(knownLists(live).map((l) => [l.id, l]));
  if (known.size === 0) return doc;
  const used = new Map<string, KnownList>();
  const rules = (list: WireRule[]): WireRule[] =>
    list.map((rule) => {
      for (const kind of ['ip_list', 'email_list'] as const) {
        const id = rule[kind]?.id;
        const l = typeof id === 'string' && !isPlaceholder(id) ? known.get(id) : undefined;
        if (l && (l.type === 'EMAIL') === (kind === 'email_list')) {
          used.set(l.id, l);
          return { [kind]: { id: refToWire({ kind, name: l.id }) } } as WireRule;
        }
      }
      return rule;
    });
  const body = <T extends { include: WireRule[]; exclude: WireRule[]; require: WireRule[] }>(b: T): T => ({
    ...b,
    include: rules(b.include),
    exclude: rules(b.exclude),
    require: rules(b.require),
  });
  const out: CompiledProject = { ...doc, groups: doc.groups.map(body), policies: doc.policies.map(body) };
  const have = new Set((doc.lists ?? []).map((l) => l.name));
  const added = [...used.values()]
    .filter((l) => !have.has(l.id))
    .map((l) => ({ name: l.id, type: l.type, items: l.values.map((value) => ({ value })) }));
  if (added.length > 0) out.lists = [...(doc.lists ?? []), ...added];
  return out;
}

/**
 * An identity with the known lists its IP and email are in, by id, as Access decides it (for the source evaluator).
 * The proof asks this for thousands of identities of few distinct IPs and emails: the lists an email is in come from
 * an index of the lower-cased items, the lists an IP is in are worked out once per IP from each list's address ranges
 * (both in list order).
 */
export function listMemberships(live: LiveState): (identity: Identity) => Identity {
  const lists = knownLists(live);
  if (lists.length === 0) return (identity) => identity;
  const byEmail = new Map<string, string[]>();
  for (const l of lists) {
    if (l.type !== 'EMAIL') continue;
    for (const v of l.values) {
      const ids = byEmail.get(v.toLowerCase());
      if (ids === undefined) byEmail.set(v.toLowerCase(), [l.id]);
      else if (ids[ids.length - 1] !== l.id) ids.push(l.id);
    }
  }
  const ipLists = lists.filter((l) => l.type === 'IP');
  const byIp = new Map<string, string[]>();
  const listsOfIp = (ip: string): string[] => {
    let ids = byIp.get(ip);
    if (ids === undefined) {
      ids = ipLists.filter((l) => inSomeBlock(l.values, ip)).map((l) => l.id);
      byIp.set(ip, ids);
    }
    return ids;
  };
  return (identity) => {
    const { ip, email } = identity;
    const ips = ip === undefined ? [] : listsOfIp(ip);
    const emails = email === undefined ? [] : (byEmail.get(email.toLowerCase()) ?? []);
    if (ips.length === 0 && emails.length === 0) return identity;
    const out: Identity = { ...identity };
    if (ips.length > 0) out.ipLists = [...new Set([...(identity.ipLists ?? []), ...ips])];
    if (emails.length > 0) out.emailLists = [...new Set([...(identity.emailLists ?? []), ...emails])];
    return out;
  };
}
