import countries from 'i18n-iso-countries';
import ipaddr from 'ipaddr.js';
import type { Atom, AtomValue, Ref } from '../model/formula.js';
import { refKey } from '../model/formula.js';
import type { Identity } from '../model/identity.js';
import { RISK_LEVELS } from '../selectors/values.js';
import { BDD_FALSE, BDD_TRUE, type Bdd, type Path } from './bdd.js';

/**
 * The theory of selectors: how an atom becomes a BDD over *identity* variables, and how a satisfying path becomes a
 * concrete `Identity`.
 *
 * Attributes that hold one value per request are finite domains with a binary (log) encoding: a domain of width
 * `w` owns `w` variables, each distinct value seen gets a code `1 .. 2^w-1`, and code 0 (or any code not given out)
 * means "none of the values mentioned". Mutual exclusion of `country("US")` and `country("DE")` is then structural,
 * so no theory constraint has to be conjoined with a query. An email is its domain's code plus a code local to
 * that domain, so `email ⇒ email_domain` is structural too. The source IP is encoded as its bits (plus a presence
 * and a family bit), so CIDR containment, disjointness and covering (`/9 ∪ /9 = /8`) are exact for free.
 *
 * Codes are permanent (`Theory`); variable positions are not (`Layout`). Widths are kept small (shorter BDDs) and
 * sized from the values seen so far with room to double; a new value that does not fit throws `LayoutTooNarrow`,
 * and the engine moves to a wider layout on a fresh BDD manager and asks again.
 *
 * Modelling choices (the selectors' meaning beyond what `match` checks alone):
 * - A service-token request carries no user identity: `any_service_token` excludes `email`, `email_domain`,
 *   `login_method` and every IdP-bound selector. Encoded by guarding those atoms with "no service token".
 * - `common_name(x)` implies `certificate`. An IdP-bound selector (`azure_group`, `github_org`, `gsuite_group`,
 *   `okta_group`, `saml`, `oidc`, `auth_context`) is `login_method(idp) ∧ <membership>`; memberships are free.
 * - `github_org(idp, org, team)` implies `github_org(idp, org)`.
 * Everything else (account groups, lists, posture, auth methods, external evaluation, account member) is a free
 * variable keyed by exactly what `match` compares, so atoms the evaluator cannot tell apart share a variable.
 *
 * INVARIANT: atoms are canonical (`checkValue`): email values contain one `@` and domains none. For other values
 * the encoding still never contradicts `match` on emails without `@`, but domains containing `@` are not modelled.
 */

/** Thrown when a domain would need more than 2^30 values. */
export class TheoryLimitExceeded extends Error {
  constructor(readonly domain: string) {
    super(`too many distinct values for ${domain}`);
    this.name = 'TheoryLimitExceeded';
  }
}

/** Thrown when a new value has no code in the current layout: move to `theory.layout(...)` and retry. */
export class LayoutTooNarrow extends Error {
  constructor(readonly domain: string) {
    super(`layout too narrow for ${domain}`);
    this.name = 'LayoutTooNarrow';
  }
}

/** Every selector of `src/selectors/table.ts` the theory gives a meaning to (a test checks the table is covered). */
export const THEORY_SELECTORS: ReadonlySet<string> = new Set([
  'everyone',
  'email',
  'email_domain',
  'email_list',
  'ip',
  'ip_list',
  'country',
  'group',
  'any_service_token',
  'service_token',
  'certificate',
  'common_name',
  'device_posture',
  'auth_method',
  'login_method',
  'azure_group',
  'github_org',
  'gsuite_group',
  'okta_group',
  'saml',
  'oidc',
  'auth_context',
  'external_evaluation',
  'linked_app_token',
  'user_risk_score',
  'cloudflare_account_member',
]);

/** The domain of an email address that has no `@` (no `email_domain` can match it). */
const NO_DOMAIN = '\u0000';

const str = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return typeof v === 'string' ? v : '';
};
const key = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? refKey(v as Ref) : '';
};
const domainOf = (email: string): string => {
  const at = email.lastIndexOf('@');
  return at < 0 ? NO_DOMAIN : email.slice(at + 1);
};

/** The permanent codes of one single-valued attribute: value ↔ code, code 0 meaning "no value". */
class Codebook {
  private readonly codes = new Map<string, number>();
  private readonly values: string[] = [''];

