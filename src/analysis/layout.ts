/**
 * Variable positions of the theory for one BDD manager: the encoding of atoms and the reading of paths.
 * See theory.ts for the meaning; widths here are sized from the codes seen so far with room to double.
 */

import ipaddr from 'ipaddr.js';
import type { Atom, AtomValue, Ref } from '../model/formula.js';
import { refKey } from '../model/formula.js';
import { RISK_LEVELS } from '../selectors/values.js';
import { BDD_FALSE, BDD_TRUE, type Bdd, type Path } from './bdd.js';
import {
  type Codebook,
  domainOf,
  type FreeKind,
  type FreeVar,
  type Theory,
  TheoryLimitExceeded,
} from './theory.js';

/** Thrown when a new value has no code in the current layout: move to a new `Layout` and retry. */
export class LayoutTooNarrow extends Error {
  constructor(readonly domain: string) {
    super(`layout too narrow for ${domain}`);
    this.name = 'LayoutTooNarrow';
  }
}

const str = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return typeof v === 'string' ? v : '';
};
const key = (args: Record<string, AtomValue>, field: string): string => {
  const v = args[field];
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? refKey(v as Ref) : '';
};
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

/** One single-valued attribute on a path: whether the path tests it and the coded value it selects, if any. */
export interface FieldReading {
  touched: boolean;
  value: string | undefined;
}

/** What a path says about each attribute (see `Layout.read`). */
export interface PathReading {
  serviceToken: boolean;
  certificate: boolean;
  /** The address bytes (4 or 16) when the path puts a source IP in the request. */
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
    let ipPresent = false;
    let ipV6 = false;
    let certificate = false;
    for (const literal of path) {
      const v = literal >>> 1;
      const on = (literal & 1) === 1;
      if (v >= this.firstFree) {
        if (on) free.push(t.freeVars[v - this.firstFree] as FreeVar);
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
    const read = (field: Field, book: Codebook | undefined): FieldReading => {
      const d = this.fields.indexOf(field);
      return { touched: touched[d] as boolean, value: book?.valueOf(codes[d] as number) };
    };
    const domain = read(this.domains, t.domains);
    let ip: PathReading['ip'];
    if (ipPresent) {
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
      risk: read(this.risk, t.risk),
      linkedApps: read(this.linkedApps, t.linkedApps),
      commonNames: read(this.commonNames, t.commonNames),
    };
  }
}
