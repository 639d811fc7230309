import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  COUNTRY_CODES,
  checkCidr,
  checkDuration,
  checkValue,
  cidrContains,
} from '../../src/selectors/values.js';

// Strict references, written independently of the code under test: each says which spellings are accepted and what
// they mean. The properties then check (1) the product accepts exactly those, with that meaning, and (2) every
// accepted spelling means the same block to the other parsers people use (ipaddr.js, the WHATWG URL parser, which
// reads IPv4 like `inet_aton`), so no accepted text can be misread anywhere.

/** Go `netip.ParseAddr` for IPv4: four decimal parts 0–255, no leading zeros. */
function refIpv4(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1) as string[];
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** Go `netip.ParseAddr` for IPv6 without zones: 16 bytes, or null. */
function refIpv6(text: string): number[] | null {
  let head = text;
  let v4: number[] | null = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    v4 = refIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    // `::1.2.3.4` keeps its `::`; `1:2:3:4:5:6:1.2.3.4` drops the colon before the dotted quad.
    head = text.slice(0, lastColon + 1).endsWith('::')
      ? text.slice(0, lastColon + 1)
      : text.slice(0, lastColon);
  }
  const groupsWanted = v4.length > 0 ? 6 : 8;
  const double = head.indexOf('::');
  if (double !== head.lastIndexOf('::')) return null;
  const parse = (s: string): number[] | null => {
    if (s === '') return [];
    const fields = s.split(':');
    if (!fields.every((f) => /^[0-9a-fA-F]{1,4}$/.test(f))) return null;
    return fields.map((f) => Number.parseInt(f, 16));
  };
  let groups: number[];
  if (double < 0) {
    const g = parse(head);
    if (!g || g.length !== groupsWanted) return null;
    groups = g;
  } else {
    const a = parse(head.slice(0, double));
    const b = parse(head.slice(double + 2));
    if (!a || !b || a.length + b.length > groupsWanted - 1) return null;
    groups = [...a, ...Array(groupsWanted - a.length - b.length).fill(0), ...b];
  }
  const bytes = groups.flatMap((g) => [g >> 8, g & 255]);
  // Stricter than Go: the deprecated IPv4-compatible `::1.2.3.4` is refused.
  if (v4.length > 0 && bytes.every((b) => b === 0)) return null;
  return [...bytes, ...v4];
}

/** The reference for `checkCidr`: the canonical block, `host-bits` when they are set, or `bad`. */
function refCidr(raw: string): { block: string; bytes: number[]; bits: number } | 'host-bits' | 'bad' {
  const text = raw.trim();
  const [addr, bitsText, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return 'bad';
  const v6 = addr.includes(':');
  const bytes = v6 ? refIpv6(addr) : refIpv4(addr);
  if (!bytes) return 'bad';
  const max = v6 ? 128 : 32;
  if (bitsText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(bitsText)) return 'bad';
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (bits > max) return 'bad';
  for (let i = bits; i < max; i++) if ((bytes[i >> 3] as number) & (0x80 >> (i & 7))) return 'host-bits';
  const shown = v6 ? ipaddr.fromByteArray(bytes).toString() : bytes.join('.');
  return { block: `${shown}/${bits}`, bytes, bits };
}

const decOctet = fc.integer({ min: 0, max: 255 }).map(String);
const octet = fc.oneof(
  { weight: 6, arbitrary: decOctet },
  {
    weight: 1,
    arbitrary: fc.constantFrom('256', '999', '00', '01', '010', '08', '0x1f', '0X0a', '0x', '-1', '', '1e1'),
  },
);
const prefix = fc.oneof(
  fc.integer({ min: 0, max: 129 }).map((n) => `/${n}`),
  fc.constantFrom('', '', '', '/33', '/08', '/032', '/', '/x', '/-1', '/+8', '/ 8', '/8/8'),
);
const ipv4ish = fc
  .tuple(fc.array(octet, { minLength: 1, maxLength: 5 }), prefix, fc.constantFrom('', '', ' ', '\t'))
  .map(([parts, p, pad]) => `${pad}${parts.join('.')}${p}${pad}`);
const hexGroup = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)) },
  { weight: 1, arbitrary: fc.constantFrom('0', '00000', 'FFFF', 'g', '', '1.2.3.4', '01.2.3.4', '%eth0') },
);
const ipv6ish = fc
  .tuple(fc.array(hexGroup, { minLength: 1, maxLength: 9 }), fc.nat(9), fc.boolean(), prefix)
  .map(([groups, at, dbl, p]) => {
    const g = [...groups];
    if (dbl) g.splice(Math.min(at, g.length), 0, '');
    let text = g.join(':');
    if (text.startsWith(':') && !text.startsWith('::')) text = `:${text}`;
    if (text.endsWith(':') && !text.endsWith('::')) text = `${text}:`;
    return `${text}${p}`;
  });

