/**
 * Variable positions of the theory for one BDD manager: the encoding of atoms and the reading of paths.
 * See theory.ts for the meaning; widths here are sized from the codes seen so far with room to double.
 */

import type { Atom } from '../model/formula.js';
import { RISK_LEVELS } from '../selectors/values.js';
import { atomKeyArg, atomListMembers, atomStr } from './atom-args.js';
import { BDD_FALSE, BDD_TRUE, type Bdd, balanced, type Path } from './bdd.js';
import type { DomainSizes } from './sizing.js';
import {
  type Codebook,
  domainOf,
  type FreeKind,
  type FreeVar,
  type Theory,
  TheoryLimitExceeded,
} from './theory.js';

/** First variable of the bottom region (below every free variable). */
const BOTTOM = 1 << 24;
const TAG_FREE = -2;
const TAG_SERVICE_TOKEN = -3;
const TAG_CERTIFICATE = -4;
const TAG_IP_V6 = -6;
const TAG_IP_V4_BIT = -7;
const TAG_IP_V6_BIT = -8;
type Region = 'top' | 'bottom';
/**
 * Where each attribute's variables go: `top` (before the free variables, in this order) or `bottom` (after them).
 * Chosen by measuring BDD nodes on generated projects (bottom placement of login, country, risk and IP roughly
 * quarters them). INVARIANT: the service-token flag precedes login and email variables, and the certificate flag
 * precedes common names (`node()` builds those guards directly).
 */
const ORDER: Record<
  'serviceToken' | 'logins' | 'emails' | 'countries' | 'risk' | 'linkedApps' | 'certificate' | 'ip',
  Region
> = {
  serviceToken: 'top',
  logins: 'bottom',
  emails: 'top',
  countries: 'bottom',
  risk: 'bottom',
  linkedApps: 'top',
  certificate: 'top',
  ip: 'bottom',
};

/** Thrown when a new value has no code in the current layout: move to a new `Layout` and retry. */
export class LayoutTooNarrow extends Error {
  constructor(readonly domain: string) {
    super(`layout too narrow for ${domain}`);
    this.name = 'LayoutTooNarrow';
  }
}

const str = atomStr;
const listMembers = atomListMembers;
const key = atomKeyArg;
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

  /** `eq`'s nodes by code (a field belongs to one layout, so to one manager); codes are small and dense. */
  private readonly nodes: number[] = [];

  /** The function "the code is `code`", cached. */
  eqCached(bdd: Bdd, code: number): number {
    let n = this.nodes[code];
    if (n === undefined) {
      n = this.eq(bdd, code);
      this.nodes[code] = n;
    }
    return n;
  }

  /** The function "the code is `code`". */
  eq(bdd: Bdd, code: number): number {
    return this.eqAnd(bdd, code, BDD_TRUE);
  }

  /**
   * "The code is `code` and `below` holds", built as one chain on top of `below` (no `and`): every variable of
   * `below` comes after this field's.
   */
  eqAnd(bdd: Bdd, code: number, below: number): number {
    if (code >= 2 ** this.width) throw new LayoutTooNarrow(this.name);
    let n = below;
    for (let i = this.width - 1; i >= 0; i--) {
      const bit = (code >>> (this.width - 1 - i)) & 1;
      n = bit ? bdd.node(this.first + i, BDD_FALSE, n) : bdd.node(this.first + i, n, BDD_FALSE);
    }
    return n;
  }
}

/** One single-valued attribute on a path: whether the path tests it and the coded value it selects, if any. */
export interface FieldReading {
  touched: boolean;
  value: string | undefined;
}

/** What a path says about each attribute (see `Layout.read`). */
export interface PathReading {
  serviceToken: boolean;
  certificate: boolean;
  /** The address bytes (4 or 16) when the path tests the source IP. */
  ip: number[] | undefined;
  /** The free variables the path sets. */
  free: FreeVar[];
  serviceTokens: FieldReading;
  logins: FieldReading;
  domains: FieldReading;
  /** The address, among the coded addresses of the selected domain. */
  emails: FieldReading;
  countries: FieldReading;
  risk: FieldReading;
  linkedApps: FieldReading;
  commonNames: FieldReading;
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
  private readonly ipV6Var: number;
  private readonly ipV4First: number;
  private readonly ipV6First: number;
  private readonly linkedApps: Field;
  private readonly certificateVar: number;
  private readonly commonNames: Field;
  private readonly firstFree: number;
  /** Every field (index = its tag in `tags`). */
  private readonly fields: Field[] = [];
  /** What each fixed variable is: a field index (≥ 0) or one of the `TAG_*` values; top and bottom regions. */
  private readonly tags: Int16Array;
  private readonly bottomTags: Int16Array;
  /** Cached nodes: `ip(cidr)` by block text, "the risk level is `level`" by level. */
  private readonly ipNodes = new Map<string, number>();
  private readonly riskNodes = new Map<string, number>();
  /**
   * A code-declared list's union of members, by its members array (one per list, shared by every atom naming it):
   * a list of thousands of items is built once per layout, not again each time an atom naming it is encoded.
   */
  private readonly listNodes = new WeakMap<readonly string[], number>();

