import type { Atom, AtomValue, Ref, RefKind } from '../model/formula.js';
import { refKey } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { selectorByName } from '../selectors/table.js';
import type { Literal } from './types.js';

/** The display name of an account object the rules refer to by key (an id, or the name the code gives). */
export type NameOf = (kind: RefKind, key: string) => string | undefined;

const tick = (s: string): string => `\`${s}\``;

/** "a", "a or b", "a, b or c". */
function either(values: readonly string[], word: 'or' | 'and'): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} ${word} ${values[values.length - 1]}`;
}

/**
 * How a selector reads in a description, matched (`yes`) or not (`no`), given its values in words. Selectors that
 * can repeat one parameter (`country("KP", "IR")`) merge their literals: `values` holds one entry per literal.
 */
interface Phrasing {
  yes(values: string[]): string;
  no(values: string[]): string;
}

const PHRASES: Readonly<Record<string, Phrasing>> = {
  everyone: { yes: () => 'anyone', no: () => 'no one' },
  email: {
    yes: (v) => `is ${either(v, 'or')}`,
    no: (v) => `is not ${either(v, 'or')}`,
  },
  email_domain: {
    yes: (v) => `has an email address at ${either(v, 'or')}`,
    no: (v) => `has no email address at ${either(v, 'or')}`,
  },
  email_list: {
    yes: (v) => `is in email list ${either(v, 'or')}`,
    no: (v) => `is in no email list ${either(v, 'or')}`,
  },
  ip: { yes: (v) => `comes from ${either(v, 'or')}`, no: (v) => `comes from outside ${either(v, 'and')}` },
  ip_list: {
    yes: (v) => `comes from IP list ${either(v, 'or')}`,
    no: (v) => `comes from outside IP list ${either(v, 'and')}`,
  },
  country: {
    yes: (v) => `comes from ${either(v, 'or')}`,
    no: (v) => `comes from a country other than ${either(v, 'and')}`,
  },
  group: { yes: (v) => `is in group ${either(v, 'or')}`, no: (v) => `is in no group ${either(v, 'or')}` },
  any_service_token: {
    yes: () => 'presents a valid service token',
    no: () => 'presents no service token',
  },
  service_token: {
    yes: (v) => `presents service token ${either(v, 'or')}`,
    no: (v) => `presents no service token ${either(v, 'or')}`,
  },
  certificate: { yes: () => 'presents a client certificate', no: () => 'presents no client certificate' },
  common_name: {
    yes: (v) => `has certificate name ${either(v, 'or')}`,
    no: (v) => `has no certificate name ${either(v, 'or')}`,
  },
  device_posture: {
    yes: (v) => `passes device check ${either(v, 'and')}`,
    no: (v) => `fails device check ${either(v, 'and')}`,
  },
  auth_method: {
    yes: (v) => `signs in using ${either(v, 'and')}`,
    no: (v) => `signs in without ${either(v, 'or')}`,
  },
  login_method: {
    yes: (v) => `logs in with ${either(v, 'or')}`,
    no: (v) => `does not log in with ${either(v, 'or')}`,
  },
  user_risk_score: {
    yes: (v) => `has risk score ${either(v, 'or')}`,
    no: (v) => `has a risk score other than ${either(v, 'and')}`,
  },
  linked_app_token: {
    yes: (v) => `presents a token of app ${either(v, 'or')}`,
    no: (v) => `presents no token of app ${either(v, 'or')}`,
  },
  cloudflare_account_member: {
    yes: () => 'is a member of the Cloudflare account',
    no: () => 'is not a member of the Cloudflare account',
  },
};

/**
 * Selectors whose leading arguments (the IdP, an attribute name) stay fixed while the last one varies: phrased with
 * those leading arguments (`head`) as words.
 */
const HEADED: Readonly<Record<string, (head: string[], values: string[], positive: boolean) => string>> = {
  azure_group: (h, v, yes) => `is in ${yes ? '' : 'no '}${h[0]} group ${either(v, 'or')}`,
  gsuite_group: (h, v, yes) => `is in ${yes ? '' : 'no '}${h[0]} group ${either(v, 'or')}`,
  okta_group: (h, v, yes) => `is in ${yes ? '' : 'no '}${h[0]} group ${either(v, 'or')}`,
  github_org: (h, v, yes) =>
    h.length === 1
      ? `is in ${yes ? '' : 'no '}GitHub organization ${either(v, 'or')} (${h[0]})`
      : `is in ${yes ? '' : 'no '}team ${either(v, 'or')} of GitHub organization ${h[1]} (${h[0]})`,
  saml: (h, v, yes) => `has ${yes ? '' : 'no '}SAML attribute ${h[1]} = ${either(v, 'or')} (${h[0]})`,
  oidc: (h, v, yes) => `has ${yes ? '' : 'no '}OIDC claim ${h[1]} = ${either(v, 'or')} (${h[0]})`,
  external_evaluation: (h, _v, yes) =>
    `is ${yes ? '' : 'not '}approved by the external evaluation at ${h[0]}`,
};

/** A value of an atom in words: a quoted literal, or an account object by its display name. */
function valueText(v: AtomValue, kind: RefKind | undefined, names: NameOf): string {
  if (typeof v === 'string') return tick(v);
  if (Array.isArray(v)) return v.map(tick).join(', ');
  const ref = v as Ref;
  const key = refKey(ref);
  return tick(names(ref.kind ?? kind ?? 'group', key) ?? ref.name ?? key);
}

/** The atom's arguments in selector order; the last one is the value that merges. */
function argTexts(atom: Atom, names: NameOf): string[] {
  const spec = selectorByName(atom.sel);
  if (!spec) return Object.values(atom.args).map((v) => valueText(v, undefined, names));
  return spec.params.flatMap((p) => {
    const v = atom.args[p.field];
    if (v === undefined) return [];
    const kind = p.type.kind === 'ref' ? p.type.ref : p.type.kind === 'idp' ? 'idp' : undefined;
    return [valueText(v, kind, names)];
  });
}

/**
 * A conjunction of literals in words. Literals of one selector and one polarity merge into one phrase (`from a
 * country other than KP, IR and SY`); selectors the table does not phrase read as the language writes them.
 */
export function phraseLiterals(literals: readonly Literal[], names: NameOf): string {
  if (literals.length === 0) return 'anyone';
  const groups = new Map<string, { sel: string; positive: boolean; head: string[]; values: string[] }>();
  for (const lit of literals) {
    for (const atom of lit.atoms) {
      const args = argTexts(atom, names);
      const head = args.slice(0, -1);
      const key = `${lit.positive}|${atom.sel}|${head.join(',')}`;
      const found = groups.get(key);
      const value = args[args.length - 1];
      if (found) {
        if (value !== undefined && !found.values.includes(value)) found.values.push(value);
      } else
        groups.set(key, {
          sel: atom.sel,
          positive: lit.positive,
          head,
          values: value !== undefined ? [value] : [],
        });
    }
  }
  const parts: string[] = [];
  for (const g of groups.values()) {
    const phrasing = g.head.length === 0 ? PHRASES[g.sel] : undefined;
    const headed = g.head.length > 0 ? HEADED[g.sel] : undefined;
    if (phrasing) parts.push(g.positive ? phrasing.yes(g.values) : phrasing.no(g.values));
    else if (headed) parts.push(headed(g.head, g.values, g.positive));
    else {
      const call = `${g.sel}(${[...g.head, either(g.values, g.positive ? 'or' : 'and')].join(', ')})`;
      parts.push(g.positive ? `matches ${call}` : `does not match ${call}`);
    }
  }
  return parts.join(', ');
}

/** The identity with its account-object keys replaced by display names, for showing it (never for evaluating). */
export function namedIdentity(identity: Identity, names: NameOf): Identity {
  const one = (kind: RefKind, key: string): string => names(kind, key) ?? key;
  const many = (kind: RefKind, keys: string[] | undefined) => keys?.map((k) => one(kind, k));
  const out: Identity = { ...identity };
  if (identity.loginMethod !== undefined) out.loginMethod = one('idp', identity.loginMethod);
  if (identity.serviceToken !== undefined) out.serviceToken = one('service_token', identity.serviceToken);
  if (identity.linkedAppToken !== undefined) out.linkedAppToken = one('app', identity.linkedAppToken);
  const lists: [keyof Identity, RefKind][] = [
    ['devicePosture', 'device_posture'],
    ['accessGroups', 'group'],
    ['emailLists', 'email_list'],
    ['ipLists', 'ip_list'],
  ];
  for (const [field, kind] of lists) {
    const named = many(kind, identity[field] as string[] | undefined);
    if (named) (out as Record<string, unknown>)[field] = named;
  }
  return out;
}