  get size(): number {
    return this.values.length - 1;
  }

  has(value: string): boolean {
    return this.codes.has(value);
  }

  code(value: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(value, c);
      this.values.push(value);
    }
    return c;
  }

  /** The value with this code (`undefined`: no value, or a code not given out). */
  valueOf(code: number): string | undefined {
    return code > 0 && code < this.values.length ? this.values[code] : undefined;
  }
}

/** Bits for codes `0 .. size` with room for as many new values again (at least 2 bits). */
function widthFor(name: string, size: number): number {
  const width = Math.max(2, Math.ceil(Math.log2(2 * (size + 1))));
  if (width > 30) throw new TheoryLimitExceeded(name);
  return width;
}

/** A finite domain in one layout: `width` consecutive variables from `first`, most significant bit first. */
class Field {
  constructor(
    readonly name: string,
    readonly first: number,
    readonly width: number,
  ) {}

  /** The function "the code is `code`". */
  eq(bdd: Bdd, code: number): number {
    if (code >= 2 ** this.width) throw new LayoutTooNarrow(this.name);
    let n = BDD_TRUE;
    for (let i = this.width - 1; i >= 0; i--) {
      const bit = (code >>> (this.width - 1 - i)) & 1;
      n = bit ? bdd.node(this.first + i, BDD_FALSE, n) : bdd.node(this.first + i, n, BDD_FALSE);
    }
    return n;
  }
}

type FreeKind =
  | 'accessGroup'
  | 'emailList'
  | 'ipList'
  | 'posture'
  | 'authMethod'
  | 'idpGroup'
  | 'githubOrg'
  | 'githubTeam'
  | 'saml'
  | 'oidc'
  | 'authContext'
  | 'externalEvaluation'
  | 'accountMember';

interface FreeVar {
  kind: FreeKind;
  name: string;
  value: string;
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
  countryCodes ??= Object.keys(countries.getAlpha2Codes()).sort();
  return countryCodes;
};

/** Everything the engine has seen: codes of single-valued attributes and free variables. Never shrinks. */
export class Theory {
  readonly serviceTokens = new Codebook();
  readonly logins = new Codebook();
  readonly domains = new Codebook();
  /** Email addresses, coded per domain. */
  readonly locals = new Map<string, Codebook>();
  readonly countries = new Codebook();
  readonly risk = new Codebook();
  readonly linkedApps = new Codebook();
  readonly commonNames = new Codebook();
  readonly freeVars: FreeVar[] = [];
  private readonly freeIndex = new Map<string, number>();

  constructor() {
    for (const level of RISK_LEVELS) this.risk.code(level);
  }

  localBook(domain: string): Codebook {
    let book = this.locals.get(domain);
    if (!book) {
      book = new Codebook();
      this.locals.set(domain, book);
    }
    return book;
  }

  /** The index of a free variable (its position after a layout's fixed variables). */
  free(kind: FreeKind, name: string, value: string): number {
    const k = `${kind}\u0000${name}\u0000${value}`;
    let i = this.freeIndex.get(k);
    if (i === undefined) {
      i = this.freeVars.length;
      this.freeIndex.set(k, i);
      this.freeVars.push({ kind, name, value });
    }
    return i;
  }

  /** A layout sized for the values seen so far, building on `bdd`. */
  layout(bdd: Bdd): Layout {
    return new Layout(this, bdd);
  }
}

/** Variable positions for one BDD manager: encodes atoms and decodes paths. */
export class Layout {
  private next = 0;
  private readonly serviceTokenVar: number;
  private readonly serviceTokens: Field;
  private readonly logins: Field;
  private readonly domains: Field;
  private readonly locals: Field;
  private readonly countries: Field;
  private readonly risk: Field;
  private readonly ipPresentVar: number;
  private readonly ipV6Var: number;
  private readonly ipV4First: number;
  private readonly ipV6First: number;
  private readonly linkedApps: Field;
  private readonly certificateVar: number;
  private readonly commonNames: Field;
  private readonly firstFree: number;
  /** Every field, and for each fixed variable the index of its field (-1: not a field bit). */
  private readonly fields: Field[];
  private readonly owner: Int16Array;
  private readonly eqs = new Map<string, number>();

