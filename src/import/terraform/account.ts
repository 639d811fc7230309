import { APP_SETTINGS } from '../../settings/app-settings.js';
import { POLICY_SETTINGS } from '../../settings/policy-settings.js';
import { listFromTerraform } from './lists.js';
import { addUnnamedIdps, handOverOnlyWhatIsWritten } from './reconcile.js';
import { conditionRules, hasValue } from './rules.js';
import type { TfDocument, TfResource } from './show-json.js';
import {
  isZoneId,
  leaveOrphanPolicies,
  notAZone,
  withZones,
  ZONE_REUSABLE,
  type ZoneBucket,
  zoneBucket,
  zoneOf,
} from './zones.js';

/**
 * Terraform resources → the account they describe, in the shape of an account export (`aclc export`, the emulator's
 * seed): what Terraform created, as the API holds it, so the existing importer and `accountFromExport` read it
 * unchanged. Resource types and attributes: terraform-provider-cloudflare v4 (`website/docs/r/access_{group,policy,application}.html.markdown`,
 * `internal/sdkv2provider/resource_cloudflare_access_{group,policy,application}.go`) and v5 (`docs/resources/zero_trust_access_{group,policy,application}.md`,
 * `internal/services/zero_trust_access_{group,policy,application}/schema.go`). Pure.
 */

type Rec = Record<string, unknown>;
type Kind = 'group' | 'policy' | 'app' | 'idp' | 'token' | 'list' | 'posture';

/** Every resource type read, in both the v4 names and the `zero_trust` names (v4 ≥ 4.40 and v5). */
export const RESOURCE_KINDS: Readonly<Record<string, Kind>> = {
  cloudflare_access_group: 'group',
  cloudflare_zero_trust_access_group: 'group',
  cloudflare_access_policy: 'policy',
  cloudflare_zero_trust_access_policy: 'policy',
  cloudflare_access_application: 'app',
  cloudflare_zero_trust_access_application: 'app',
  cloudflare_access_identity_provider: 'idp',
  cloudflare_zero_trust_access_identity_provider: 'idp',
  cloudflare_access_service_token: 'token',
  cloudflare_zero_trust_access_service_token: 'token',
  cloudflare_teams_list: 'list',
  cloudflare_zero_trust_list: 'list',
  cloudflare_device_posture_rule: 'posture',
  cloudflare_zero_trust_device_posture_rule: 'posture',
};

/** Something of the configuration the import leaves out or cannot read. */
export interface TfFinding {
  address: string;
  /** `unknown`: only known after apply; `unreadable`: the import cannot keep its meaning; `left`: left out. */
  kind: 'unknown' | 'unreadable' | 'left';
  reason: string;
}

export interface TfAccount {
  /** The account as an export (groups, policies, apps, app_policies, identity_providers, …). */
  account: Rec;
  /** Managed groups, policies and apps taken over from Terraform (what the hand-over removes from its state). */
  adopted: TfResource[];
  findings: TfFinding[];
  /** Reusable policies apps link by id that the configuration does not declare. */
  externPolicies: Set<string>;
}

function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Attributes Terraform keeps that are not part of the object (scope, computed ids and timestamps). */
const BOOKKEEPING = new Set([
  'id',
  'account_id',
  'zone_id',
  'name',
  'aud',
  'uid',
  'created_at',
  'updated_at',
  'domain_type',
  'policies',
  'include',
  'exclude',
  'require',
  'application_id',
  'precedence',
  'decision',
  'reusable',
  'app_count',
  'is_default',
  'self_hosted_domains',
]);

/** `[{…}]` (a v4 block of at most one) → `{…}`; an object stays. Empty values inside are dropped. */
function oneBlock(v: unknown): Rec | undefined {
  const b = Array.isArray(v) ? v[0] : v;
  if (!isRecord(b)) return undefined;
  const out = compact(b) as Rec | undefined;
  return out && Object.keys(out).length > 0 ? out : undefined;
}

