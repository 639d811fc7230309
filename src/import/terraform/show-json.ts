/**
 * Reading `terraform show -json` output: a state (`values.root_module`) or a saved plan (`planned_values.root_module`),
 * with resources in `resources[]` and modules in `child_modules[]` (recursively). Each resource carries `address`,
 * `mode` (`managed` or `data`), `type`, `name`, `index` (for `count` / `for_each`) and its evaluated `values`.
 * Format: https://developer.hashicorp.com/terraform/internals/json-format (values representation). Pure.
 */

/** One resource instance Terraform knows, with its evaluated attributes. */
export interface TfResource {
  /** Full instance address, e.g. `module.access.cloudflare_access_group.team["eng"]`. */
  address: string;
  /** The address without instance keys, as a `removed { from = … }` block takes it. */
  configAddress: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  values: Record<string, unknown>;
  /** Attribute paths Terraform only knows after apply (plans only), e.g. `include.0.group.0`. */
  unknown: string[];
}

export interface TfDocument {
  /** `state` for `terraform show -json` of a state, `plan` for a saved plan, `files` for `.tf` files. */
  source: 'state' | 'plan' | 'files';
  resources: TfResource[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a["x"].b[0]` → `a.b`: instance keys dropped. */
export function withoutInstanceKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\]/g, '');
}

/** Paths of the `true` leaves of an `after_unknown` value. */
function unknownPaths(v: unknown, prefix: string, out: string[]): void {
  if (v === true) out.push(prefix);
  else if (Array.isArray(v))
    for (const [i, x] of v.entries()) unknownPaths(x, prefix ? `${prefix}.${i}` : String(i), out);
  else if (isRecord(v))
    for (const [k, x] of Object.entries(v)) unknownPaths(x, prefix ? `${prefix}.${k}` : k, out);
}

function collect(module: unknown, unknown: Map<string, string[]>, out: TfResource[]): string | undefined {
  if (!isRecord(module)) return undefined;
  const resources = module.resources ?? [];
  if (!Array.isArray(resources)) return '`resources` is not an array';
  for (const r of resources) {
    if (!isRecord(r) || typeof r.address !== 'string' || typeof r.type !== 'string')
      return 'a resource has no `address` or `type`';
    out.push({
      address: r.address,
      configAddress: withoutInstanceKeys(r.address),
      mode: r.mode === 'data' ? 'data' : 'managed',
      type: r.type,
      name: typeof r.name === 'string' ? r.name : '',
      values: isRecord(r.values) ? r.values : {},
      unknown: unknown.get(r.address) ?? [],
    });
  }
  const children = module.child_modules ?? [];
  if (!Array.isArray(children)) return '`child_modules` is not an array';
  for (const child of children) {
    const error = collect(child, unknown, out);
    if (error) return error;
  }
  return undefined;
}

/**
 * The resources of `terraform show -json` output, or why the JSON is not that. A plan's values come from
 * `planned_values`; what Terraform cannot know before apply (ids of objects to create) is listed per resource.
 */
export function readShowJson(json: unknown): { value?: TfDocument; error?: string } {
  const expected = 'expected the output of `terraform show -json` (of the state, or of a saved plan)';
  if (!isRecord(json)) return { error: `the file is not a JSON object; ${expected}` };
  if (typeof json.format_version !== 'string')
    return {
      error:
        'version' in json && 'resources' in json
          ? 'this is a raw state file (`terraform.tfstate`), not `terraform show -json` output; run `terraform show -json > state.json`'
          : `it has no \`format_version\`; ${expected}`,
    };
  const source = isRecord(json.planned_values) ? 'plan' : 'state';
  const root = source === 'plan' ? (json.planned_values as Record<string, unknown>) : json.values;
  if (root === undefined || root === null) return { value: { source, resources: [] } };
  if (!isRecord(root))
    return { error: `\`${source === 'plan' ? 'planned_values' : 'values'}\` is not an object` };
  const unknown = new Map<string, string[]>();
  if (source === 'plan' && Array.isArray(json.resource_changes))
    for (const c of json.resource_changes) {
      if (!isRecord(c) || typeof c.address !== 'string' || !isRecord(c.change)) continue;
      const paths: string[] = [];
      unknownPaths(c.change.after_unknown, '', paths);
      if (paths.length > 0) unknown.set(c.address, paths);
    }
  const resources: TfResource[] = [];
  const error = collect(root.root_module, unknown, resources);
  if (error) return { error };
  return { value: { source, resources } };
}
