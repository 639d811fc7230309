import { parseIpBlock } from '../selectors/values.js';

/**
 * The theory of selectors: which identity variables an atom is a function of (encoded by `layout.ts`), and the
 * permanent registry of values seen (`Theory`). A satisfying path becomes a concrete `Identity` in `witness.ts`.
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
 * - Every request has exactly one source IP (IPv4 or IPv6): there is no "no address" case, so `ip("0.0.0.0/0") or
 *   ip("::/0")` matches everyone.
 * - A service-token request carries no user identity at all: `any_service_token` excludes `email`,
 *   `email_domain`, `email_list`, `login_method`, every IdP-bound selector, `auth_method`, `user_risk_score`,
 *   `external_evaluation` and `cloudflare_account_member`. Encoded by guarding those atoms with "no service
 *   token". (Account groups, posture, certificates, linked-app tokens and the network stay possible.)
 * - Every user has exactly one risk level: low, medium, high or unscored (Cloudflare's Access API schema,
 *   `access_user_risk_score_rule`: "Values can be low, medium, high, or unscored"; the blog post
 *   https://blog.cloudflare.com/adaptive-access-user-risk-scoring/ says a score is computed for every user), so a
 *   condition that excludes all four matches no user.
 * - `common_name(x)` implies `certificate`. An IdP-bound selector (`azure_group`, `github_org`, `gsuite_group`,
 *   `okta_group`, `saml`, `oidc`, `auth_context`) is `login_method(idp) ∧ <membership>`; memberships are free.
 * - `github_org(idp, org, team)` implies `github_org(idp, org)`.
 * Everything else (account groups, lists, posture, auth methods, external evaluation, account member) is a free
 * variable keyed by exactly what `match` compares, so atoms the evaluator cannot tell apart share a variable.
 *
 * INVARIANT: atoms are canonical (`checkValue`): email values contain one `@` and domains none. For other values
 * the encoding still never contradicts `match` on emails without `@`, but domains containing `@` are not modelled.
 */

/** Thrown when a domain would need more than 2^29 values. */
export class TheoryLimitExceeded extends Error {
  constructor(readonly domain: string) {
    super(`too many distinct values for ${domain}`);
    this.name = 'TheoryLimitExceeded';
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
export const NO_DOMAIN = '\u0000';

/** The domain part `email_domain` compares: after the last `@` (`NO_DOMAIN` when there is none). */
export const domainOf = (email: string): string => {
  const at = email.lastIndexOf('@');
  return at < 0 ? NO_DOMAIN : email.slice(at + 1);
};

/** The permanent codes of one single-valued attribute: value ↔ code, code 0 meaning "no value". */
export class Codebook {
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

export type FreeKind =
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

export interface FreeVar {
  kind: FreeKind;
  name: string;
  /** Second key part (a SAML/OIDC value), else empty. */
  value: string;
}

/** A parsed CIDR block: network bytes (4 or 16), prefix length, family. */
export interface CidrBlock {
  bytes: number[];
  bits: number;
  v6: boolean;
}

/** Everything the engine has seen: codes of single-valued attributes and free variables. Never shrinks. */
export class Theory {
  readonly serviceTokens = new Codebook();
  readonly logins = new Codebook();
  readonly domains = new Codebook();
  /** Email addresses, coded per domain. */
  readonly locals = new Map<string, Codebook>();
  readonly countries = new Codebook();
  readonly linkedApps = new Codebook();
  readonly commonNames = new Codebook();
  readonly freeVars: FreeVar[] = [];
  private readonly freeIndex = new Map<string, number>();
  private readonly blocks = new Map<string, CidrBlock | null>();

  localBook(domain: string): Codebook {
    let book = this.locals.get(domain);
    if (!book) {
      book = new Codebook();
      this.locals.set(domain, book);
    }
    return book;
  }

  /**
   * A CIDR block as `cidrContains` reads it (`ipaddr.parseCIDR`), or `null` when it is malformed and so matches
   * nothing. Memoised: parsing, IPv6 first, is slow for IPv4 text.
   */
  block(cidr: string): CidrBlock | null {
    let b = this.blocks.get(cidr);
    if (b === undefined) {
      try {
        const [addr, bits] = parseIpBlock(cidr);
        b = { bytes: addr.toByteArray(), bits, v6: addr.kind() === 'ipv6' };
      } catch {
        b = null;
      }
      this.blocks.set(cidr, b);
    }
    return b;
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
}