  constructor(
    private readonly theory: Theory,
    private readonly bdd: Bdd,
  ) {
    const t = theory;
    const field = (name: string, size: number): Field => {
      const width = widthFor(name, size);
      return new Field(name, this.alloc(width), width);
    };
    let maxLocal = 0;
    for (const book of t.locals.values()) maxLocal = Math.max(maxLocal, book.size);
    // The order puts the attributes that gate others (service token, then login) nearest the root.
    this.serviceTokenVar = this.alloc(1);
    this.serviceTokens = field('service tokens', t.serviceTokens.size);
    this.logins = field('identity providers', t.logins.size);
    this.domains = field('email domains', t.domains.size);
    this.locals = field('emails', maxLocal);
    this.countries = field('countries', t.countries.size);
    this.risk = new Field('risk levels', this.alloc(3), 3);
    this.ipPresentVar = this.alloc(1);
    this.ipV6Var = this.alloc(1);
    this.ipV4First = this.alloc(32);
    this.ipV6First = this.alloc(128);
    this.linkedApps = field('linked apps', t.linkedApps.size);
    this.certificateVar = this.alloc(1);
    this.commonNames = field('common names', t.commonNames.size);
    this.firstFree = this.next;
    this.fields = [
      this.serviceTokens,
      this.logins,
      this.domains,
      this.locals,
      this.countries,
      this.risk,
      this.linkedApps,
      this.commonNames,
    ];
    this.owner = new Int16Array(this.firstFree).fill(-1);
    this.fields.forEach((f, i) => {
      this.owner.fill(i, f.first, f.first + f.width);
    });
  }

  private alloc(n: number): number {
    const first = this.next;
    this.next += n;
    return first;
  }

  /** Variables in use (fixed ones, then one per free variable seen). */
  get variableCount(): number {
    return this.firstFree + this.theory.freeVars.length;
  }

  /** "`field` has the value `value` of `book`", cached per layout. */
  private eq(field: Field, book: Codebook, value: string, cacheKey = value): number {
    const k = `${field.name}\u0000${cacheKey}`;
    let n = this.eqs.get(k);
    if (n === undefined) {
      n = field.eq(this.bdd, book.code(value));
      this.eqs.set(k, n);
    }
    return n;
  }

  private freeVar(kind: FreeKind, name: string, value = ''): number {
    return this.bdd.variable(this.firstFree + this.theory.free(kind, name, value));
  }

  /** `f` guarded by "the request carries no service token" (user-identity attributes). */
  private userOnly(f: number): number {
    return f === BDD_FALSE ? f : this.bdd.node(this.serviceTokenVar, f, BDD_FALSE);
  }

  private login(idp: string): number {
    return this.userOnly(this.eq(this.logins, this.theory.logins, idp));
  }

  private email(address: string): number {
    const domain = domainOf(address);
    const inDomain = this.eq(this.domains, this.theory.domains, domain);
    const local = this.eq(this.locals, this.theory.localBook(domain), address);
    return this.userOnly(this.bdd.and(inDomain, local));
  }

