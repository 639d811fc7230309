import ipaddr from 'ipaddr.js';
import type { CompiledProject, WireList } from '../model/compiled.js';
import type { Identity } from '../model/identity.js';
import { selectorByWireKey } from '../selectors/table.js';
import { checkValue, parseIpBlock } from '../selectors/values.js';
import { isPlaceholder, refFromWire, type WireRule } from '../selectors/wire.js';

/**
 * The identities that matter for a document: one fact per value its rules name (an email, a country, both ends of
 * every CIDR and the addresses just outside it, an IdP group with its IdP, …), alone, in pairs, all together, and
 * in deterministic random mixes. An import decides like the account on all of them or differs somewhere the
 * configuration draws a line. Pure.
 */

type Fact = Identity;

type Body = { include: WireRule[]; exclude: WireRule[]; require: WireRule[] };
const rulesOfBody = (b: Body): WireRule[] => [...b.include, ...b.require, ...b.exclude];

/**
 * The rules that can decide for an app: those of its policies and of the document's groups they use, transitively.
 * Without an app, every rule of the document.
 */
export function rulesFor(doc: CompiledProject, appName?: string): WireRule[] {
  if (appName === undefined) return [...doc.groups, ...doc.policies].flatMap(rulesOfBody);
  const app = doc.apps.find((a) => a.name === appName);
  const policies = new Map(doc.policies.map((p) => [p.name, p]));
  const groups = new Map(doc.groups.map((g) => [g.name, g]));
  const out: WireRule[] = [];
  const seen = new Set<string>();
  const visit = (b: Body) => {
    for (const r of rulesOfBody(b)) {
      out.push(r);
      const id = r.group?.id;
      if (typeof id !== 'string' || !isPlaceholder(id)) continue;
      const name = refFromWire('group', id).name ?? '';
      const g = groups.get(name);
      if (g && !seen.has(`g:${name}`)) {
        seen.add(`g:${name}`);
        visit(g);
      }
    }
  };
  for (const link of app?.policies ?? []) {
    const name = refFromWire('policy', link.id).name ?? '';
    const p = policies.get(name);
    if (p && !seen.has(`p:${name}`)) {
      seen.add(`p:${name}`);
      visit(p);
    }
  }
  return out;
}

/** The document with every rule value in its canonical form (`US`, lower-case emails), as Access reads them. */
export function canonicalDocument(doc: CompiledProject): CompiledProject {
  const rule = (r: WireRule): WireRule => {
    const key = Object.keys(r)[0];
    const spec = key === undefined ? undefined : selectorByWireKey(key);
    if (!spec || key === undefined) return r;
    const body = { ...((r as Record<string, Record<string, unknown>>)[key] ?? {}) };
    for (const p of spec.params) {
      const v = body[p.field];
      if (p.type.kind !== 'value' || typeof v !== 'string') continue;
      const c = checkValue(p.type.value, v);
      if (c.ok) body[p.field] = c.value;
    }
    return { [key]: body } as WireRule;
  };
  const body = <T extends { include: WireRule[]; exclude: WireRule[]; require: WireRule[] }>(b: T): T => ({
    ...b,
    include: b.include.map(rule),
    exclude: b.exclude.map(rule),
    require: b.require.map(rule),
  });
  return { ...doc, groups: doc.groups.map(body), policies: doc.policies.map(body) };
}