describe('checkCidr against a strict reference', () => {
  const agrees = (raw: string) => {
    const got = checkCidr(raw);
    const ref = refCidr(raw);
    if (ref === 'bad') expect(got.ok, raw).toBe(false);
    else if (ref === 'host-bits') expect(got).toMatchObject({ ok: false, code: 'ACL0404' });
    else {
      expect(got, raw).toEqual({ ok: true, value: ref.block });
      // One meaning everywhere: ipaddr.js and the WHATWG URL parser read the same address.
      const addr = raw.trim().split('/')[0] as string;
      expect(ipaddr.parse(addr).toByteArray(), raw).toEqual(ref.bytes);
      if (!addr.includes(':')) expect(new URL(`http://${addr}/`).hostname).toBe(ref.bytes.join('.'));
      // The canonical form is a fixed point.
      expect(checkCidr(ref.block)).toEqual({ ok: true, value: ref.block });
    }
  };
  it('IPv4-like text', () => fc.assert(fc.property(ipv4ish, agrees), { numRuns: 4000 }));
  it('IPv6-like text', () => fc.assert(fc.property(ipv6ish, agrees), { numRuns: 4000 }));
  it('any text never throws and never accepts what the reference refuses', () =>
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefx.:/% ') }), agrees), {
      numRuns: 3000,
    }));

  it.each([
    ['10.0.0.0/8', { ok: true, value: '10.0.0.0/8' }],
    ['198.51.100.7', { ok: true, value: '198.51.100.7/32' }],
    ['0.0.0.0/0', { ok: true, value: '0.0.0.0/0' }],
    ['2001:DB8::/32', { ok: true, value: '2001:db8::/32' }],
    ['2001:db8:0:0:0:0:0:1', { ok: true, value: '2001:db8::1/128' }],
    ['::ffff:10.1.2.3', { ok: true, value: '::ffff:a01:203/128' }],
    // ipaddr.js reads the deprecated IPv4-compatible `::1.2.3.4` as `::ffff:1.2.3.4`: refused.
    ['::1.2.3.4', { ok: false, code: 'ACL0410', args: { value: '::1.2.3.4' } }],
    ['64:ff9b::192.0.2.1', { ok: true, value: '64:ff9b::c000:201/128' }],
    ['300.1.1.1', { ok: false, code: 'ACL0410', args: { value: '300.1.1.1' } }],
  ])('%s', (raw, expected) => {
    expect(checkCidr(raw)).toEqual(expected);
  });

  it.each([
    ['010.000.000.000/8', 'ACL0430', '10.0.0.0/8', undefined],
    ['10.0.0.01', 'ACL0430', '10.0.0.1', undefined],
    ['08.1.2.3', 'ACL0430', '8.1.2.3', undefined],
    ['0x0a.1.2.3', 'ACL0431', '10.1.2.3', '10.1.2.3'],
    ['10.1', 'ACL0432', '10.0.0.1', undefined],
    ['10.1.2', 'ACL0432', '10.1.0.2', undefined],
    ['167772161', 'ACL0433', '10.0.0.1', '10.0.0.1'],
    ['0', 'ACL0433', '0.0.0.0', '0.0.0.0'],
    ['::ffff:010.1.2.3', 'ACL0410', undefined, undefined],
    ['fe80::1%eth0', 'ACL0434', undefined, undefined],
    ['10.0.0.0/08', 'ACL0435', undefined, '10.0.0.0/8'],
  ])('refuses the non-canonical %s (%s)', (raw, code, meant, suggestion) => {
    const got = checkCidr(raw);
    expect(got).toMatchObject({ ok: false, code });
    if (got.ok) return;
    expect(got.args.meant).toBe(meant);
    expect(got.suggestion).toBe(suggestion);
  });

  it('names the octal reading of leading zeros', () => {
    expect(checkCidr('010.000.000.000/8')).toMatchObject({
      args: { meant: '10.0.0.0/8', octal: '; `inet_aton` reads it as octal `8.0.0.0/8`' },
    });
  });
});

/** Reference: `local@domain`, lower-cased; the local part without spaces or the characters that end an address. */
function refEmail(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  const at = v.lastIndexOf('@');
  if (at <= 0) return null;
  const local = v.slice(0, at);
  if ([...local].some((c) => /\s/.test(c) || '@"<>()[],;:'.includes(c))) return null;
  return refDomain(v.slice(at + 1), false) === null ? null : v;
}

/** Reference: LDH labels of 1–63 characters, no hyphen at either end, at least two labels, an alphabetic TLD start. */
function refDomain(raw: string, trimDot = true): string | null {
  let v = raw.trim().toLowerCase();
  if (trimDot && v.endsWith('.')) v = v.slice(0, -1);
  if (v.length > 253) return null;
  const labels = v.split('.');
  if (labels.length < 2) return null;
  for (const l of labels) if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) return null;
  return /^[a-z]/.test(labels[labels.length - 1] as string) ? v : null;
}