  /** Mirrors `cidrContains`: a malformed block matches nothing; v4 and v6 blocks never meet. */
  private ip(cidr: string): number {
    let parsed: ReturnType<typeof ipaddr.parseCIDR>;
    try {
      parsed = ipaddr.parseCIDR(cidr);
    } catch {
      return BDD_FALSE;
    }
    const [addr, bits] = parsed;
    const bytes = addr.toByteArray();
    const v6 = addr.kind() === 'ipv6';
    const first = v6 ? this.ipV6First : this.ipV4First;
    const bdd = this.bdd;
    let n = BDD_TRUE;
    for (let i = bits - 1; i >= 0; i--) {
      const bit = ((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1;
      n = bit ? bdd.node(first + i, BDD_FALSE, n) : bdd.node(first + i, n, BDD_FALSE);
    }
    n = v6 ? bdd.node(this.ipV6Var, BDD_FALSE, n) : bdd.node(this.ipV6Var, n, BDD_FALSE);
    return bdd.node(this.ipPresentVar, BDD_FALSE, n);
  }

  /** The BDD of one atom. Unknown selectors match nothing, as in `atomMatches`. */
  encodeAtom(atom: Atom): number {
    const a = atom.args;
    const bdd = this.bdd;
    const idpBound = (membership: number): number =>
      bdd.and(this.login(key(a, 'identity_provider_id')), membership);
    switch (atom.sel) {
      case 'everyone':
        return BDD_TRUE;
      case 'email':
        return this.email(str(a, 'email'));
      case 'email_domain':
        return this.userOnly(this.eq(this.domains, this.theory.domains, str(a, 'domain')));
      case 'email_list':
        return this.freeVar('emailList', key(a, 'id'));
      case 'ip':
        return this.ip(str(a, 'ip'));
      case 'ip_list':
        return this.freeVar('ipList', key(a, 'id'));
      case 'country':
        return this.eq(this.countries, this.theory.countries, str(a, 'country_code'));
      case 'group':
        return this.freeVar('accessGroup', key(a, 'id'));
      case 'any_service_token':
        return bdd.variable(this.serviceTokenVar);
      case 'service_token':
        return bdd.node(
          this.serviceTokenVar,
          BDD_FALSE,
          this.eq(this.serviceTokens, this.theory.serviceTokens, key(a, 'token_id')),
        );
      case 'certificate':
        return bdd.variable(this.certificateVar);
      case 'common_name':
        return bdd.node(
          this.certificateVar,
          BDD_FALSE,
          this.eq(this.commonNames, this.theory.commonNames, str(a, 'common_name')),
        );
      case 'device_posture':
        return this.freeVar('posture', key(a, 'integration_uid'));
      case 'auth_method':
        return this.freeVar('authMethod', str(a, 'auth_method'));
      case 'login_method':
        return this.login(key(a, 'id'));
      case 'azure_group':
        return idpBound(this.freeVar('idpGroup', str(a, 'id')));
      case 'gsuite_group':
        return idpBound(this.freeVar('idpGroup', str(a, 'email')));
      case 'okta_group':
        return idpBound(this.freeVar('idpGroup', str(a, 'name')));
      case 'github_org': {
        const org = str(a, 'name');
        const team = str(a, 'team');
        if (team) {
          const entry = `${org}/${team}`;
          const prefix = entry.split('/')[0] as string;
          return idpBound(bdd.and(this.freeVar('githubOrg', prefix), this.freeVar('githubTeam', entry)));
        }
        // `match` compares the part before the first `/` of each membership with the org.
        return org.includes('/') ? BDD_FALSE : idpBound(this.freeVar('githubOrg', org));
      }
      case 'saml':
        return idpBound(this.freeVar('saml', str(a, 'attribute_name'), str(a, 'attribute_value')));
      case 'oidc':
        return idpBound(this.freeVar('oidc', str(a, 'claim_name'), str(a, 'claim_value')));
      case 'auth_context':
        return idpBound(this.freeVar('authContext', str(a, 'id')));
      case 'external_evaluation':
        return this.freeVar('externalEvaluation', str(a, 'evaluate_url'));
      case 'linked_app_token':
        return this.eq(this.linkedApps, this.theory.linkedApps, key(a, 'app_uid'));
      case 'user_risk_score': {
        const levels = a.user_risk_score;
        if (!Array.isArray(levels)) return BDD_FALSE;
        const known = levels.filter((l) => (RISK_LEVELS as readonly string[]).includes(l));
        return bdd.orAll(known.map((l) => this.eq(this.risk, this.theory.risk, l)));
      }
      case 'cloudflare_account_member':
        return this.freeVar('accountMember', '');
      default:
        return BDD_FALSE;
    }
  }

  /**
   * The identity a satisfying path describes. Variables the path does not test are false, except where a
   * different completion reads better (an untested last IP bit is set, so `10.0.0.0/8` gives `10.0.0.1`). An
   * attribute the path tests without selecting a coded value gets a fresh value (a country, domain or token that
   * no atom mentions), which every atom treats like the uncoded value the path selects.
   */
  decode(path: Path): Identity {
    const t = this.theory;
    const codes = new Array<number>(this.fields.length).fill(0);
    const touched = new Array<boolean>(this.fields.length).fill(false);
    const trueFree: FreeVar[] = [];
    const v4 = new Array<number>(4).fill(0);
    const v6 = new Array<number>(16).fill(0);
    let lastV4Tested = false;
    let lastV6Tested = false;
    let serviceToken = false;
    let ipPresent = false;
    let ipV6 = false;
    let certificate = false;
    for (const literal of path) {
      const v = literal >>> 1;
      const on = (literal & 1) === 1;
      if (v >= this.firstFree) {
        if (on) trueFree.push(t.freeVars[v - this.firstFree] as FreeVar);
      } else if (v === this.serviceTokenVar) serviceToken = on;
      else if (v === this.ipPresentVar) ipPresent = on;
      else if (v === this.ipV6Var) ipV6 = on;
      else if (v === this.certificateVar) certificate = on;
      else if (v >= this.ipV4First && v < this.ipV4First + 32) {
        const i = v - this.ipV4First;
        if (on) v4[i >> 3] = (v4[i >> 3] as number) | (1 << (7 - (i & 7)));
        if (i === 31) lastV4Tested = true;
      } else if (v >= this.ipV6First && v < this.ipV6First + 128) {
        const i = v - this.ipV6First;
        if (on) v6[i >> 3] = (v6[i >> 3] as number) | (1 << (7 - (i & 7)));
        if (i === 127) lastV6Tested = true;
      } else {
        const d = this.owner[v] as number;
        const field = this.fields[d] as Field;
        touched[d] = true;
        if (on) codes[d] = (codes[d] as number) + 2 ** (field.width - 1 - (v - field.first));
      }
    }
    const read = (
      field: Field,
      book: Codebook | undefined,
    ): { touched: boolean; value: string | undefined } => {
      const d = this.fields.indexOf(field);
      return { touched: touched[d] as boolean, value: book?.valueOf(codes[d] as number) };
    };

    const id: Identity = {};
    if (!serviceToken) {
      const d = read(this.domains, t.domains);
      if (d.touched) {
        const domain = d.value ?? fresh((n) => PREFERRED_DOMAINS[n] ?? `example${n}.com`, t.domains);
        const book = t.locals.get(domain);
        id.email =
          read(this.locals, book).value ??
          fresh((n) => {
            const local = n === 0 ? 'user' : `user${n + 1}`;
            return domain === NO_DOMAIN ? local : `${local}@${domain}`;
          }, book);
      }
    }
    const country = read(this.countries, t.countries);
    if (country.value !== undefined) id.country = country.value;
    else if (country.touched) {
      const free = (c: string): boolean => !t.countries.has(c);
      const pick = PREFERRED_COUNTRIES.find(free) ?? allCountries().find(free);
      if (pick !== undefined) id.country = pick;
    }
    if (ipPresent) {
      // An untested last bit is set, so a block's witness is not its network address.
      const bytes = ipV6 ? v6 : v4;
      if (!(ipV6 ? lastV6Tested : lastV4Tested))
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) | 1;
      id.ip = ipaddr.fromByteArray(bytes).toString();
    }
    if (!serviceToken) {
      const login = read(this.logins, t.logins).value;
      if (login !== undefined) id.loginMethod = login;
    }

    const lists = new Map<FreeKind, string[]>();
    const saml: Record<string, string[]> = Object.create(null);
    const oidc: Record<string, string[]> = Object.create(null);
    let hasSaml = false;
    let hasOidc = false;
    const orgs: string[] = [];
    const teams: string[] = [];
    for (const fv of trueFree) {
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
    if (certificate) {
      id.certificate = true;
      const cn = read(this.commonNames, t.commonNames).value;
      if (cn !== undefined) id.commonName = cn;
    }
    if (serviceToken) {
      id.serviceToken =
        read(this.serviceTokens, t.serviceTokens).value ??
        fresh((n) => (n === 0 ? 'other-token' : `other-token-${n + 1}`), t.serviceTokens);
    }
    const posture = list('posture');
    if (posture) id.devicePosture = posture;
    const risk = read(this.risk, t.risk).value;
    if (risk !== undefined) id.riskScore = risk as NonNullable<Identity['riskScore']>;
    const accessGroups = list('accessGroup');
    if (accessGroups) id.accessGroups = accessGroups;
    const emailLists = list('emailList');
    if (emailLists) id.emailLists = emailLists;
    const ipLists = list('ipList');
    if (ipLists) id.ipLists = ipLists;
    const externalEvaluations = list('externalEvaluation');
    if (externalEvaluations) id.externalEvaluations = externalEvaluations;
    const linkedApp = read(this.linkedApps, t.linkedApps).value;
    if (linkedApp !== undefined) id.linkedAppToken = linkedApp;
    if (list('accountMember')) id.accountMember = true;
    return id;
  }
}
