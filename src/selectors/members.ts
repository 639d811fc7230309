import { cidrContains } from './values.js';

/**
 * Membership in a list declared in code (or read from the account) that an `email_list` / `ip_list` rule carries
 * (`Ref.members`). The import's proof and the access diff evaluate thousands of identities against lists of
 * thousands of items: a scan of the members per rule per identity made that quadratic. Each members array gets,
 * on first use, a set of its emails and a memo of the IPs already asked about (bounded like `cidrContains`'s
 * caches). Answers are exactly those of `members.includes(email)` and `members.some(cidr ⊇ ip)`. Pure (the caches
 * are invisible).
 */

/** Below this many members a scan is as quick as a lookup: no index is made. */
const SMALL = 16;
/** IPs remembered per list before the memo is emptied (a long-lived language server must not grow without end). */
const IPS_KEPT = 10_000;

interface Index {
  /** The array's length when indexed: a members array is never changed, but a changed one is indexed again. */
  length: number;
  emails?: Set<string>;
  ips?: Map<string, boolean>;
}

const indexes = new WeakMap<readonly string[], Index>();

function indexFor(members: readonly string[]): Index {
  let index = indexes.get(members);
  if (index === undefined || index.length !== members.length) {
    index = { length: members.length };
    indexes.set(members, index);
  }
  return index;
}

/** Whether `email` is one of `members` (exact comparison, as `includes`). */
export function hasMember(members: readonly string[], email: string): boolean {
  if (members.length < SMALL) return members.includes(email);
  const index = indexFor(members);
  index.emails ??= new Set(members);
  return index.emails.has(email);
}

/** Whether a CIDR block of `members` contains `ip`. */
export function inSomeBlock(members: readonly string[], ip: string): boolean {
  if (members.length < SMALL) return members.some((cidr) => cidrContains(cidr, ip));
  const index = indexFor(members);
  index.ips ??= new Map();
  let inside = index.ips.get(ip);
  if (inside === undefined) {
    inside = members.some((cidr) => cidrContains(cidr, ip));
    if (index.ips.size >= IPS_KEPT) index.ips.clear();
    index.ips.set(ip, inside);
  }
  return inside;
}