/** A state value without Terraform's empty defaults (`null`, `""`, `[]`, `false`, `0` where unset). */
function compact(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(compact).filter((x) => x !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isRecord(v)) {
    const out: Rec = {};
    for (const [k, x] of Object.entries(v)) {
      const c = compact(x);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return v === null || v === '' || v === false || v === 0 ? undefined : v;
}

/** Top-level fields of a setting table, with the Terraform names that differ (v4 `approval_group`). */
const POLICY_FIELDS: readonly [tf: string, wire: string][] = [
  ...POLICY_SETTINGS.entries.map((e): [string, string] => [e.wire, e.wire]),
  ['approval_group', 'approval_groups'],
];
const APP_FIELDS = APP_SETTINGS.entries
  .map((e) => e.wire)
  .filter((w) => w !== 'domain' && w !== 'destinations');
/**
 * v4 booleans the provider sends only when true (`d.GetOk`, which is false for `false`), so a `false` in v4 state means
 * "not sent", while the API's `false` overrides an account setting. Source: the v4 provider's
 * `resource_cloudflare_access_application.go` (`if _, ok := d.GetOk("allow_authenticate_via_warp"); ok { … }`).
 */
const V4_UNSET_FALSE = new Set(['allow_authenticate_via_warp']);

/** Whether an application's state is v4's (SDKv2: nested blocks are lists) rather than v5's (objects or null). */
const isV4App = (values: Rec): boolean =>
  ['cors_headers', 'saas_app', 'landing_page_design', 'scim_config'].some((k) => Array.isArray(values[k]));

/** A `false` the v4 provider never sends (`V4_UNSET_FALSE`): the same as unset. */
const neverSent = (r: TfResource, field: string, v: boolean): boolean =>
  !v && V4_UNSET_FALSE.has(field) && (r.type.startsWith('cloudflare_access_') || isV4App(r.values));

/** The settings of an object: a field the table knows, with its value, or a finding for a field it does not. */
function settings(
  r: TfResource,
  fields: readonly [string, string][],
  skip: Set<string>,
  found: TfFinding[],
): Rec {
  const out: Rec = {};
  const known = new Set(fields.map(([tf]) => tf));
  for (const [tf, wire] of fields) {
    const v = r.values[tf];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'boolean') {
      if (!neverSent(r, tf, v)) out[wire] = v;
    } else if (tf === 'cors_headers' || tf === 'mfa_config' || tf === 'connection_rules') {
      const b = oneBlock(v);
      if (b) out[wire] = b;
    } else {
      const c = compact(v);
      if (c !== undefined) out[wire] = c;
    }
  }
  for (const [k, v] of Object.entries(r.values))
    if (!known.has(k) && !skip.has(k) && !BOOKKEEPING.has(k) && hasValue(v))
      found.push({
        address: r.address,
        kind: 'left',
        reason: `\`${k}\` is not imported: aclc has no setting for it (the account keeps it as it is)`,
      });
  return out;
}

function conditions(r: TfResource, found: TfFinding[]): Rec {
  const out: Rec = {};
  for (const k of ['include', 'exclude', 'require']) {
    out[k] = conditionRules(r.values[k], (field) =>
      found.push({
        address: r.address,
        kind: 'unreadable',
        reason: `\`${k}\` sets \`${field}\`, a rule this importer does not read; the import would change who gets in`,
      }),
    );
  }
  return out;
}

/** An app's links to reusable policies: v4 lists ids in precedence order, v5 lists `{ id, precedence }`. */
function appLinks(v: unknown): Rec[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((item, i): Rec[] => {
    if (typeof item === 'string' && item !== '') return [{ id: item, precedence: i + 1 }];
    if (isRecord(item) && typeof item.id === 'string')
      return [{ id: item.id, precedence: typeof item.precedence === 'number' ? item.precedence : i + 1 }];
    return [];
  });
}

/**
 * The policies a v5 application writes inside its `policies` (items with a `decision`): app-scoped policies of the
 * app, at their precedence (their position when absent). Source: the v5 provider's application schema, whose
 * `policies` items take either an `id` (a reusable policy) or a policy's own attributes.
 */
function ownPolicies(r: TfResource, found: TfFinding[]): Rec[] {
  const items = Array.isArray(r.values.policies) ? r.values.policies : [];
  return items.flatMap((item, i): Rec[] => {
    if (!isRecord(item) || !str(item.decision)) return [];
    const at: TfResource = { ...r, address: `${r.address}.policies[${i}]`, values: item };
    return [
      {
        id: str(item.id) ?? `tf:${r.address}#${i}`,
        name: str(item.name) ?? `Policy ${i + 1}`,
        decision: item.decision,
        ...conditions(at, found),
        ...settings(at, POLICY_FIELDS, new Set(), found),
        precedence: typeof item.precedence === 'number' ? item.precedence : i + 1,
      },
    ];
  });
}

function destinations(v: unknown): Rec[] | undefined {
  const list = compact(v);
  return Array.isArray(list) ? (list.filter(isRecord) as Rec[]) : undefined;
}

const zoneScoped = (r: TfResource): boolean =>
  str(r.values.zone_id) !== undefined && str(r.values.account_id) === undefined;

/**
 * The account a Terraform configuration describes. Data sources count as account objects (identity providers,
 * lists, … looked up by name); managed groups, policies and apps are adopted. Zone-scoped objects and values
 * Terraform only knows after apply are reported, not guessed.
 */
export function terraformAccount(doc: TfDocument): TfAccount {
  const found: TfFinding[] = [];
  const out = {
    identity_providers: [] as Rec[],
    service_tokens: [] as Rec[],
    lists: [] as Rec[],
    posture_rules: [] as Rec[],
    groups: [] as Rec[],
    policies: [] as Rec[],
    apps: [] as Rec[],
    app_policies: {} as Record<string, Rec[]>,
  };
  const adopted: TfResource[] = [];
  const zones: Record<string, ZoneBucket> = Object.create(null);
  for (const r of doc.resources) {
    const kind = RESOURCE_KINDS[r.type];
    if (!kind) {
      if (r.mode === 'managed' && /^cloudflare_(zero_trust_)?access_/.test(r.type))
        found.push({
          address: r.address,
          kind: 'left',
          reason: `\`${r.type}\` is not imported: aclc does not manage it`,
        });
      continue;
    }
    const unknown = r.unknown.filter((p) => p !== 'id' && !/^(aud|uid|created_at|updated_at)\b/.test(p));
    if (unknown.length > 0) {
      found.push({
        address: r.address,
        kind: 'unknown',
        reason: `\`${unknown[0]}\` is only known after \`terraform apply\``,
      });
      continue;
    }
    const id = str(r.values.id) ?? `tf:${r.address}`;
    const name = str(r.values.name) ?? r.address;
    // Zone-level groups, apps and their app-scoped policies go to their zone (`zones.ts`).
    const zone = zoneScoped(r) ? zoneOf(r) : undefined;
    const scope = zone === undefined ? out : zoneBucket(zones, zone);
    if (zone !== undefined && !isZoneId(zone)) {
      found.push({ address: r.address, kind: 'unreadable', reason: notAZone(zone) });
      continue;
    }
    if (zone !== undefined && kind === 'policy' && !str(r.values.application_id)) {
      found.push({ address: r.address, kind: 'left', reason: ZONE_REUSABLE });
      continue;
    }
    switch (kind) {
      case 'idp':
        out.identity_providers.push({ id, name, type: str(r.values.type) ?? '', config: {} });
        break;
      case 'token':
        out.service_tokens.push({
          id,
          name,
          ...(str(r.values.client_id) ? { client_id: r.values.client_id } : {}),
        });
        break;
      case 'list': {
        const read = listFromTerraform(r, id, name, found);
        out.lists.push(read.list);
        if (read.handOver) adopted.push(r);
        break;
      }
      case 'posture':
        out.posture_rules.push({ id, name, type: str(r.values.type) ?? 'warp' });
        break;
      case 'group':
        if (r.mode !== 'managed') break;
        scope.groups.push({ id, name, ...conditions(r, found) });
        adopted.push(r);
        break;
      case 'policy': {
        if (r.mode !== 'managed') break;
        const decision = str(r.values.decision);
        if (!decision) {
          found.push({ address: r.address, kind: 'unreadable', reason: 'the policy has no `decision`' });
          break;
        }
        const body = {
          id,
          name,
          decision,
          ...conditions(r, found),
          ...settings(r, POLICY_FIELDS, new Set(), found),
        };
        const appId = str(r.values.application_id);
        if (appId) {
          const precedence = typeof r.values.precedence === 'number' ? r.values.precedence : 1;
          scope.app_policies[appId] = [...(scope.app_policies[appId] ?? []), { ...body, precedence }];
        } else out.policies.push(body);
        adopted.push(r);
        break;
      }
      case 'app': {
        if (r.mode !== 'managed') break;
        const body: Rec = { id, name, type: str(r.values.type) ?? 'self_hosted' };
        const domain = str(r.values.domain);
        if (domain) body.domain = domain;
        const hosted = compact(r.values.self_hosted_domains);
        if (Array.isArray(hosted)) body.self_hosted_domains = hosted;
        const dest = destinations(r.values.destinations);
        if (dest) body.destinations = dest;
        const fields = APP_FIELDS.map((w): [string, string] => [w, w]);
        Object.assign(body, settings(r, fields, new Set(['destinations', 'domain', 'type']), found));
        body.policies = appLinks(r.values.policies);
        // v5 `policies` items written with their rules (`decision`, `include`, …) are the app's own policies.
        const own = ownPolicies(r, found);
        if (own.length > 0) {
          const ownIds = new Set(own.map((p) => p.id));
          body.policies = (body.policies as Rec[]).filter((l) => !ownIds.has(l.id));
          scope.app_policies[id] = [...(scope.app_policies[id] ?? []), ...own];
        }
        scope.apps.push(body);
        adopted.push(r);
        break;
      }
    }
  }
  addUnnamedIdps(out);
  // App-scoped policies of an app the configuration does not declare (in their scope) have nowhere to go: left to
  // Terraform.
  for (const scope of [out, ...Object.values(zones)]) leaveOrphanPolicies(scope, adopted, found);
  handOverOnlyWhatIsWritten(withZones(out, zones), adopted, found);
  // Links to reusable policies the configuration does not declare (made in the dashboard, or by another
  // configuration, and linked by id): attached by id and left alone, never dropped.
  const declared = new Set(out.policies.map((p) => String(p.id)));
  const externPolicies = new Set<string>();
  for (const app of out.apps)
    for (const link of app.policies as Rec[]) {
      const id = String(link.id);
      if (declared.has(id) || externPolicies.has(id)) continue;
      externPolicies.add(id);
      found.push({
        address: adopted.find((r) => r.values.id === app.id)?.address ?? String(app.name),
        kind: 'left',
        reason: `links the reusable policy \`${id}\` that the configuration does not declare: written as \`use extern id("${id}")\`, which leaves it as it is; what it decides is not part of the check`,
      });
    }
  const account: Rec = Object.keys(zones).length > 0 ? { ...out, zones } : out;
  return { account, adopted, findings: found, externPolicies };
}
