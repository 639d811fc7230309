import type ipaddr from 'ipaddr.js';
import { cidrContains, parsedIpAddress, parseIpBlock } from './values.js';

/**
 * Membership in a list declared in code (or read from the account) that an `email_list` / `ip_list` rule carries
 * (`Ref.members`). The import's proof and the access diff evaluate thousands of identities against lists of
 * thousands of items: a scan of the members per rule per identity made that quadratic. Each members array gets,
 * on first use, a set of its emails or the address ranges of its blocks (sorted and merged, searched by halves).
 * Answers are exactly those of `members.includes(email)` and `members.some((cidr) => cidrContains(cidr, ip))`.
 * Pure (the indexes are invisible).
 */

/** Below this many members a scan is as quick as a lookup: no index is made. */
const SMALL = 16;

/** Disjoint address ranges, sorted, for one address family. */
interface Ranges {
  starts: bigint[];
  ends: bigint[];
}

interface Index {
  /** The array's length when indexed: a members array is never changed, but a changed one is indexed again. */
  length: number;
  emails?: Set<string>;
  blocks?: { ipv4: Ranges; ipv6: Ranges };
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

/** Whether a CIDR block of `members` contains `ip` (as `cidrContains`: false for mixed families or bad text). */
export function inSomeBlock(members: readonly string[], ip: string): boolean {
  if (members.length < SMALL) return members.some((cidr) => cidrContains(cidr, ip));
  const index = indexFor(members);
  index.blocks ??= blockRanges(members);
  const addr = parsedIpAddress(ip);
  if (!addr) return false;
  const ranges = addr.kind() === 'ipv4' ? index.blocks.ipv4 : index.blocks.ipv6;
  const n = toNumber(addr.toByteArray());
  // The last range starting at or before n.
  let lo = 0;
  let hi = ranges.starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges.starts[mid] as bigint) <= n) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && n <= (ranges.ends[found] as bigint);
}

function toNumber(bytes: number[]): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * The addresses the blocks cover, per family: a block matches the addresses whose first `bits` bits are its own
 * (`ipaddr`'s `match`), the range from its address with the other bits cleared to it with them set.
 */
function blockRanges(members: readonly string[]): { ipv4: Ranges; ipv6: Ranges } {
  const spans: Record<'ipv4' | 'ipv6', [bigint, bigint][]> = { ipv4: [], ipv6: [] };
  for (const cidr of members) {
    let block: [ipaddr.IPv4 | ipaddr.IPv6, number];
    try {
      block = parseIpBlock(cidr);
    } catch {
      continue;
    }
    const [net, bits] = block;
    const bytes = net.toByteArray();
    const width = BigInt(bytes.length * 8);
    const all = (1n << width) - 1n;
    const host = all >> BigInt(bits);
    const first = toNumber(bytes) & ~host & all;
    spans[net.kind()].push([first, first | host]);
  }
  const merged = (list: [bigint, bigint][]): Ranges => {
    list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: Ranges = { starts: [], ends: [] };
    for (const [s, e] of list) {
      const last = out.ends.length - 1;
      if (last >= 0 && s <= (out.ends[last] as bigint) + 1n) {
        if (e > (out.ends[last] as bigint)) out.ends[last] = e;
      } else {
        out.starts.push(s);
        out.ends.push(e);
      }
    }
    return out;
  };
  return { ipv4: merged(spans.ipv4), ipv6: merged(spans.ipv6) };
}
