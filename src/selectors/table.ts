import type { Decision } from '../model/decision.js';
import type { Atom, AtomValue, Ref, RefKind } from '../model/formula.js';
import { refKey } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import type { IdpType } from '../model/project.js';
import { hasMember, inSomeBlock } from './members.js';
import { cidrContains, type ValueKind } from './values.js';

/** How one positional argument of a selector is written and where it goes in the wire rule. */
export type ParamType =
  /** A value checked and canonicalised by `checkValue`. */
  | { kind: 'value'; value: ValueKind }
  /** An account object named by a string (or `id("…")`), resolved to an id at deploy time. */
  | { kind: 'ref'; ref: RefKind }
  /** An IdP declared with `idp NAME = …`, written as the bare NAME. */
  | { kind: 'idp' };

export interface ParamSpec {
  /** Field name inside the wire rule object, e.g. `country_code`. */
  field: string;
  /** Name shown in docs and messages, e.g. `code`. */
  label: string;
  type: ParamType;
  optional?: boolean;
}

/**
 * One entry per Cloudflare Access rule type. Parser, resolver, compiler, evaluators, analysis, importer and docs all
 * read this table, so a new rule type is one entry here.
 */
export interface SelectorSpec {
  /** Name in the language, e.g. `country`. */
  name: string;
  /** Key of the wire rule object, e.g. `geo` in `{ "geo": { "country_code": "US" } }`. */
  wireKey: string;
  summary: string;
  params: ParamSpec[];
  /**
   * `expand`: the last parameter may be repeated, `email("a@x.com", "b@x.com")`, meaning any of them (one rule each);
   * `list`: the last parameter is a set carried by one rule (`user_risk_score`).
   */
  repeat?: 'expand' | 'list';
  /** The IdP types the first (`idp`) parameter must have. */
  idpTypes?: IdpType[];
  /** The decisions the API accepts this selector with (all when absent). */
  decisions?: Decision[];
  /** Whether it reads the user's identity, which Access does not evaluate for bypass and service_auth. */
  identity: boolean;
  /** Which identity attribute(s) it reads, for docs and witnesses. */
  reads: string;
  /** Whether the API value is a single fixed object (`{}`) with no parameters. */
  nullary?: boolean;
  /** Whether `identity` satisfies this selector with these canonical arguments. */
  match(args: Record<string, AtomValue>, identity: Identity): boolean;
}

const value = (field: string, label: string, kind: ValueKind, optional = false): ParamSpec => ({
  field,
  label,
  type: { kind: 'value', value: kind },
  ...(optional ? { optional } : {}),
});
const ref = (field: string, label: string, kind: RefKind): ParamSpec => ({
  field,
  label,
  type: { kind: 'ref', ref: kind },
});
const idp: ParamSpec = { field: 'identity_provider_id', label: 'idp', type: { kind: 'idp' } };

const str = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return typeof v === 'string' ? v : '';
};
const key = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? refKey(v as Ref) : '';
};
/** The members of a list declared in code that a list selector names (`undefined` for an account list). */
const members = (args: Record<string, AtomValue>, field: string): readonly string[] | undefined => {
  const v = args[field];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? (v as Ref).members : undefined;
};
const has = (list: readonly string[] | undefined, item: string): boolean => list?.includes(item) ?? false;
const loggedInWith = (args: Record<string, AtomValue>, id: Identity): boolean =>
  id.loginMethod !== undefined && id.loginMethod === key(args, 'identity_provider_id');

