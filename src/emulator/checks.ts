/**
 * Body checks for the resources the project's JSON Schemas do not cover (identity providers, service tokens,
 * lists, posture rules): the fields Cloudflare requires, with its enums. Pure; each returns problems as text.
 */

import { parseBlock } from '../selectors/ip.js';

export const IDP_TYPES = [
  'onetimepin',
  'azureAD',
  'saml',
  'centrify',
  'facebook',
  'github',
  'google-apps',
  'google',
  'linkedin',
  'oidc',
  'okta',
  'onelogin',
  'pingone',
  'yandex',
] as const;

export const LIST_TYPES = ['SERIAL', 'URL', 'DOMAIN', 'EMAIL', 'IP'] as const;

export const POSTURE_TYPES = [
  'file',
  'application',
  'tanium',
  'gateway',
  'warp',
  'disk_encryption',
  'serial_number',
  'sentinelone',
  'carbonblack',
  'firewall',
  'os_version',
  'domain_joined',
  'client_certificate',
  'client_certificate_v2',
  'antivirus',
  'unique_client_id',
  'kolide',
  'tanium_s2s',
  'crowdstrike_s2s',
  'intune',
  'workspace_one',
  'sentinelone_s2s',
  'custom_s2s',
] as const;

type Body = Record<string, unknown>;

function isRecord(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const quote = (v: unknown): string => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

function name(body: Body, problems: string[]): void {
  if (typeof body.name !== 'string' || body.name.trim() === '') problems.push('name: missing field `name`');
  else if (body.name.length > 350) problems.push('name: is longer than 350 characters');
}

function oneOf(body: Body, field: string, allowed: readonly string[], problems: string[]): void {
  const v = body[field];
  if (v === undefined) problems.push(`${field}: missing field \`${field}\``);
  else if (typeof v !== 'string' || !allowed.includes(v))
    problems.push(`${field}: ${quote(v)} is not one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
}

function notBody(body: unknown): string[] | undefined {
  return isRecord(body) ? undefined : ['(top level): must be an object'];
}

export function checkIdentityProvider(body: unknown): string[] {
  const bad = notBody(body);
  if (bad) return bad;
  const b = body as Body;
  const problems: string[] = [];
  name(b, problems);
  oneOf(b, 'type', IDP_TYPES, problems);
  if (!isRecord(b.config)) problems.push('config: missing field `config`');
  return problems;
}

const DURATION = /^(([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|forever)$/;

export function checkServiceToken(body: unknown): string[] {
  const bad = notBody(body);
  if (bad) return bad;
  const b = body as Body;
  const problems: string[] = [];
  name(b, problems);
  if (b.duration !== undefined && (typeof b.duration !== 'string' || !DURATION.test(b.duration)))
    problems.push(`duration: ${quote(b.duration)} is not a duration such as \`8760h\` or \`forever\``);
  return problems;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function validItem(type: string, value: string): boolean {
  if (type === 'EMAIL') return EMAIL.test(value);
  // The CLI's strict parser: `10.1`, `010.0.0.0`, `0x0a.1.2.3` or `167772161` are refused, not read as another
  // address (Cloudflare's side parses with Go's `net/netip`, strict since Go 1.17).
  if (type === 'IP') return parseBlock(value) !== undefined;
  return value.trim() !== '';
}

/** List items (`items` of a create/update, `append` of a patch) for a list of `type`. */
export function checkListItems(type: string, items: unknown, field: string): string[] {
  if (items === undefined) return [];
  if (!Array.isArray(items)) return [`${field}: must be an array`];
  const problems: string[] = [];
  items.forEach((item, i) => {
    const value = isRecord(item) ? item.value : undefined;
    if (typeof value !== 'string') problems.push(`${field}[${i}]: missing field \`value\``);
    else if (!validItem(type, value))
      problems.push(`${field}[${i}].value: ${quote(value)} is not a valid ${type} entry`);
  });
  return problems;
}

export function checkList(body: unknown, existingType?: string): string[] {
  const bad = notBody(body);
  if (bad) return bad;
  const b = body as Body;
  const problems: string[] = [];
  name(b, problems);
  if (existingType === undefined) oneOf(b, 'type', LIST_TYPES, problems);
  else if (b.type !== undefined && b.type !== existingType)
    problems.push('type: the type of a list cannot be changed');
  const type = typeof b.type === 'string' ? b.type : existingType;
  if (type) problems.push(...checkListItems(type, b.items, 'items'));
  return problems;
}

export function checkPostureRule(body: unknown): string[] {
  const bad = notBody(body);
  if (bad) return bad;
  const b = body as Body;
  const problems: string[] = [];
  name(b, problems);
  oneOf(b, 'type', POSTURE_TYPES, problems);
  if (b.match !== undefined && !Array.isArray(b.match)) problems.push('match: must be an array');
  if (b.input !== undefined && !isRecord(b.input)) problems.push('input: must be an object');
  return problems;
}