  /** `expected`: the sizes the run's values are known to need (`sizing.ts`), so no field has to widen for them. */
  constructor(
    private readonly theory: Theory,
    private readonly bdd: Bdd,
    expected?: DomainSizes,
  ) {
    const t = theory;
    let maxLocal = expected?.locals ?? 0;
    for (const book of t.locals.values()) maxLocal = Math.max(maxLocal, book.size);
    const top: [number, number][] = [];
    const bottom: [number, number][] = [];
    let bottomNext = BOTTOM;
    const place = (region: 'top' | 'bottom', n: number, tag: number): number => {
      const first = region === 'top' ? this.alloc(n) : bottomNext;
      if (region === 'bottom') bottomNext += n;
      (region === 'top' ? top : bottom).push([first, tag]);
      for (let i = 1; i < n; i++) (region === 'top' ? top : bottom).push([first + i, tag]);
      return first;
    };
    const field = (region: 'top' | 'bottom', name: string, width: number): Field => {
      const f = new Field(name, place(region, width, this.fields.length), width);
      this.fields.push(f);
      return f;
    };
    const sized = (region: 'top' | 'bottom', name: string, size: number, hint = 0): Field =>
      field(region, name, widthFor(name, Math.max(size, hint)));
    // Order (see ORDER): the service-token flag nearest the root (it gates every user attribute); long chains and
    // attributes most conditions end with (login, country, risk, IP) at the bottom, below the free variables,
    // where one copy is shared by every context above instead of being copied under each.
    this.serviceTokenVar = place(ORDER.serviceToken, 1, TAG_SERVICE_TOKEN);
    this.serviceTokens = sized(
      ORDER.serviceToken,
      'service tokens',
      t.serviceTokens.size,
      expected?.serviceTokens,
    );
    this.logins = sized(ORDER.logins, 'identity providers', t.logins.size, expected?.logins);
    this.domains = sized(ORDER.emails, 'email domains', t.domains.size, expected?.domains);
    this.locals = sized(ORDER.emails, 'emails', maxLocal);
    this.countries = sized(ORDER.countries, 'countries', t.countries.size, expected?.countries);
    this.risk = field(ORDER.risk, 'risk levels', Math.max(1, Math.ceil(Math.log2(RISK_LEVELS.length))));
    this.linkedApps = sized(ORDER.linkedApps, 'linked apps', t.linkedApps.size, expected?.linkedApps);
    this.certificateVar = place(ORDER.certificate, 1, TAG_CERTIFICATE);
    this.commonNames = sized(ORDER.certificate, 'common names', t.commonNames.size, expected?.commonNames);
    this.ipV6Var = place(ORDER.ip, 1, TAG_IP_V6);
    this.ipV4First = place(ORDER.ip, 32, TAG_IP_V4_BIT);
    this.ipV6First = place(ORDER.ip, 128, TAG_IP_V6_BIT);
    this.firstFree = this.next;
    this.tags = new Int16Array(this.firstFree).fill(-1);
    for (const [v, tag] of top) this.tags[v] = tag;
    this.bottomTags = new Int16Array(bottomNext - BOTTOM).fill(-1);
    for (const [v, tag] of bottom) this.bottomTags[v - BOTTOM] = tag;
  }

  private alloc(n: number): number {
    const first = this.next;
    this.next += n;
    return first;
  }

  /** Variables in use: the fixed ones and one per free variable seen. */
  get variableCount(): number {
    return this.firstFree + this.theory.freeVars.length + this.bottomTags.length;
  }

  /** "`field` has the value `value` of `book`", cached per layout. */
  private eq(field: Field, book: Codebook, value: string): number {
    return field.eqCached(this.bdd, book.code(value));
  }

  /**
   * "The user's risk level is `level`". Every code of the risk field is a level (codes past the last level read as
   * the last one), so every user has exactly one risk level and excluding all of them is unsatisfiable.
   */
  private riskLevel(level: string): number {
    const k = level;
    let n = this.riskNodes.get(k);
    if (n === undefined) {
      const code = (RISK_LEVELS as readonly string[]).indexOf(level);
      const last = RISK_LEVELS.length - 1;
      n = this.risk.eq(this.bdd, code);
      if (code === last)
        for (let c = last + 1; c < 2 ** this.risk.width; c++) n = this.bdd.or(n, this.risk.eq(this.bdd, c));
      this.riskNodes.set(k, n);
    }
    return n;
  }

