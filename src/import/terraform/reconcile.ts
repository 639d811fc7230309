import { importsApp } from '../import.js';
import type { TfFinding } from './account.js';
import type { TfResource } from './show-json.js';

/**
 * What the mapped account and the hand-over need once every resource is read: IdPs known only by id, and the
 * hand-over narrowed to what the written files manage. Pure.
 */

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The IdP type a rule implies, where only one type has it. */
const RULE_IDP_TYPE: Readonly<Record<string, string>> = {
  okta: 'okta',
  azureAD: 'azureAD',
  auth_context: 'azureAD',
  gsuite: 'google-apps',
  'github-organization': 'github',
};

/**
 * IdPs the configuration names by id without declaring them (a literal id, a variable): known by id only, so the
 * import declares them by id (`idp okta = id("…")`) instead of dropping the rules that use them.
 */
export function addUnnamedIdps(out: {
  identity_providers: Rec[];
  groups: Rec[];
  policies: Rec[];
  apps: Rec[];
  app_policies: Record<string, Rec[]>;
}): void {
  const known = new Map(out.identity_providers.map((i) => [String(i.id), i]));
  const add = (id: unknown, type = '') => {
    if (typeof id !== 'string' || id === '') return;
    const seen = known.get(id);
    if (seen) {
      if (seen.type === '' && type !== '') seen.type = type;
      return;
    }
    const idp: Rec = { id, name: '', type };
    known.set(id, idp);
    out.identity_providers.push(idp);
  };
  const bodies = [...out.groups, ...out.policies, ...Object.values(out.app_policies).flat()];
  for (const b of bodies)
    for (const k of ['include', 'exclude', 'require'])
      for (const rule of (b[k] as Rec[] | undefined) ?? [])
        for (const [key, v] of Object.entries(rule)) {
          if (!isRecord(v)) continue;
          if (key === 'login_method') add(v.id);
          else add(v.identity_provider_id, RULE_IDP_TYPE[key]);
        }
  for (const app of out.apps) for (const id of (app.allowed_idps as unknown[] | undefined) ?? []) add(id);
}

/**
 * The hand-over may only take from Terraform what the written files manage: an app of a type the language does not
 * write, the second of two apps with one name, and groups, reusable policies or lists whose name several share (the
 * importer refers to those by id and leaves them as they are) stay with Terraform.
 */
export function handOverOnlyWhatIsWritten(
  out: { groups: Rec[]; policies: Rec[]; apps: Rec[]; lists: Rec[] },
  adopted: TfResource[],
  found: TfFinding[],
): void {
  const keep = new Set<unknown>();
  const count = (list: Rec[]) => {
    const n = new Map<unknown, number>();
    for (const o of list) n.set(o.name, (n.get(o.name) ?? 0) + 1);
    return n;
  };
  // Lists with their items are declared (`list "…" = …`) when no other list has their name.
  const listNames = count(out.lists);
  for (const l of out.lists) if (Array.isArray(l.items) && listNames.get(l.name) === 1) keep.add(l.id);
  const groupNames = count(out.groups);
  const policyNames = count(out.policies);
  for (const g of out.groups) if (groupNames.get(g.name) === 1) keep.add(g.id);
  for (const p of out.policies) if (policyNames.get(p.name) === 1) keep.add(p.id);
  const appNames = new Set<unknown>();
  const written = new Set<unknown>();
  for (const a of out.apps)
    if (importsApp(a) && !appNames.has(a.name)) {
      appNames.add(a.name);
      written.add(a.id);
      keep.add(a.id);
    }
  for (let i = adopted.length - 1; i >= 0; i--) {
    const r = adopted[i] as TfResource;
    const id = r.values.id ?? `tf:${r.address}`;
    const appId = str(r.values.application_id);
    if (keep.has(id) || (appId !== undefined && written.has(appId))) continue;
    adopted.splice(i, 1);
    found.push({
      address: r.address,
      kind: 'left',
      reason:
        'the written files do not manage it (see the other warnings), so the hand-over leaves it with Terraform',
    });
  }
}