export const SELECTORS: readonly SelectorSpec[] = [
  {
    name: 'everyone',
    wireKey: 'everyone',
    summary: 'matches every request',
    params: [],
    nullary: true,
    identity: false,
    reads: 'nothing',
    match: () => true,
  },
  {
    name: 'email',
    wireKey: 'email',
    summary: 'a specific email address',
    params: [value('email', 'address', 'email')],
    repeat: 'expand',
    identity: true,
    reads: 'email',
    match: (a, id) => id.email === str(a, 'email'),
  },
  {
    name: 'email_domain',
    wireKey: 'email_domain',
    summary: 'every email address of a domain',
    params: [value('domain', 'domain', 'domain')],
    repeat: 'expand',
    identity: true,
    reads: 'email',
    match: (a, id) => id.email?.endsWith(`@${str(a, 'domain')}`) ?? false,
  },
  {
    name: 'email_list',
    wireKey: 'email_list',
    summary: 'an email address in an account email list',
    params: [ref('id', 'list', 'email_list')],
    repeat: 'expand',
    identity: true,
    reads: 'emailLists',
    // A list declared in code decides on its members, as Access does on the list's items; an account list by name.
    match: (a, id) => {
      const m = members(a, 'id');
      return m ? id.email !== undefined && hasMember(m, id.email) : has(id.emailLists, key(a, 'id'));
    },
  },
  {
    name: 'ip',
    wireKey: 'ip',
    summary: 'a source IP in a CIDR block (v4 or v6)',
    params: [value('ip', 'cidr', 'cidr')],
    repeat: 'expand',
    identity: false,
    reads: 'ip',
    match: (a, id) => id.ip !== undefined && cidrContains(str(a, 'ip'), id.ip),
  },
  {
    name: 'ip_list',
    wireKey: 'ip_list',
    summary: 'a source IP in an account IP list',
    params: [ref('id', 'list', 'ip_list')],
    repeat: 'expand',
    identity: false,
    reads: 'ipLists',
    match: (a, id) => {
      const m = members(a, 'id');
      return m ? id.ip !== undefined && inSomeBlock(m, id.ip) : has(id.ipLists, key(a, 'id'));
    },
  },
  {
    name: 'country',
    wireKey: 'geo',
    summary: 'the country the request comes from (ISO 3166-1 alpha-2)',
    params: [value('country_code', 'code', 'country')],
    repeat: 'expand',
    identity: false,
    reads: 'country',
    match: (a, id) => id.country === str(a, 'country_code'),
  },
  {
    name: 'group',
    wireKey: 'group',
    summary: 'an Access group (defined in code, or `extern` in the account)',
    params: [ref('id', 'group', 'group')],
    repeat: 'expand',
    identity: false,
    reads: 'accessGroups',
    match: (a, id) => has(id.accessGroups, key(a, 'id')),
  },
  {
    name: 'any_service_token',
    wireKey: 'any_valid_service_token',
    summary: 'any valid service token of the account',
    params: [],
    nullary: true,
    identity: false,
    reads: 'serviceToken',
    match: (_a, id) => id.serviceToken !== undefined,
  },
  {
    name: 'service_token',
    wireKey: 'service_token',
    summary: 'a specific service token',
    params: [ref('token_id', 'token', 'service_token')],
    repeat: 'expand',
    identity: false,
    reads: 'serviceToken',
    match: (a, id) => id.serviceToken !== undefined && id.serviceToken === key(a, 'token_id'),
  },
  {
    name: 'certificate',
    wireKey: 'certificate',
    summary: 'any valid client certificate (mTLS)',
    params: [],
    nullary: true,
    identity: false,
    reads: 'certificate',
    match: (_a, id) => id.certificate === true,
  },
  {
    name: 'common_name',
    wireKey: 'common_name',
    summary: 'the common name of the client certificate',
    params: [value('common_name', 'cn', 'text')],
    repeat: 'expand',
    identity: false,
    reads: 'commonName',
    match: (a, id) => id.commonName === str(a, 'common_name'),
  },
  {
    name: 'device_posture',
    wireKey: 'device_posture',
    summary: 'a device posture check that passed',
    params: [ref('integration_uid', 'check', 'device_posture')],
    repeat: 'expand',
    // Not identity-based: Cloudflare's list of identity-based selectors (emails, emails ending in, login methods,
    // authentication method, IdP group, SAML group, OIDC claim, external evaluation) leaves device posture out, and
    // it is re-checked on every request rather than at login. Source: developers.cloudflare.com/cloudflare-one/
    // policies/access/ ("Selectors"), cloudflare/cloudflare-docs src/content/docs/cloudflare-one/policies/access/index.mdx.
    identity: false,
    reads: 'devicePosture',
    match: (a, id) => has(id.devicePosture, key(a, 'integration_uid')),
  },
  {
    name: 'auth_method',
    wireKey: 'auth_method',
    summary: 'an authentication method used at login (RFC 8176), e.g. `mfa`',
    params: [value('auth_method', 'method', 'auth_method')],
    repeat: 'expand',
    identity: true,
    reads: 'authMethods',
    match: (a, id) => has(id.authMethods, str(a, 'auth_method')),
  },
  {
    name: 'login_method',
    wireKey: 'login_method',
    summary: 'the identity provider the user logged in with',
    params: [{ field: 'id', label: 'idp', type: { kind: 'idp' } }],
    repeat: 'expand',
    identity: true,
    reads: 'loginMethod',
    match: (a, id) => id.loginMethod !== undefined && id.loginMethod === key(a, 'id'),
  },
  {
    name: 'azure_group',
    wireKey: 'azureAD',
    summary: 'an Azure AD group (by object id)',
    params: [idp, value('id', 'group id', 'text')],
    repeat: 'expand',
    idpTypes: ['azure'],
    identity: true,
    reads: 'loginMethod, idpGroups',
    match: (a, id) => loggedInWith(a, id) && has(id.idpGroups, str(a, 'id')),
  },
  {
    name: 'github_org',
    wireKey: 'github-organization',
    summary: 'a GitHub organization, optionally one team of it',
    params: [idp, value('name', 'org', 'text'), value('team', 'team', 'text', true)],
    idpTypes: ['github'],
    identity: true,
    reads: 'loginMethod, githubTeams',
    match: (a, id) => {
      if (!loggedInWith(a, id)) return false;
      const org = str(a, 'name');
      const team = str(a, 'team');
      return team
        ? has(id.githubTeams, `${org}/${team}`)
        : (id.githubTeams ?? []).some((t) => t.split('/')[0] === org);
    },
  },
  {
    name: 'gsuite_group',
    wireKey: 'gsuite',
    summary: 'a Google Workspace group (by group email)',
    params: [idp, value('email', 'group email', 'email')],
    repeat: 'expand',
    idpTypes: ['google_workspace'],
    identity: true,
    reads: 'loginMethod, idpGroups',
    match: (a, id) => loggedInWith(a, id) && has(id.idpGroups, str(a, 'email')),
  },
  {
    name: 'okta_group',
    wireKey: 'okta',
    summary: 'an Okta group (by name)',
    params: [idp, value('name', 'group', 'text')],
    repeat: 'expand',
    idpTypes: ['okta'],
    identity: true,
    reads: 'loginMethod, idpGroups',
    match: (a, id) => loggedInWith(a, id) && has(id.idpGroups, str(a, 'name')),
  },
  {
    name: 'saml',
    wireKey: 'saml',
    summary: 'a SAML attribute value',
    params: [idp, value('attribute_name', 'attribute', 'text'), value('attribute_value', 'value', 'text')],
    repeat: 'expand',
    idpTypes: ['saml', 'okta', 'onelogin', 'pingone', 'centrify', 'azure'],
    identity: true,
    reads: 'loginMethod, samlAttributes',
    match: (a, id) =>
      loggedInWith(a, id) && has(id.samlAttributes?.[str(a, 'attribute_name')], str(a, 'attribute_value')),
  },
  {
    name: 'oidc',
    wireKey: 'oidc',
    summary: 'an OIDC claim value',
    params: [idp, value('claim_name', 'claim', 'text'), value('claim_value', 'value', 'text')],
    repeat: 'expand',
    idpTypes: ['oidc', 'okta', 'onelogin', 'pingone', 'centrify', 'azure'],
    identity: true,
    reads: 'loginMethod, oidcClaims',
    match: (a, id) =>
      loggedInWith(a, id) && has(id.oidcClaims?.[str(a, 'claim_name')], str(a, 'claim_value')),
  },
  {
    name: 'auth_context',
    wireKey: 'auth_context',
    summary: 'an Azure authentication context',
    params: [idp, value('id', 'id', 'text'), value('ac_id', 'ac_id', 'text')],
    idpTypes: ['azure'],
    identity: true,
    reads: 'loginMethod, authContexts',
    match: (a, id) => loggedInWith(a, id) && has(id.authContexts, str(a, 'id')),
  },
  {
    name: 'external_evaluation',
    wireKey: 'external_evaluation',
    summary: 'an external evaluation endpoint that answers allow',
    params: [value('evaluate_url', 'evaluate_url', 'url'), value('keys_url', 'keys_url', 'url')],
    decisions: ['allow', 'deny'],
    identity: true,
    reads: 'externalEvaluations',
    match: (a, id) => has(id.externalEvaluations, str(a, 'evaluate_url')),
  },
  {
    name: 'linked_app_token',
    wireKey: 'linked_app_token',
    summary: 'an OAuth token issued by an Access OIDC SaaS application',
    params: [ref('app_uid', 'app', 'app')],
    repeat: 'expand',
    decisions: ['non_identity', 'bypass'],
    identity: false,
    reads: 'linkedAppToken',
    match: (a, id) => id.linkedAppToken !== undefined && id.linkedAppToken === key(a, 'app_uid'),
  },
  {
    name: 'user_risk_score',
    wireKey: 'user_risk_score',
    summary: 'the user risk score level (low, medium, high, unscored)',
    params: [value('user_risk_score', 'level', 'risk_level')],
    repeat: 'list',
    identity: true,
    reads: 'riskScore',
    match: (a, id) => {
      const levels = a.user_risk_score;
      return id.riskScore !== undefined && Array.isArray(levels) && levels.includes(id.riskScore);
    },
  },
  {
    name: 'cloudflare_account_member',
    wireKey: 'cloudflare_account_member',
    summary: 'a member of the Cloudflare account',
    params: [],
    nullary: true,
    identity: true,
    reads: 'accountMember',
    match: (_a, id) => id.accountMember === true,
  },
];

const BY_NAME = new Map(SELECTORS.map((s) => [s.name, s]));
const BY_WIRE_KEY = new Map(SELECTORS.map((s) => [s.wireKey, s]));

export function selectorByName(name: string): SelectorSpec | undefined {
  return BY_NAME.get(name);
}

export function selectorByWireKey(wireKey: string): SelectorSpec | undefined {
  return BY_WIRE_KEY.get(wireKey);
}

/** Whether an atom (canonical arguments) matches an identity. */
export function atomMatches(atom: Atom, identity: Identity): boolean {
  const spec = BY_NAME.get(atom.sel);
  return spec ? spec.match(atom.args, identity) : false;
}
