/**
 * The emulator's account state: the same shape as a seed file. Pure: parsing and normalising only.
 */
import { stamp, storedApp, storedGroup, storedPolicy } from './behaviours.js';

/** A stored object: JSON with an id and timestamps (plus whatever the API body carried). */
export type Rec = Record<string, unknown> & { id: string; created_at: string; updated_at: string };

/** One scope's objects (the account, or one zone). */
export interface Bucket {
  groups: Rec[];
  /** Reusable policies (account scope only). */
  policies: Rec[];
  /** Apps; `policies` holds links `{ id, precedence }` to reusable policies. */
  apps: Rec[];
  /** Legacy app-scoped policies, each with `app_id` and `precedence`. */
  app_policies: Rec[];
  identity_providers: Rec[];
  /** Service tokens, never with their secret. */
  service_tokens: Rec[];
  /** Zero Trust lists, with their `items`. */
  lists: Rec[];
  posture_rules: Rec[];
}

export const COLLECTIONS = [
  'groups',
  'policies',
  'apps',
  'app_policies',
  'identity_providers',
  'service_tokens',
  'lists',
  'posture_rules',
] as const satisfies readonly (keyof Bucket)[];

/** The whole emulated account. */
export interface EmulatorState extends Bucket {
  /** Zone-scoped Access objects, by zone id. */
  zones: Record<string, Bucket>;
  /** The account's zones by id → domain name, answered by `GET /zones?name=…` (`zones.ts`). */
  zone_names?: Record<string, string>;
  /** Bookkeeping: apps created through the emulator (others are "legacy" and may carry app-scoped policies). */
  emulator: { native_app_ids: string[] };
  /** Access tags (account scope), see `tags.ts`. */
  tags?: { name: string; created_at: string; updated_at: string }[];
}

export function emptyBucket(): Bucket {
  return {
    groups: [],
    policies: [],
    apps: [],
    app_policies: [],
    identity_providers: [],
    service_tokens: [],
    lists: [],
    posture_rules: [],
  };
}

/**
 * An object keyed by user input (zone ids): without a prototype, so `__proto__` or `constructor` is an ordinary key.
 */
export function userKeyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function emptyState(): EmulatorState {
  return { ...emptyBucket(), zones: userKeyed(), emulator: { native_app_ids: [] } };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface NormaliseOptions {
  now: string;
  newId: () => string;
}

function normaliseList(raw: unknown, where: string, opts: NormaliseOptions): Rec[] | string {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return `\`${where}\` is not an array`;
  const out: Rec[] = [];
  for (const [i, item] of raw.entries()) {
    if (!isRecord(item)) return `\`${where}[${i}]\` is not an object`;
    const id = typeof item.id === 'string' && item.id ? item.id : opts.newId();
    const created = typeof item.created_at === 'string' ? item.created_at : stamp(opts.now);
    const updated = typeof item.updated_at === 'string' ? item.updated_at : created;
    out.push({ ...item, id, created_at: created, updated_at: updated });
  }
  return out;
}

/** `app_policies` may be an array of policies with `app_id`, or an object `{ [app_id]: policy[] }`. */
function normaliseAppPolicies(raw: unknown, where: string, opts: NormaliseOptions): Rec[] | string {
  if (!isRecord(raw)) return normaliseList(raw, where, opts);
  const out: Rec[] = [];
  for (const [appId, list] of Object.entries(raw)) {
    const recs = normaliseList(list, `${where}.${appId}`, opts);
    if (typeof recs === 'string') return recs;
    for (const r of recs) out.push({ ...r, app_id: appId });
  }
  return out;
}

function normaliseBucket(
  raw: Record<string, unknown>,
  where: string,
  opts: NormaliseOptions,
): Bucket | string {
  const bucket = emptyBucket();
  for (const name of COLLECTIONS) {
    const path = where ? `${where}.${name}` : name;
    const recs =
      name === 'app_policies'
        ? normaliseAppPolicies(raw[name], path, opts)
        : normaliseList(raw[name], path, opts);
    if (typeof recs === 'string') return recs;
    bucket[name] = recs;
  }
  for (const p of bucket.app_policies) {
    if (typeof p.app_id !== 'string') return `app policy \`${p.id}\` has no \`app_id\``;
    if (typeof p.precedence !== 'number') return `app policy \`${p.id}\` has no numeric \`precedence\``;
  }
  // Seeded objects are stored as the API would hold them (its defaults filled in); a state file already is.
  bucket.groups = bucket.groups.map((g) => ({ ...g, ...storedGroup(g) }));
  bucket.policies = bucket.policies.map((p) => ({ ...p, ...storedPolicy(p) }));
  bucket.app_policies = bucket.app_policies.map((p) => ({ ...p, ...storedPolicy(p) }));
  bucket.apps = bucket.apps.map((a) => ({
    ...a,
    ...storedApp(a),
    policies: Array.isArray(a.policies)
      ? a.policies
          .filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null)
          .map((l) => ({ id: l.id, precedence: l.precedence }))
      : [],
  }));
  for (const l of bucket.lists) if (!Array.isArray(l.items)) l.items = [];
  for (const t of bucket.service_tokens) delete t.client_secret;
  return bucket;
}