const label = fc.oneof(
  fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/),
  fc.constantFrom('', '-a', 'a-', 'A', 'xn--p1ai', 'a_b', '1', 'é', 'a'.repeat(63), 'a'.repeat(64)),
);
const domainish = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '', '.', ' '))
  .map(([ls, end]) => `${ls.join('.')}${end}`);
const emailish = fc
  .tuple(
    fc.oneof(fc.stringMatching(/^[a-z0-9._+-]{1,8}$/), fc.constantFrom('', 'a b', 'a"b', 'A.B', '@', 'a@b')),
    domainish,
  )
  .map(([l, d]) => `${l}@${d}`);

describe('emails, domains, countries and durations against strict references', () => {
  it('domains', () =>
    fc.assert(
      fc.property(domainish, (raw) => {
        const got = checkValue('domain', raw);
        const ref = refDomain(raw);
        expect(got.ok ? got.value : null, raw).toBe(ref);
        if (got.ok) expect(checkValue('domain', got.value)).toEqual(got);
      }),
      { numRuns: 3000 },
    ));

  it('emails', () =>
    fc.assert(
      fc.property(emailish, (raw) => {
        const got = checkValue('email', raw);
        expect(got.ok ? got.value : null, raw).toBe(refEmail(raw));
        if (got.ok) expect(checkValue('email', got.value)).toEqual(got);
      }),
      { numRuns: 3000 },
    ));

  it('countries: exactly the ISO 3166-1 alpha-2 codes, in any case', () => {
    const iso = new Set(COUNTRY_CODES);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z]{1,3}$/), (raw) => {
        const got = checkValue('country', raw);
        expect(got.ok ? got.value : null).toBe(iso.has(raw.toUpperCase()) ? raw.toUpperCase() : null);
      }),
      { numRuns: 3000 },
    );
  });

  it('durations: Go units only, each accepted text a fixed point', () => {
    const unit = fc.constantFrom('ns', 'us', 'µs', 'ms', 's', 'm', 'h', 'd', 'w', 'x', '', 'min');
    const part = fc
      .tuple(fc.nat(99), fc.option(fc.nat(9)), unit)
      .map(([n, f, u]) => `${n}${f === null ? '' : `.${f}`}${u}`);
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 3 }), (parts) => {
        const raw = parts.join('');
        const ref = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(raw);
        const got = checkDuration(raw);
        expect(got.ok, raw).toBe(ref);
        if (!got.ok && got.suggestion !== undefined) expect(checkDuration(got.suggestion).ok).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['country', 'UK', 'ACL0405', 'did you mean `GB`?'],
    ['country', 'deu', 'ACL0405', 'did you mean `DE`?'],
    ['risk_level', 'hgh', 'ACL0409', 'did you mean `high`?'],
    ['auth_method', 'mfaa', 'ACL0408', 'did you mean `mfa`?'],
    ['email', '@example.com', 'ACL0437', undefined],
  ] as const)('%s `%s` → %s with a suggestion', (kind, raw, code, help) => {
    const got = checkValue(kind, raw);
    expect(got).toMatchObject({ ok: false, code });
    if (!got.ok && help) expect(got.help).toContain(help);
  });

  it('`1d` → `d` is not a duration unit, use `24h`', () => {
    expect(checkDuration('1d')).toMatchObject({
      ok: false,
      code: 'ACL0436',
      args: { unit: 'd', instead: '24h' },
    });
    expect(checkDuration('2w')).toMatchObject({ code: 'ACL0436', suggestion: '336h' });
    expect(checkDuration('30min')).toMatchObject({ code: 'ACL0436', suggestion: '30m' });
    expect(checkDuration('1.5d')).toMatchObject({ code: 'ACL0436', suggestion: '36h' });
  });
});

describe('cidrContains', () => {
  /** The reference: parse both texts every time. */
  const reference = (cidr: string, address: string): boolean => {
    try {
      const [net, bits] = ipaddr.parseCIDR(cidr);
      const addr = ipaddr.parse(address);
      return addr.kind() === net.kind() && addr.match(net, bits);
    } catch {
      return false;
    }
  };

  it('answers like parsing both texts every time, past the parses it keeps (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const v4 = fc.tuple(octet, octet, octet, octet).map((b) => b.join('.'));
    const text = fc.oneof(v4, fc.constantFrom('::1', '2001:db8::1', 'not an address', '10.0.0.1/8', ''));
    const block = fc.oneof(
      fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, n]) => `${a}/${n}`),
      fc.constantFrom('2001:db8::/32', '::/0', '10.0.0.0/33', 'garbage', '0.0.0.0/0'),
    );
    fc.assert(
      fc.property(block, text, (cidr, address) => {
        expect(cidrContains(cidr, address)).toBe(reference(cidr, address));
      }),
      { numRuns: 25_000 },
    );
  });
});
