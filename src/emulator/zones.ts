/**
 * `GET /zones`: the account's zones, so that a project can name a zone (`zone "example.com"`) and aclc find its id.
 * Answered from the seed's `zone_names` (zone id → domain name). Source: `SOURCES.zonesList` (behaviours.ts),
 * Cloudflare's Zones API "List Zones": `name` filters by the domain name,
 * `per_page` is 5 to 50 (default 20), each zone carries `id`, `name`, `status`, `paused`, `type` and its
 * `account` `{ id, name }`. What else a zone answers (name servers, plan, meta) is not modelled.
 */
import { E } from './codes.js';
import { err, paginate, type Reply } from './reply.js';
import type { EmulatorState } from './state.js';

export function listZones(
  method: string,
  query: URLSearchParams,
  state: EmulatorState,
  accountId: string,
): Reply {
  if (method !== 'GET') return err(E.methodNotAllowed());
  const name = query.get('name')?.toLowerCase();
  const zones = Object.entries(state.zone_names ?? {})
    .filter(([, n]) => name === undefined || n === name)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, n]) => ({
      id,
      name: n,
      status: 'active',
      paused: false,
      type: 'full',
      account: { id: accountId, name: 'emulated account' },
    }));
  const perPage = query.get('per_page');
  if (perPage !== null && (Number(perPage) < 5 || Number(perPage) > 50))
    return err(E.invalid('per_page: must be an integer from 5 to 50'));
  if (perPage === null) query.set('per_page', '20');
  return paginate(zones, query, [20, 50]);
}