/** The first and last address of a CIDR and the two just outside it. */
export function cidrBoundaries(cidr: string): string[] {
  try {
    const text = cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`;
    const [addr, bits] = parseIpBlock(text);
    const bytes = addr.toByteArray();
    const width = BigInt(bytes.length * 8);
    const value = bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
    const all = (1n << width) - 1n;
    const mask = (all << (width - BigInt(bits))) & all;
    const first = value & mask;
    const last = first | (~mask & all);
    const toText = (n: bigint): string => {
      const out: number[] = [];
      for (let i = 0; i < bytes.length; i++) out.unshift(Number((n >> BigInt(8 * i)) & 0xffn));
      return ipaddr.fromByteArray(out).toString();
    };
    const points = [first, last];
    if (first > 0n) points.push(first - 1n);
    if (last < all) points.push(last + 1n);
    return points.map(toText);
  } catch {
    return [];
  }
}

/** The facts one rule names (what makes it match), or none. */
function factsOf(rule: WireRule): Fact[] {
  const key = Object.keys(rule)[0] ?? '';
  const b = ((rule as Record<string, Record<string, unknown>>)[key] ?? {}) as Record<string, unknown>;
  const s = (f: string): string => (typeof b[f] === 'string' ? (b[f] as string) : '');
  const idp = s('identity_provider_id');
  const via = (f: Fact): Fact => (idp ? { loginMethod: idp, ...f } : f);
  switch (key) {
    case 'email':
      return [{ email: s('email') }];
    case 'email_domain':
      return [{ email: `someone@${s('domain')}` }];
    case 'email_list':
      return [{ emailLists: [s('id')] }];
    case 'ip':
      return cidrBoundaries(s('ip')).map((ip) => ({ ip }));
    case 'ip_list':
      return [{ ipLists: [s('id')] }];
    case 'geo':
      return [{ country: s('country_code') }];
    case 'group':
      return [{ accessGroups: [s('id')] }];
    case 'any_valid_service_token':
      return [{ serviceToken: 'any-token' }];
    case 'service_token':
      return [{ serviceToken: s('token_id') }];
    case 'certificate':
      return [{ certificate: true }];
    case 'common_name':
      return [{ certificate: true, commonName: s('common_name') }];
    case 'device_posture':
      return [{ devicePosture: [s('integration_uid')] }];
    case 'auth_method':
      return [{ authMethods: [s('auth_method')] }];
    case 'login_method':
      return [{ loginMethod: s('id') }];
    case 'azureAD':
    case 'okta':
    case 'gsuite':
      return [via({ idpGroups: [s(key === 'okta' ? 'name' : key === 'gsuite' ? 'email' : 'id')] })];
    case 'github-organization':
      return [via({ githubTeams: [s('team') ? `${s('name')}/${s('team')}` : s('name')] })];
    case 'saml':
      return [via({ samlAttributes: { [s('attribute_name')]: [s('attribute_value')] } })];
    case 'oidc':
      return [via({ oidcClaims: { [s('claim_name')]: [s('claim_value')] } })];
    case 'auth_context':
      return [via({ authContexts: [s('id')] })];
    case 'external_evaluation':
      return [{ externalEvaluations: [s('evaluate_url')] }];
    case 'linked_app_token':
      return [{ linkedAppToken: s('app_uid') }];
    case 'user_risk_score': {
      const v = b.user_risk_score;
      return (Array.isArray(v) ? v : [v]).map((r) => ({ riskScore: String(r) as Identity['riskScore'] }));
    }
    case 'cloudflare_account_member':
      return [{ accountMember: true }];
    default:
      return [];
  }
}

/** Two facts together: lists joined, attribute maps merged, single values from the second. */
function merge(a: Identity, b: Identity): Identity {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (Array.isArray(v) && Array.isArray(prev)) out[k] = [...new Set([...prev, ...v])];
    else if (v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object') {
      const m: Record<string, string[]> = { ...(prev as Record<string, string[]>) };
      for (const [n, vals] of Object.entries(v as Record<string, string[]>))
        m[n] = [...(m[n] ?? []), ...vals];
      out[k] = m;
    } else out[k] = v;
  }
  return out as Identity;
}

/** mulberry32: a small deterministic generator, so a proof always checks the same identities. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The values the members of a list with known items name, by list (a proof asks for the same lists app after app):
 * every member email, or both ends of every member CIDR and the addresses just outside it.
 */
const memberValues = new WeakMap<WireList, string[]>();

function valuesOf(list: WireList, kind: 'ip_list' | 'email_list'): string[] {
  let values = memberValues.get(list);
  if (values === undefined) {
    values = list.items.flatMap((i) => (kind === 'email_list' ? [i.value] : cidrBoundaries(i.value)));
    memberValues.set(list, values);
  }
  return values;
}

/**
 * The facts the members of a list with known items name (`lists`: the document's lists, which rules name as
 * `$ref:ip_list:<name>`): both ends of every member CIDR and the addresses just outside it, every member email.
 */
function memberFacts(rule: WireRule, lists: readonly WireList[]): Fact[] {
  for (const kind of ['ip_list', 'email_list'] as const) {
    const id = rule[kind]?.id;
    if (typeof id !== 'string' || !isPlaceholder(id)) continue;
    const name = refFromWire(kind, id).name;
    const list = lists.find((l) => l.name === name && (l.type === 'EMAIL') === (kind === 'email_list'));
    if (!list) return [];
    return valuesOf(list, kind).map((v): Fact => (kind === 'email_list' ? { email: v } : { ip: v }));
  }
  return [];
}

/** The distinct facts the rules name, in order, until there are `stop` of them. */
function collectFacts(rules: readonly WireRule[], lists: readonly WireList[], stop: number): Fact[] {
  const seen = new Set<string>();
  const facts: Fact[] = [];
  for (const rule of rules) {
    for (const f of [...factsOf(rule), ...memberFacts(rule, lists)]) {
      const k = JSON.stringify(f);
      if (!seen.has(k)) {
        seen.add(k);
        facts.push(f);
      }
    }
    if (facts.length >= stop) break;
  }
  return facts;
}

/** Every distinct fact the rules name (with `lists`' members), in the order `identitiesFor` uses them. */
export function identityFacts(rules: readonly WireRule[], lists: readonly WireList[] = []): Identity[] {
  return collectFacts(rules, lists, Number.POSITIVE_INFINITY);
}

/**
 * The identities to check decisions that depend on these rules on (at most `limit`); `lists`, the lists whose
 * members are known, add their members' values.
 */
export function identitiesFor(
  rules: readonly WireRule[],
  limit = 2000,
  lists: readonly WireList[] = [],
): Identity[] {
  // The answer starts with the empty identity and the facts: once there are `limit` facts, the ones after them
  // (and the mixes) are cut off, so they are not worked out (lists of thousands of items name thousands each).
  const facts = collectFacts(rules, lists, limit > 0 ? limit : Number.POSITIVE_INFINITY);
  if (limit > 0 && facts.length >= limit) return [{}, ...facts].slice(0, limit);
  const out: Identity[] = [{}, ...facts];
  if (facts.length > 0) out.push(facts.reduce(merge, {}));
  const pairs = facts.length <= 60;
  if (pairs)
    for (let i = 0; i < facts.length; i++)
      for (let j = i + 1; j < facts.length; j++) out.push(merge(facts[i] as Fact, facts[j] as Fact));
  const next = random(0x5eed ^ facts.length);
  const mixes = Math.max(0, Math.min(limit - out.length, 100 + 5 * facts.length));
  for (let i = 0; i < mixes; i++) {
    const p = [0.1, 0.25, 0.5][i % 3] as number;
    out.push(facts.filter(() => next() < p).reduce(merge, {}));
  }
  return out.slice(0, limit);
}
