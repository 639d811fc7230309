import ipaddr from 'ipaddr.js';
import type { Identity } from '../model/identity.js';
import { COUNTRY_CODES, RISK_LEVELS } from '../selectors/values.js';
import type { PathReading } from './layout.js';
import { type Codebook, type FreeKind, NO_DOMAIN, type Theory } from './theory.js';

/** Attributes every request has, mentioned by the formulas of a question (a bit set). */
export type Mentions = number;
export const MENTIONS_IP = 1;
export const MENTIONS_RISK = 2;

/**
 * A satisfying path, read by the layout, as a minimal readable `Identity`.
 *
 * Attributes the path does not test stay absent. A single-valued attribute the path tests without selecting a
 * coded value gets a fresh value that no atom mentions (a country, a domain, a local part, a token), which every
 * atom treats exactly like the uncoded value the path selects; so `evaluateFormula` decides the witness as the
 * BDD does. Codes only grow, so a reading taken under an older layout still decodes correctly.
 */
export function identityOf(r: PathReading, theory: Theory, mentions: Mentions = 0): Identity {
  const id: Identity = {};
  // A service-token request carries no user identity (see theory.ts): no email, no login.
  if (!r.serviceToken && r.domains.touched) {
    const domain = r.domains.value ?? fresh((n) => PREFERRED_DOMAINS[n] ?? `example${n}.com`, theory.domains);
    id.email =
      r.emails.value ??
      fresh((n) => {
        const local = n === 0 ? 'user' : `user${n + 1}`;
        return domain === NO_DOMAIN ? local : `${local}@${domain}`;
      }, theory.locals.get(domain));
  }
  if (r.countries.value !== undefined) id.country = r.countries.value;
  else if (r.countries.touched) {
    const unused = (c: string): boolean => !theory.countries.has(c);
    const pick = PREFERRED_COUNTRIES.find(unused) ?? allCountries().find(unused);
    if (pick !== undefined) id.country = pick;
  }
  // Every request has a source IP; one the path does not constrain is any address (the first one read).
  if (r.ip) id.ip = ipaddr.fromByteArray(r.ip).toString();
  else if (mentions & MENTIONS_IP) id.ip = '0.0.0.1';
  if (!r.serviceToken && r.logins.value !== undefined) id.loginMethod = r.logins.value;

  const lists = new Map<FreeKind, string[]>();
  // Null prototypes: `match` indexes these maps by attribute name, which may be `constructor`.
  const saml: Record<string, string[]> = Object.create(null);
  const oidc: Record<string, string[]> = Object.create(null);
  let hasSaml = false;
  let hasOidc = false;
  const orgs: string[] = [];
  const teams: string[] = [];
  for (const fv of r.free) {
    switch (fv.kind) {
      case 'saml':
        hasSaml = true;
        saml[fv.name] = [...(saml[fv.name] ?? []), fv.value];
        break;
      case 'oidc':
        hasOidc = true;
        oidc[fv.name] = [...(oidc[fv.name] ?? []), fv.value];
        break;
      case 'githubOrg':
        orgs.push(fv.name);
        break;
      case 'githubTeam':
        teams.push(fv.name);
        break;
      default:
        lists.set(fv.kind, [...(lists.get(fv.kind) ?? []), fv.name]);
    }
  }
  const list = (kind: FreeKind): string[] | undefined => lists.get(kind);

  const idpGroups = list('idpGroup');
  if (idpGroups) id.idpGroups = idpGroups;
  // A team membership only counts when its org variable is set too (`team ⇒ org` is how teams are encoded).
  const github = teams.filter((t) => orgs.includes(t.split('/')[0] as string));
  for (const org of orgs) if (!github.some((t) => t.split('/')[0] === org)) github.push(org);
  if (github.length > 0) id.githubTeams = github;
  if (hasSaml) id.samlAttributes = saml;
  if (hasOidc) id.oidcClaims = oidc;
  const authContexts = list('authContext');
  if (authContexts) id.authContexts = authContexts;
  const authMethods = list('authMethod');
  if (authMethods) id.authMethods = authMethods;
  if (r.certificate) {
    id.certificate = true;
    if (r.commonNames.value !== undefined) id.commonName = r.commonNames.value;
  }
  if (r.serviceToken) {
    id.serviceToken =
      r.serviceTokens.value ??
      fresh((n) => (n === 0 ? 'other-token' : `other-token-${n + 1}`), theory.serviceTokens);
  }
  const posture = list('posture');
  if (posture) id.devicePosture = posture;
  // Every user has a risk level; one the path does not constrain is any level (the first).
  if (!r.serviceToken && (r.risk.value !== undefined || mentions & MENTIONS_RISK))
    id.riskScore = (r.risk.value ?? RISK_LEVELS[0]) as NonNullable<Identity['riskScore']>;
  const accessGroups = list('accessGroup');
  if (accessGroups) id.accessGroups = accessGroups;
  const emailLists = list('emailList');
  if (emailLists) id.emailLists = emailLists;
  const ipLists = list('ipList');
  if (ipLists) id.ipLists = ipLists;
  const externalEvaluations = list('externalEvaluation');
  if (externalEvaluations) id.externalEvaluations = externalEvaluations;
  if (r.linkedApps.value !== undefined) id.linkedAppToken = r.linkedApps.value;
  if (list('accountMember')) id.accountMember = true;
  return id;
}

const PREFERRED_COUNTRIES = ['FR', 'DE', 'JP', 'BR', 'CA', 'AU', 'IN', 'NL', 'SE', 'ZA'];
const PREFERRED_DOMAINS = ['example.com', 'example.org', 'example.net'];

/** The first candidate the book has no code for. */
function fresh(candidate: (n: number) => string, book: Codebook | undefined): string {
  for (let n = 0; ; n++) {
    const c = candidate(n);
    if (!book?.has(c)) return c;
  }
}

let countryCodes: string[] | undefined;
const allCountries = (): string[] => {
  countryCodes ??= [...COUNTRY_CODES];
  return countryCodes;
};