  private freeVar(kind: FreeKind, name: string, value = ''): number {
    const v = this.firstFree + this.theory.free(kind, name, value);
    if (v >= BOTTOM) throw new TheoryLimitExceeded('free variables');
    return this.bdd.variable(v);
  }

  /** `f` guarded by "the request carries no service token" (user-identity attributes). */
  private userOnly(f: number): number {
    return f === BDD_FALSE ? f : this.bdd.node(this.serviceTokenVar, f, BDD_FALSE);
  }

  private login(idp: string): number {
    return this.userOnly(this.eq(this.logins, this.theory.logins, idp));
  }

  /** INVARIANT: the domain field precedes the address field (both `ORDER.emails`, allocated in that order). */
  private email(address: string): number {
    const domain = domainOf(address);
    const local = this.eq(this.locals, this.theory.localBook(domain), address);
    return this.userOnly(this.domains.eqAnd(this.bdd, this.theory.domains.code(domain), local));
  }

  /** Mirrors `cidrContains`: a malformed block matches nothing; v4 and v6 blocks never meet. */
  private ip(cidr: string): number {
    const hit = this.ipNodes.get(cidr);
    if (hit !== undefined) return hit;
    const block = this.theory.block(cidr);
    if (!block) return BDD_FALSE;
    const { bytes, bits, v6 } = block;
    const first = v6 ? this.ipV6First : this.ipV4First;
    const bdd = this.bdd;
    let n = BDD_TRUE;
    for (let i = bits - 1; i >= 0; i--) {
      const bit = ((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1;
      n = bit ? bdd.node(first + i, BDD_FALSE, n) : bdd.node(first + i, n, BDD_FALSE);
    }
    // Every request has exactly one source IP: no presence variable, the family bit and the address bits only.
    n = v6 ? bdd.node(this.ipV6Var, BDD_FALSE, n) : bdd.node(this.ipV6Var, n, BDD_FALSE);
    this.ipNodes.set(cidr, n);
    return n;
  }

  /**
   * The union of a list's members, kept by the members array; combined pairwise, level by level, so a list of n
   * items costs O(n log n) steps rather than the O(n²) of adding one item at a time to a growing union.
   */
  private union(members: readonly string[], member: (item: string) => number): number {
    const kept = this.listNodes.get(members);
    if (kept !== undefined) return kept;
    const node = balanced(this.bdd, members.map(member), 0, members.length, BDD_FALSE, false);
    this.listNodes.set(members, node);
    return node;
  }

  /** A membership the identity provider named by the atom vouches for: it holds only after a login with it. */
  private idpBound(args: Atom['args'], membership: number): number {
    return this.bdd.and(this.login(key(args, 'identity_provider_id')), membership);
  }

  /** The BDD of one atom. Unknown selectors match nothing, as in `atomMatches`. */
  encodeAtom(atom: Atom): number {
    const a = atom.args;
    const bdd = this.bdd;
    switch (atom.sel) {
      case 'everyone':
        return BDD_TRUE;
      case 'email':
        return this.email(str(a, 'email'));
      case 'email_domain':
        return this.userOnly(this.eq(this.domains, this.theory.domains, str(a, 'domain')));
      case 'email_list': {
        const m = listMembers(a);
        if (m) return this.union(m, (e) => this.email(e));
        return this.userOnly(this.freeVar('emailList', key(a, 'id')));
      }
      case 'ip':
        return this.ip(str(a, 'ip'));
      case 'ip_list': {
        // A list declared in code is exactly the union of its members (theory.ts); an account list stays opaque.
        const m = listMembers(a);
        if (m) return this.union(m, (cidr) => this.ip(cidr));
        return this.freeVar('ipList', key(a, 'id'));
      }
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
        return this.userOnly(this.freeVar('authMethod', str(a, 'auth_method')));
      case 'login_method':
        return this.login(key(a, 'id'));
      case 'azure_group':
        return this.idpBound(a, this.freeVar('idpGroup', str(a, 'id')));
      case 'gsuite_group':
        return this.idpBound(a, this.freeVar('idpGroup', str(a, 'email')));
      case 'okta_group':
        return this.idpBound(a, this.freeVar('idpGroup', str(a, 'name')));
      case 'github_org': {
        const org = str(a, 'name');
        const team = str(a, 'team');
        if (team) {
          const entry = `${org}/${team}`;
          const prefix = entry.split('/')[0] as string;
          return this.idpBound(
            a,
            bdd.and(this.freeVar('githubOrg', prefix), this.freeVar('githubTeam', entry)),
          );
        }
        // `match` compares the part before the first `/` of each membership with the org.
        return org.includes('/') ? BDD_FALSE : this.idpBound(a, this.freeVar('githubOrg', org));
      }
      case 'saml':
        return this.idpBound(a, this.freeVar('saml', str(a, 'attribute_name'), str(a, 'attribute_value')));
      case 'oidc':
        return this.idpBound(a, this.freeVar('oidc', str(a, 'claim_name'), str(a, 'claim_value')));
      case 'auth_context':
        return this.idpBound(a, this.freeVar('authContext', str(a, 'id')));
      case 'external_evaluation':
        return this.userOnly(this.freeVar('externalEvaluation', str(a, 'evaluate_url')));
      case 'linked_app_token':
        return this.eq(this.linkedApps, this.theory.linkedApps, key(a, 'app_uid'));
      case 'user_risk_score': {
        const levels = a.user_risk_score;
        if (!Array.isArray(levels)) return BDD_FALSE;
        const known = levels.filter((l) => (RISK_LEVELS as readonly string[]).includes(l));
        return this.userOnly(bdd.orAll(known.map((l) => this.riskLevel(l))));
      }
      case 'cloudflare_account_member':
        return this.userOnly(this.freeVar('accountMember', ''));
      default:
        return BDD_FALSE;
    }
  }

  /**
   * What a path says, attribute by attribute. Variables the path does not test read as false; a single-valued
   * attribute the path tests without selecting a coded value reads `touched` with no value.
   */
  read(path: Path): PathReading {
    const t = this.theory;
    const codes = new Array<number>(this.fields.length).fill(0);
    const touched = new Array<boolean>(this.fields.length).fill(false);
    const free: FreeVar[] = [];
    const v4 = new Array<number>(4).fill(0);
    const v6 = new Array<number>(16).fill(0);
    let lastV4Tested = false;
    let lastV6Tested = false;
    let serviceToken = false;
    let ipTested = false;
    let ipV6 = false;
    let certificate = false;
    for (const literal of path) {
      const v = literal >>> 1;
      const on = (literal & 1) === 1;
      const tag =
        v >= BOTTOM
          ? (this.bottomTags[v - BOTTOM] as number)
          : v >= this.firstFree
            ? TAG_FREE
            : (this.tags[v] as number);
      switch (tag) {
        case TAG_FREE:
          if (on) free.push(t.freeVars[v - this.firstFree] as FreeVar);
          break;
        case TAG_SERVICE_TOKEN:
          serviceToken = on;
          break;
        case TAG_CERTIFICATE:
          certificate = on;
          break;
        case TAG_IP_V6:
          ipV6 = on;
          ipTested = true;
          break;
        case TAG_IP_V4_BIT: {
          const i = v - this.ipV4First;
          if (on) v4[i >> 3] = (v4[i >> 3] as number) | (1 << (7 - (i & 7)));
          if (i === 31) lastV4Tested = true;
          ipTested = true;
          break;
        }
        case TAG_IP_V6_BIT: {
          const i = v - this.ipV6First;
          if (on) v6[i >> 3] = (v6[i >> 3] as number) | (1 << (7 - (i & 7)));
          if (i === 127) lastV6Tested = true;
          ipTested = true;
          break;
        }
        default: {
          const field = this.fields[tag] as Field;
          touched[tag] = true;
          if (on) codes[tag] = (codes[tag] as number) + 2 ** (field.width - 1 - (v - field.first));
        }
      }
    }
    const read = (field: Field, book: Codebook | undefined): FieldReading => {
      const d = this.fields.indexOf(field);
      return { touched: touched[d] as boolean, value: book?.valueOf(codes[d] as number) };
    };
    const domain = read(this.domains, t.domains);
    let ip: PathReading['ip'];
    if (ipTested) {
      // An untested last bit is set, so a block's witness is not its network address.
      const bytes = ipV6 ? v6 : v4;
      if (!(ipV6 ? lastV6Tested : lastV4Tested))
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) | 1;
      ip = bytes;
    }
    return {
      serviceToken,
      certificate,
      ip,
      free,
      serviceTokens: read(this.serviceTokens, t.serviceTokens),
      logins: read(this.logins, t.logins),
      domains: domain,
      emails: read(this.locals, domain.value === undefined ? undefined : t.locals.get(domain.value)),
      countries: read(this.countries, t.countries),
      risk: {
        touched: touched[this.fields.indexOf(this.risk)] as boolean,
        value: touched[this.fields.indexOf(this.risk)]
          ? RISK_LEVELS[Math.min(codes[this.fields.indexOf(this.risk)] as number, RISK_LEVELS.length - 1)]
          : undefined,
      },
      linkedApps: read(this.linkedApps, t.linkedApps),
      commonNames: read(this.commonNames, t.commonNames),
    };
  }
}
