import type { TfFinding } from './account.js';
import type { TfResource } from './show-json.js';

/**
 * Terraform's Zero Trust lists as the account's lists. Pure. Resource types and attributes:
 * - v4 `cloudflare_teams_list` and its `zero_trust` name `cloudflare_zero_trust_list` (provider 4.x): `items`, a
 *   set of values, and `items_with_description`, a set of `{ value, description }` blocks (provider 4.x
 *   documentation of `teams_list`; cdktf-provider-cloudflare `TeamsListItemsWithDescription`);
 * - v5 `cloudflare_zero_trust_list`: `items`, a list of `{ value, description }` objects (provider 5.x
 *   documentation of `zero_trust_list`; cf-terraforming `testdata/terraform-v5/cloudflare_zero_trust_list`).
 * Managed IP and email lists are written as `list` declarations (their items with them) and handed over; lists of
 * the other types (`DOMAIN`, `URL`, `SERIAL`), which no Access rule can name, stay with Terraform. A data source
 * is an account object, named by its name.
 */

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The types of list aclc declares in code. */
export const DECLARED_LIST_TYPES: ReadonlySet<string> = new Set(['IP', 'EMAIL']);

/** A list's items in either dialect, in the order written, each value once. */
export function terraformListItems(values: Rec): { value: string; description?: string }[] {
  const out: { value: string; description?: string }[] = [];
  const seen = new Set<string>();
  const add = (value: unknown, description?: unknown): void => {
    const v = str(value);
    if (v === undefined || seen.has(v)) return;
    seen.add(v);
    const d = str(description);
    out.push(d === undefined ? { value: v } : { value: v, description: d });
  };
  for (const item of Array.isArray(values.items) ? values.items : [])
    if (isRecord(item)) add(item.value, item.description);
    else add(item);
  for (const item of Array.isArray(values.items_with_description) ? values.items_with_description : [])
    if (isRecord(item)) add(item.value, item.description);
  return out;
}

/**
 * One list resource as the account's list: with its items when the import declares it (a managed IP or email
 * list), so the importer writes it as a `list` declaration; `handOver` says whether Terraform gives it up.
 */
export function listFromTerraform(
  r: TfResource,
  id: string,
  name: string,
  found: TfFinding[],
): { list: Rec; handOver: boolean } {
  const type = str(r.values.type) ?? 'IP';
  const list: Rec = { id, name, type };
  if (r.mode !== 'managed') return { list, handOver: false };
  if (!DECLARED_LIST_TYPES.has(type)) {
    found.push({
      address: r.address,
      kind: 'left',
      reason: `a ${type} list is not imported: Access rules name IP and email lists only, so aclc declares only those; keep managing it with Terraform`,
    });
    return { list, handOver: false };
  }
  const description = str(r.values.description);
  if (description !== undefined) list.description = description;
  list.items = terraformListItems(r.values);
  return { list, handOver: true };
}
