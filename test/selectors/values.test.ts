import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { type Checked, checkCidr } from '../../src/selectors/values.js';

/** `checkCidr` as written with ipaddr.js alone: the reference for its fast path on plain IPv4 text. */
function reference(raw: string): Checked {
  const text = raw.trim();
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
      return { ok: false, code: 'ACL0404', args: { value: raw, network: canonical }, suggestion: canonical };
    return { ok: true, value: canonical };
  } catch {
    return { ok: false, code: 'ACL0410', args: { value: raw } };
  }
}

const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom('256', '999', '00', '01', '010', '0x1f', '-1', ''),
);
const prefix = fc.oneof(
  fc.integer({ min: 0, max: 32 }).map((n) => `/${n}`),
  fc.constantFrom('', '', '/33', '/08', '/032', '/', '/x', '/-1'),
);
const ipv4ish = fc
  .tuple(fc.array(octet, { minLength: 1, maxLength: 5 }), prefix, fc.constantFrom('', ' ', '\t'))
  .map(([parts, p, pad]) => `${pad}${parts.join('.')}${p}${pad}`);

describe('checkCidr', () => {
  it('answers plain IPv4 text exactly as ipaddr.js does', () => {
    fc.assert(
      fc.property(ipv4ish, (raw) => {
        expect(checkCidr(raw)).toEqual(reference(raw));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['10.0.0.0/8', { ok: true, value: '10.0.0.0/8' }],
    ['198.51.100.7', { ok: true, value: '198.51.100.7/32' }],
    ['0.0.0.0/0', { ok: true, value: '0.0.0.0/0' }],
    [
      '10.1.2.3/8',
      {
        ok: false,
        code: 'ACL0404',
        args: { value: '10.1.2.3/8', network: '10.0.0.0/8' },
        suggestion: '10.0.0.0/8',
      },
    ],
    ['2001:db8::/32', { ok: true, value: '2001:db8::/32' }],
    ['300.1.1.1', { ok: false, code: 'ACL0410', args: { value: '300.1.1.1' } }],
  ])('%s', (raw, expected) => {
    expect(checkCidr(raw)).toEqual(expected);
    expect(reference(raw)).toEqual(expected);
  });
});
