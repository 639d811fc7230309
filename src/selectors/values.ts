// Only the code table of the maintained ISO 3166-1 package: its main entry also loads every locale's names.
import countryCodes from 'i18n-iso-countries/codes.json' with { type: 'json' };
import ipaddr from 'ipaddr.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { addressProblem, formatAddress, parseAddress } from './ip.js';

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
  | {
      ok: false;
      code: string;
      args: Record<string, string>;
      /** The value that was probably meant, offered as a fix where it has one reading. */
      suggestion?: string;
      /** A remedy more specific than the catalog's, e.g. "did you mean `GB`?". */
      help?: string;
    };

/** ISO 3166-1 alpha-2 codes, sorted. */
export const COUNTRY_CODES: readonly string[] = (countryCodes as string[][])
  .map((row) => row[0] as string)
  .sort();
const ALPHA2 = new Set(COUNTRY_CODES);
/** Alpha-3 codes (`DEU`) and common non-ISO spellings (`UK`, `EL`) → the alpha-2 code the API takes. */
const COUNTRY_ALIASES: ReadonlyMap<string, string> = new Map([
  ...(countryCodes as string[][]).map((row) => [row[1] as string, row[0] as string] as const),
  ['UK', 'GB'],
  ['EL', 'GR'],
]);

