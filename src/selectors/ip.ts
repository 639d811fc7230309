/**
 * Strict IP address and CIDR parsing: exactly the spellings Go's `net/netip` accepts (which the Cloudflare side
 * uses; since Go 1.17 `net.ParseIP` rejects leading zeros too), and nothing that another parser could read
 * differently. `010.0.0.1` is octal to `inet_aton` and decimal to others, `0x0a.1.2.3`, `10.1` and `167772161` are
 * `inet_aton` shorthands: each is refused with the spelling that was probably meant, never silently rewritten.
 */

/** A parsed address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export interface Address {
  kind: 'ipv4' | 'ipv6';
  bytes: number[];
}

/** Why a text is not a canonical address, and the canonical spelling when one meaning is clear. */
export interface AddressProblem {
  /** ACL0430 leading zeros, ACL0431 hex, ACL0432 fewer than four parts, ACL0433 one integer, ACL0434 a zone. */
  code: 'ACL0430' | 'ACL0431' | 'ACL0432' | 'ACL0433' | 'ACL0434' | 'ACL0410';
  /** The canonical spelling of what was probably meant (decimal; `inet_aton`'s reading for other shorthands). */
  meant?: string;
  /** For leading zeros: the octal reading of `inet_aton`, when it differs from the decimal one. */
  octal?: string;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Strict dotted decimal: four parts, 0–255, no leading zeros, no signs, no spaces. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!DECIMAL_OCTET.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Strict IPv6 as RFC 4291 section 2.2 writes it (at most one `::`, an optional trailing dotted quad); no zone. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string, last: boolean): number[] | undefined => {
    if (part === '') return [];
    const fields = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as string;
      if (last && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIpv4(f);
        if (!v4) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!HEX_GROUP.test(f)) return undefined;
      out.push(Number.parseInt(f, 16));
    }
    return out;
  };
  let groups: number[];
  if (halves.length === 1) {
    const all = groupsOf(text, true);
    if (all?.length !== 8) return undefined;
    groups = all;
  } else {
    const head = groupsOf(halves[0] as string, false);
    const tail = groupsOf(halves[1] as string, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  }
  // INVARIANT: `::1.2.3.4` (the deprecated IPv4-compatible form, RFC 4291 2.5.5.1) is refused: ipaddr.js, which the
  // analysis uses, reads it as `::ffff:1.2.3.4`. A dotted quad after other groups (`::ffff:…`, `64:ff9b::…`) is kept.
  if (text.includes('.') && groups.slice(0, 6).every((g) => g === 0)) return undefined;
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 255);
  return bytes;
}

/** An address in its canonical text: dotted decimal, or RFC 5952 IPv6 (lower case, longest zero run as `::`). */
export function formatAddress(address: Address): string {
  const b = address.bytes;
  if (address.kind === 'ipv4') return b.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  // The longest run of two or more zero groups (the first of equal runs) becomes `::`.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/** A strictly written address, or undefined. */
export function parseAddress(text: string): Address | undefined {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6 ? { kind: 'ipv6', bytes: v6 } : undefined;
  }
  const v4 = parseIpv4(text);
  return v4 ? { kind: 'ipv4', bytes: v4 } : undefined;
}

/**
 * An address or `address/bits` block written strictly, as Go's `netip.ParseAddr` / `netip.ParsePrefix` take it
 * (decimal prefix length without sign or leading zero, at most 32 or 128); host bits may be set. Undefined otherwise.
 */
export function parseBlock(text: string): { address: Address; bits: number } | undefined {
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.kind === 'ipv4' ? 32 : 128;
  if (slash < 0) return { address, bits: max };
  const bitsText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bitsText) || Number(bitsText) > max) return undefined;
  return { address, bits: Number(bitsText) };
}

/** One `inet_aton` part: decimal, octal (leading 0) or hex (0x); undefined if none of them. */
function atonPart(p: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(p)) return p.length === 2 ? 0 : Number.parseInt(p.slice(2), 16);
  if (/^0[0-7]*$/.test(p)) return p.length === 1 ? 0 : Number.parseInt(p.slice(1), 8);
  if (/^[1-9][0-9]*$/.test(p)) return Number(p);
  return undefined;
}

/** What `inet_aton` (BSD, glibc) makes of a text: `a`, `a.b`, `a.b.c`, `a.b.c.d` in any base; undefined if nothing. */
export function inetAton(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4) return undefined;
  const values = parts.map(atonPart);
  if (values.some((v) => v === undefined)) return undefined;
  const vs = values as number[];
  const last = vs[vs.length - 1] as number;
  const heads = vs.slice(0, -1);
  if (heads.some((v) => v > 255)) return undefined;
  const limit = 2 ** (8 * (4 - heads.length));
  if (last >= limit) return undefined;
  let value = 0;
  for (const h of heads) value = value * 256 + h;
  value = value * limit + last;
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * Why an address text that is not strict IPv4 or IPv6 is refused: a spelling some parser reads as IPv4 gets its own
 * code, the decimal reading (`meant`) and what `inet_aton` reads (`octal`, when that differs). Anything else is
 * ACL0410.
 */
export function addressProblem(text: string): AddressProblem {
  if (text.includes('%')) return { code: 'ACL0434' };
  if (text.includes(':')) return { code: 'ACL0410' };
  const parts = text.split('.');
  if (parts.length > 4 || !parts.every((p) => /^(0[xX][0-9a-fA-F]*|[0-9]+)$/.test(p)))
    return { code: 'ACL0410' };
  const aton = inetAton(text);
  const withAton = (code: AddressProblem['code']): AddressProblem =>
    aton === undefined ? { code: 'ACL0410' } : { code, meant: aton };
  if (parts.some((p) => /^0[xX]/.test(p))) return withAton('ACL0431');
  if (parts.length === 1) return withAton('ACL0433');
  if (parts.length < 4) return withAton('ACL0432');
  const decimal = decimalReading(text);
  if (decimal === undefined) return { code: 'ACL0410' };
  return aton === undefined || aton === decimal
    ? { code: 'ACL0430', meant: decimal }
    : { code: 'ACL0430', meant: decimal, octal: aton };
}

/** `08` reads as decimal everywhere; only a part written with a leading zero and all octal digits reads as octal. */
export function decimalReading(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes.join('.') : undefined;
}
