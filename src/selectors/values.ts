// Only the code table of the maintained ISO 3166-1 package: its main entry also loads every locale's names.
import countryCodes from 'i18n-iso-countries/codes.json' with { type: 'json' };
import ipaddr from 'ipaddr.js';

/**
 * Value kinds of selector fields and settings, with their validation and canonical form.
 * Canonical forms match what the API returns, so compiled output never drifts from the live state.
 */
export type ValueKind =
  | 'email'
  | 'domain'
  | 'cidr'
  | 'country'
  | 'text'
  | 'url'
  | 'auth_method'
  | 'risk_level';

/** Either a canonical value, or the catalog code and arguments of what is wrong with it. */
export type Checked =
  | { ok: true; value: string }
  | { ok: false; code: string; args: Record<string, string>; suggestion?: string };

/** ISO 3166-1 alpha-2 codes, sorted. */
export const COUNTRY_CODES: readonly string[] = (countryCodes as string[][])
  .map((row) => row[0] as string)
  .sort();
const ALPHA2 = new Set(COUNTRY_CODES);

const EMAIL = /^[^\s@"<>()[\],;:]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

/** RFC 8176 authentication method reference values (the `amr` claim). */
export const AUTH_METHODS = [
  'face',
  'fpt',
  'geo',
  'hwk',
  'iris',
  'kba',
  'mca',
  'mfa',
  'otp',
  'pin',
  'pop',
  'pwd',
  'rba',
  'retina',
  'sc',
  'sms',
  'swk',
  'tel',
  'user',
  'vbm',
  'wia',
] as const;

export const RISK_LEVELS = ['low', 'medium', 'high', 'unscored'] as const;

const bad = (code: string, args: Record<string, string>, suggestion?: string): Checked =>
  suggestion === undefined ? { ok: false, code, args } : { ok: false, code, args, suggestion };

export function checkValue(kind: ValueKind, raw: string): Checked {
  switch (kind) {
    case 'email': {
      const v = raw.trim().toLowerCase();
      return EMAIL.test(v) ? { ok: true, value: v } : bad('ACL0401', { value: raw });
    }
    case 'domain': {
      const v = raw.trim().toLowerCase().replace(/\.$/, '');
      if (v.startsWith('@')) return bad('ACL0402', { value: raw }, v.slice(1));
      return DOMAIN.test(v) ? { ok: true, value: v } : bad('ACL0403', { value: raw });
    }
    case 'cidr':
      return checkCidr(raw);
    case 'country': {
      const v = raw.trim().toUpperCase();
      return /^[A-Z]{2}$/.test(v) && ALPHA2.has(v) ? { ok: true, value: v } : bad('ACL0405', { value: raw });
    }
    case 'text':
      return raw.length > 0 ? { ok: true, value: raw } : bad('ACL0406', {});
    case 'url': {
      try {
        const url = new URL(raw);
        if (url.protocol === 'https:' || url.protocol === 'http:') return { ok: true, value: raw };
      } catch {
        // falls through to the diagnostic
      }
      return bad('ACL0407', { value: raw });
    }
    case 'auth_method': {
      const v = raw.trim().toLowerCase();
      return (AUTH_METHODS as readonly string[]).includes(v)
        ? { ok: true, value: v }
        : bad('ACL0408', { value: raw });
    }
    case 'risk_level': {
      const v = raw.trim().toLowerCase();
      return (RISK_LEVELS as readonly string[]).includes(v)
        ? { ok: true, value: v }
        : bad('ACL0409', { value: raw });
    }
  }
}

/**
 * An IPv4 address in plain decimal (no leading zeros, so never read as octal) with an optional prefix length
 * written without leading zeros: the common case, checked without ipaddr.js (which tries IPv6 first and throws).
 */
const PLAIN_IPV4 =
  /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})(?:\/([0-9]|[12][0-9]|3[0-2]))?$/;

/** `checkCidr` for `PLAIN_IPV4` text, with exactly ipaddr.js's answers; `undefined` for anything else. */
function checkPlainIpv4(text: string, raw: string): Checked | undefined {
  const m = PLAIN_IPV4.exec(text);
  if (!m) return undefined;
  const octets = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (octets.some((o) => o > 255)) return undefined;
  if (m[5] === undefined) return { ok: true, value: `${text}/32` };
  const bits = Number(m[5]);
  const addr =
    ((octets[0] as number) * 0x1000000 +
      (octets[1] as number) * 0x10000 +
      (octets[2] as number) * 0x100 +
      (octets[3] as number)) >>>
    0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const net = (addr & mask) >>> 0;
  const network = `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}`;
  const canonical = `${network}/${bits}`;
  if (net !== addr) return bad('ACL0404', { value: raw, network: canonical }, canonical);
  return { ok: true, value: canonical };
}

/** An address or CIDR block → canonical CIDR (`/32` or `/128` for a single address). Host bits must be clear. */
export function checkCidr(raw: string): Checked {
  const text = raw.trim();
  const plain = checkPlainIpv4(text, raw);
  if (plain) return plain;
  try {
    if (!text.includes('/')) {
      const addr = ipaddr.parse(text);
      return { ok: true, value: `${addr.toString()}/${addr.kind() === 'ipv4' ? 32 : 128}` };
    }
    const [addr, bits] = ipaddr.parseCIDR(text);
    const network = ipaddr.IPv4.isValid(addr.toString())
      ? ipaddr.IPv4.networkAddressFromCIDR(text)
      : ipaddr.IPv6.networkAddressFromCIDR(text);
    const canonical = `${network.toString()}/${bits}`;
    if (network.toString() !== addr.toString())
      return bad('ACL0404', { value: raw, network: canonical }, canonical);
    return { ok: true, value: canonical };
  } catch {
    return bad('ACL0410', { value: raw });
  }
}

/** Whether a canonical CIDR block contains an address (false for malformed input or mixed families). */
export function cidrContains(cidr: string, address: string): boolean {
  try {
    const [net, bits] = ipaddr.parseCIDR(cidr);
    const addr = ipaddr.parse(address);
    if (addr.kind() !== net.kind()) return false;
    return addr.match(net, bits);
  } catch {
    return false;
  }
}

/** A Go `time.Duration` string without sign, as the API's `session_duration` fields take it: `300ms`, `2h45m`. */
export const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** A duration → itself (already canonical: the API returns what it was given), or ACL0411. */
export function checkDuration(raw: string): Checked {
  return DURATION.test(raw) ? { ok: true, value: raw } : bad('ACL0411', { value: raw });
}