/**
 * Parse a seed or state document. A seed's apps are all "legacy" (they may carry app-scoped policies); a state file
 * written by the emulator remembers which apps it created.
 */
export function normaliseState(raw: unknown, opts: NormaliseOptions): EmulatorState | string {
  if (!isRecord(raw)) return 'the document is not a JSON object';
  const top = normaliseBucket(raw, '', opts);
  if (typeof top === 'string') return top;
  const zones = userKeyed<Bucket>();
  if (raw.zones !== undefined) {
    if (!isRecord(raw.zones)) return '`zones` is not an object';
    for (const [zone, b] of Object.entries(raw.zones)) {
      if (!isRecord(b)) return `\`zones.${zone}\` is not an object`;
      const bucket = normaliseBucket(b, `zones.${zone}`, opts);
      if (typeof bucket === 'string') return bucket;
      zones[zone] = bucket;
    }
  }
  const names = userKeyed<string>();
  if (raw.zone_names !== undefined) {
    if (!isRecord(raw.zone_names)) return '`zone_names` is not an object';
    for (const [id, name] of Object.entries(raw.zone_names)) {
      if (typeof name !== 'string' || name === '') return `\`zone_names.${id}\` is not a zone name`;
      names[id] = name.toLowerCase();
    }
  }
  const meta = isRecord(raw.emulator) ? raw.emulator : {};
  const native = Array.isArray(meta.native_app_ids)
    ? meta.native_app_ids.filter((x): x is string => typeof x === 'string')
    : [];
  return {
    ...top,
    zones,
    emulator: { native_app_ids: native },
    tags: normaliseTags(raw.tags, top, zones, opts),
    ...(Object.keys(names).length > 0 ? { zone_names: names } : {}),
  };
}

/**
 * The account's Access tags: those listed (a state file keeps them, so the account lock and the tags apps use
 * survive a restart), plus every tag a seeded app carries — Cloudflare answered that app, so its tags existed.
 */
function normaliseTags(
  raw: unknown,
  top: Bucket,
  zones: Record<string, Bucket>,
  opts: NormaliseOptions,
): NonNullable<EmulatorState['tags']> {
  const tags: NonNullable<EmulatorState['tags']> = [];
  const at = stamp(opts.now);
  for (const t of Array.isArray(raw) ? raw : []) {
    if (!isRecord(t) || typeof t.name !== 'string') continue;
    const created = typeof t.created_at === 'string' ? t.created_at : at;
    tags.push({
      name: t.name,
      created_at: created,
      updated_at: typeof t.updated_at === 'string' ? t.updated_at : created,
    });
  }
  const known = new Set(tags.map((t) => t.name));
  for (const app of [top, ...Object.values(zones)].flatMap((b) => b.apps))
    for (const name of Array.isArray(app.tags) ? app.tags : [])
      if (typeof name === 'string' && !known.has(name)) {
        known.add(name);
        tags.push({ name, created_at: at, updated_at: at });
      }
  return tags;
}
