import { unownedSaasFields } from '../settings/app-types.js';
import { APP_SETTINGS, POLICY_SETTINGS } from '../settings/index.js';
import type { SettingsTable } from '../settings/schema.js';
import type { FieldChange } from './diff.js';
import type { ManagedKind } from './live.js';
import { type Body, type Change, changeKey } from './plan-types.js';

/**
 * Which fields of a live object aclc owns, and which it keeps as the account has them. aclc owns every field the
 * language can write (a setting absent from the code means its default); everything else — `scim_config`,
 * `saas_app`, `oauth_configuration`, fields a future API adds — is read from the live object and sent back
 * unchanged, because an update is a `PUT` that replaces the whole object. Pure.
 */

/** Fields the API computes: never sent back. */
const READ_ONLY: ReadonlySet<string> = new Set([
  'id',
  'uid',
  'aud',
  'created_at',
  'updated_at',
  'app_count',
  'reusable',
  'account_id',
]);

function settingKeys(table: SettingsTable): string[] {
  return table.entries.map((e) => e.wire ?? e.key);
}

let managed: Record<ManagedKind, ReadonlySet<string>> | undefined;

/**
 * The wire fields aclc writes for each kind: the structure (`name`, rules, decision, domains, policy links) plus
 * every entry of the settings tables, so a setting the language gains is owned without a change here.
 */
export function managedFields(kind: ManagedKind): ReadonlySet<string> {
  managed ??= {
    group: new Set(['name', 'include', 'exclude', 'require']),
    policy: new Set([
      'name',
      'decision',
      'include',
      'exclude',
      'require',
      'precedence',
      ...settingKeys(POLICY_SETTINGS),
    ]),
    app: new Set([
      'name',
      'type',
      'domain',
      'self_hosted_domains',
      'destinations',
      'policies',
      ...settingKeys(APP_SETTINGS),
    ]),
  };
  return managed[kind];
}

/** The live fields aclc does not manage, to send back as they are (read-only fields left out). */
export function unmanagedFields(kind: ManagedKind, live: Record<string, unknown>): Record<string, unknown> {
  const owned = managedFields(kind);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(live)) {
    if (owned.has(k) || READ_ONLY.has(k) || v === undefined || v === null) continue;
    out[k] = v;
  }
  return out;
}

/**
 * The body of an update: the live object's unmanaged fields, then what the code declares. Also names the fields
 * kept, for the plan to show.
 */
export function mergeUnmanaged<B extends object>(
  kind: ManagedKind,
  live: Record<string, unknown>,
  desired: B,
): { body: B; kept: string[] } {
  const kept = unmanagedFields(kind, live);
  const body = { ...kept, ...desired } as Record<string, unknown>;
  const names = Object.keys(kept);
  // `saas_app` is owned field by field: what the language cannot write in it is kept, and so are
  // `custom_attributes`, `custom_claims`, … when the code does not write them.
  const desiredSaas = body.saas_app;
  if (kind === 'app' && typeof desiredSaas === 'object' && desiredSaas !== null) {
    const nested = unownedSaasFields(live.saas_app, desiredSaas as Record<string, unknown>);
    body.saas_app = { ...nested, ...desiredSaas };
    names.push(...Object.keys(nested).map((k) => `saas_app.${k}`));
  }
  return { body: body as B, kept: names.sort() };
}

type Json = Record<string, unknown>;
type Update = Extract<Change, { action: 'update' }>;

/**
 * The change that brings `current` to `body`: a create when there is no live object, an update when the merged body
 * differs from it (or `force`), nothing otherwise. `both` goes on either change, `updateOnly` on an update.
 */
export function upsertChange(args: {
  kind: ManagedKind;
  name: string;
  body: Body;
  after: string[];
  current: { id: string } | undefined;
  diffOf: (live: Json, desired: Json) => FieldChange[];
  both?: Partial<Update>;
  updateOnly?: Partial<Update>;
  force?: boolean;
}): Change | undefined {
  const { kind, name, body, after, current } = args;
  const key = changeKey(kind, name);
  if (!current) return { action: 'create', kind, name, key, phase: 0, after, body, ...args.both } as Change;
  const merged = mergeUnmanaged(kind, current as unknown as Json, body);
  const diff = args.diffOf(current as unknown as Json, merged.body as unknown as Json);
  if (diff.length === 0 && !args.force) return undefined;
  const change: Change = {
    action: 'update',
    kind,
    name,
    key,
    phase: 0,
    after,
    id: current.id,
    body: merged.body,
    diff,
    ...args.updateOnly,
    ...args.both,
  };
  if (merged.kept.length > 0) change.kept = merged.kept;
  return change;
}