const EMAIL =
  /^[^\s@"<>()[\],;:]+@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

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

const bad = (code: string, args: Record<string, string>, suggestion?: string, help?: string): Checked => {
  const checked: Checked = { ok: false, code, args };
  if (suggestion !== undefined) checked.suggestion = suggestion;
  if (help !== undefined) checked.help = help;
  return checked;
};

/** "did you mean `x`? …" when one of `choices` is a likely typo of `value`. */
function typoHelp(value: string, choices: readonly string[], fallback: string): string | undefined {
  const help = didYouMean(value, choices, fallback);
  return help === fallback ? undefined : help;
}

export function checkValue(kind: ValueKind, raw: string): Checked {
  switch (kind) {
    case 'email': {
      const v = raw.trim().toLowerCase();
      if (EMAIL.test(v) && v.length - v.lastIndexOf('@') <= 254) return { ok: true, value: v };
      const domain = v.slice(1).replace(/\.$/, '');
      if (v.startsWith('@') && DOMAIN.test(domain)) return bad('ACL0437', { value: raw, domain });
      return bad('ACL0401', { value: raw });
    }
    case 'domain': {
      const v = raw.trim().toLowerCase().replace(/\.$/, '');
      if (v.startsWith('@')) return bad('ACL0402', { value: raw }, v.slice(1));
      return DOMAIN.test(v) && v.length <= 253 ? { ok: true, value: v } : bad('ACL0403', { value: raw });
    }
    case 'cidr':
      return checkCidr(raw);
    case 'country': {
      const v = raw.trim().toUpperCase();
      if (/^[A-Z]{2}$/.test(v) && ALPHA2.has(v)) return { ok: true, value: v };
      const alias = COUNTRY_ALIASES.get(v);
      return alias === undefined
        ? bad('ACL0405', { value: raw })
        : bad(
            'ACL0405',
            { value: raw },
            alias,
            `did you mean \`${alias}\`? the ISO 3166-1 alpha-2 code is \`${alias}\``,
          );
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
        : bad('ACL0408', { value: raw }, undefined, typoHelp(v, AUTH_METHODS, 'see RFC 8176 for the values'));
    }
    case 'risk_level': {
      const v = raw.trim().toLowerCase();
      return (RISK_LEVELS as readonly string[]).includes(v)
        ? { ok: true, value: v }
        : bad(
            'ACL0409',
            { value: raw },
            undefined,
            typoHelp(v, RISK_LEVELS, 'use `low`, `medium`, `high` or `unscored`'),
          );
    }
  }
}

/** A prefix length as Go's `netip.ParsePrefix` takes it: decimal, no sign, no leading zero. */
const PREFIX_BITS = /^(0|[1-9][0-9]{0,2})$/;

/**
 * An address or CIDR block → canonical CIDR (`/32` or `/128` for a single address). Host bits must be clear.
 * Only strict spellings are accepted (see `ip.ts`): every accepted text means exactly one block.
 */
export function checkCidr(raw: string): Checked {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  const address = parseAddress(addrText);
  if (!address) {
    const problem = addressProblem(addrText);
    const args: Record<string, string> = { value: raw };
    if (problem.code === 'ACL0410' || problem.code === 'ACL0434') return bad(problem.code, args);
    const suffix = bitsText === undefined ? '' : `/${bitsText}`;
    const meant = `${problem.meant}${suffix}`;
    args.meant = meant;
    args.octal =
      problem.octal === undefined ? '' : `; \`inet_aton\` reads it as octal \`${problem.octal}${suffix}\``;
    // Hex and a lone integer have one reading: offer it as the fix. Leading zeros and short forms are ambiguous.
    const oneReading = problem.code === 'ACL0431' || problem.code === 'ACL0433';
    return bad(problem.code, args, oneReading ? meant : undefined);
  }
  const max = address.kind === 'ipv4' ? 32 : 128;
  let bits = max;
  if (bitsText !== undefined) {
    const n = Number(bitsText);
    if (/^[0-9]+$/.test(bitsText) && n <= max && !PREFIX_BITS.test(bitsText)) {
      const fixed = `${addrText}/${n}`;
      return bad('ACL0435', { value: raw, bits: `/${bitsText}`, fixed: `/${n}` }, fixed);
    }
    if (!PREFIX_BITS.test(bitsText) || n > max) return bad('ACL0410', { value: raw });
    bits = n;
  }
  const network = address.bytes.map((byte, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  const canonical = `${formatAddress({ kind: address.kind, bytes: network })}/${bits}`;
  if (network.some((byte, i) => byte !== address.bytes[i]))
    return bad('ACL0404', { value: raw, network: canonical }, canonical);
  return { ok: true, value: canonical };
}

/** Whether a canonical CIDR block contains an address (false for malformed input or mixed families). */
export function cidrContains(cidr: string, address: string): boolean {
  const net = parsedBlock(cidr);
  const addr = parsedIpAddress(address);
  if (!net || !addr || addr.kind() !== net[0].kind()) return false;
  return addr.match(net[0], net[1]);
}

/**
 * Parsed blocks and addresses, kept: evaluating thousands of identities against one project parses the same few
 * texts again and again (`ipaddr` tries IPv6 first, which is slow for IPv4 text). Bounded: emptied past
 * `PARSED_KEPT` entries, so a long-lived process (the language server) does not grow with every text it met.
 */
const PARSED_KEPT = 10_000;
const blocks = new Map<string, [ipaddr.IPv4 | ipaddr.IPv6, number] | null>();
const addresses = new Map<string, ipaddr.IPv4 | ipaddr.IPv6 | null>();

/** `parse(text)` (null when it throws), kept in `cache`. */
function kept<T>(cache: Map<string, T | null>, text: string, parse: (text: string) => T): T | null {
  let value = cache.get(text);
  if (value === undefined) {
    try {
      value = parse(text);
    } catch {
      value = null;
    }
    if (cache.size >= PARSED_KEPT) cache.clear();
    cache.set(text, value);
  }
  return value;
}

/**
 * A block as `ipaddr.parseCIDR` reads it (it throws the same way), without its IPv6 attempt on IPv4 text, which is
 * slow to fail: IPv6 text always has a `:`.
 */
export function parseIpBlock(cidr: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  return cidr.includes(':') ? ipaddr.parseCIDR(cidr) : ipaddr.IPv4.parseCIDR(cidr);
}

const parsedBlock = (cidr: string) => kept(blocks, cidr, parseIpBlock);

/** An address as `cidrContains` reads it (kept), or null when it is not one. */
export const parsedIpAddress = (address: string) => kept(addresses, address, ipaddr.parse);

/** A Go `time.Duration` string without sign, as the API's `session_duration` fields take it: `300ms`, `2h45m`. */
export const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** Units people write that Go does not take, in hours (`d`, `w`) or as the Go unit they stand for. */
const FOREIGN_UNITS: Readonly<Record<string, { hours?: number; unit?: string }>> = {
  d: { hours: 24 },
  day: { hours: 24 },
  days: { hours: 24 },
  w: { hours: 168 },
  wk: { hours: 168 },
  week: { hours: 168 },
  weeks: { hours: 168 },
  hr: { unit: 'h' },
  hrs: { unit: 'h' },
  hour: { unit: 'h' },
  hours: { unit: 'h' },
  min: { unit: 'm' },
  mins: { unit: 'm' },
  minute: { unit: 'm' },
  minutes: { unit: 'm' },
  sec: { unit: 's' },
  secs: { unit: 's' },
  second: { unit: 's' },
  seconds: { unit: 's' },
};

const NUMBER_AND_UNIT = /([0-9]+(?:\.[0-9]+)?)([a-zA-Zµμ]+)/g;

/**
 * `1d`, `2w`, `30min`: the first unit Go does not know and the same duration in Go units, or undefined when the text
 * is not numbers with units at all.
 */
function foreignUnit(raw: string): { unit: string; instead: string } | undefined {
  if (!/^([0-9]+(\.[0-9]+)?[a-zA-Zµμ]+)+$/.test(raw)) return undefined;
  let foreign: string | undefined;
  const parts: string[] = [];
  for (const m of raw.matchAll(NUMBER_AND_UNIT)) {
    const [, amount, unit] = m as unknown as [string, string, string];
    if (/^(ns|us|µs|μs|ms|s|m|h)$/.test(unit)) {
      parts.push(`${amount}${unit}`);
      continue;
    }
    const known = FOREIGN_UNITS[unit.toLowerCase()];
    if (!known) return undefined;
    foreign ??= unit;
    if (known.unit) parts.push(`${amount}${known.unit}`);
    else {
      const hours = Number(amount) * (known.hours as number);
      parts.push(Number.isInteger(hours) ? `${hours}h` : `${Math.round(hours * 60)}m`);
    }
  }
  return foreign === undefined ? undefined : { unit: foreign, instead: parts.join('') };
}

/** A duration → itself (already canonical: the API returns what it was given), ACL0436 for a unit such as `d`, or ACL0411. */
export function checkDuration(raw: string): Checked {
  if (DURATION.test(raw)) return { ok: true, value: raw };
  const foreign = foreignUnit(raw);
  if (foreign) return bad('ACL0436', { value: raw, ...foreign }, foreign.instead);
  return bad('ACL0411', { value: raw });
}
