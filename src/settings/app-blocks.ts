import type { Checked } from '../selectors/values.js';
import { conflict, exactlyOne } from './combinations.js';
import { NON_EMPTY, type SettingsTable, valueCheck } from './schema.js';

/**
 * The blocks an app's settings hold, each a table of its own: `cors { … }` (`cors_headers`) and
 * `destination { … }` (a private destination).
 */

export const URL_CHECK = valueCheck('url', 'an http(s) URL', 'http(s) URLs');
const HTTP_METHODS = [
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
] as const;

/** `cors { … }` → `cors_headers`. */
export const CORS_SETTINGS: SettingsTable = {
  name: 'cors',
  where: 'the `cors` block',
  entries: [
    {
      key: 'allowed_origins',
      wire: 'allowed_origins',
      type: { kind: 'list', item: { kind: 'string', check: URL_CHECK } },
      doc: 'origins allowed to make cross-origin requests',
      example: 'allowed_origins ["https://app.example.com"]',
    },
    {
      key: 'allowed_methods',
      wire: 'allowed_methods',
      type: { kind: 'list', item: { kind: 'enum', values: HTTP_METHODS } },
      doc: 'HTTP methods allowed in cross-origin requests',
      example: 'allowed_methods [GET, POST]',
    },
    {
      key: 'allowed_headers',
      wire: 'allowed_headers',
      type: { kind: 'list', item: { kind: 'string', check: NON_EMPTY } },
      doc: 'HTTP request headers allowed in cross-origin requests',
      example: 'allowed_headers ["Authorization"]',
    },
    {
      key: 'allow_all_origins',
      wire: 'allow_all_origins',
      type: { kind: 'bool' },
      doc: 'allow every origin',
      example: 'allow_all_origins true',
    },
    {
      key: 'allow_all_methods',
      wire: 'allow_all_methods',
      type: { kind: 'bool' },
      doc: 'allow every HTTP method',
      example: 'allow_all_methods true',
    },
    {
      key: 'allow_all_headers',
      wire: 'allow_all_headers',
      type: { kind: 'bool' },
      doc: 'allow every request header',
      example: 'allow_all_headers true',
    },
    {
      key: 'allow_credentials',
      wire: 'allow_credentials',
      type: { kind: 'bool' },
      doc: 'allow cookies and credentials in cross-origin requests',
      example: 'allow_credentials true',
    },
    {
      key: 'max_age',
      wire: 'max_age',
      type: { kind: 'number', integer: true, min: -1, max: 86400 },
      doc: 'seconds a browser may cache a preflight response (-1 turns caching off)',
      example: 'max_age 600',
    },
  ],
  finish(out, ctx) {
    for (const what of ['origins', 'methods', 'headers']) {
      conflict(
        out,
        ctx,
        `allow_all_${what}`,
        `allow_all_${what}`,
        `allowed_${what}`,
        `\`allow_all_${what}\` already allows every one; remove the list or the flag`,
      );
    }
  },
};

const PORT_RANGE = /^([0-9]{1,5})(?:-([0-9]{1,5}))?$/;

/** `22` or `8000-8099`: ports from 1 to 65535, the first not above the last. */
export function checkPortRange(raw: string): Checked {
  const m = PORT_RANGE.exec(raw.trim());
  const lo = m ? Number(m[1]) : 0;
  const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
  if (m && lo >= 1 && hi <= 65535 && lo <= hi)
    return { ok: true, value: m[2] === undefined ? `${lo}` : `${lo}-${hi}` };
  return { ok: false, code: 'ACL0416', args: { value: raw } };
}

/**
 * `destination { … }`: a private destination (API `access_destinations`, "Private destination": `cidr` or
 * `hostname`, optional `port_range`, `l4_protocol`, `vnet_id`). Public destinations are written with `domain`.
 */
export const PRIVATE_DESTINATION: SettingsTable = {
  name: 'destination',
  where: 'a `destination` block',
  entries: [
    {
      key: 'cidr',
      wire: 'cidr',
      type: { kind: 'string', check: valueCheck('cidr', 'an IP address or CIDR block') },
      doc: 'a private IP range (a single IP is sent as `/32` or `/128`, as the API computes it)',
      example: 'cidr "10.0.0.0/24"',
    },
    {
      key: 'hostname',
      wire: 'hostname',
      type: { kind: 'string', check: valueCheck('domain', 'a hostname') },
      doc: 'a private hostname (the SNI an HTTPS origin serves)',
      example: 'hostname "db.internal.example.com"',
    },
    {
      key: 'port_range',
      wire: 'port_range',
      type: { kind: 'string', check: { describe: 'a port or a range `low-high`', check: checkPortRange } },
      doc: 'one port or a range; all ports when absent',
      example: 'port_range "8000-8099"',
    },
    {
      key: 'l4_protocol',
      wire: 'l4_protocol',
      type: { kind: 'enum', values: ['tcp', 'udp'] },
      doc: 'the L4 protocol; both when absent',
      example: 'l4_protocol tcp',
    },
    {
      key: 'vnet_id',
      wire: 'vnet_id',
      type: { kind: 'string', check: NON_EMPTY },
      doc: 'the virtual network; all when absent',
      example: 'vnet_id "c0ffee00-0000-4000-8000-000000000001"',
    },
  ],
  finish(out, ctx) {
    exactlyOne(ctx, 'cidr', 'hostname', {
      where: 'a `destination` block',
      reason: 'a destination is an IP range or a hostname; keep one',
      usage: 'write it as `destination { cidr "10.0.0.0/24" port_range "22" l4_protocol tcp }`',
    });
    // The API's own shape: `{ type: "private", … }`, type first.
    return { type: 'private', ...out };
  },
};
