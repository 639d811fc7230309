/**
 * The emulated account's behaviour, without HTTP: route a request to a collection, validate, apply referential
 * rules, mutate the state, and say what to answer. Synchronous, so a request's checks and its write are atomic.
 */
import {
  fillPrecedences,
  keepsPolicies,
  type PolicyEntry,
  patchedItems,
  policyEntries,
  presentGroup,
  presentLegacy,
  presentList,
  presentPolicy,
  stamp,
  storedApp,
  storedGroup,
  storedPolicy,
  storedSaasApp,
} from './behaviours.js';
import { checkListItems } from './checks.js';
import { E } from './codes.js';
import { appCount, buckets, type CollKey, checkBody, checkRefs, userOf } from './integrity.js';
import { appPolicies } from './legacy.js';
import { err, invalidAll, paginate, type Reply } from './reply.js';
import { type Bucket, type EmulatorState, emptyBucket, type Rec } from './state.js';
import {
  type AccountView,
  type Body,
  isRecord,
  type StoreDeps,
  type StoreRequest,
  type Validate,
} from './types.js';

export type { StoreDeps, StoreRequest, Validate };

interface Kind {
  coll: CollKey;
  noun: string;
  accountOnly: boolean;
  /** Page sizes (default, max); without it a list returns everything unless asked for pages. */
  page?: [number, number];
  limit?: number;
}

/** Cloudflare's route → collection table, page sizes and account limits. */
const KINDS: Record<string, Kind> = {
  'access/groups': { coll: 'groups', noun: 'group', accountOnly: false, page: [1000, 1000], limit: 300 },
  'access/policies': { coll: 'policies', noun: 'policy', accountOnly: true, page: [100, 1000], limit: 500 },
  'access/apps': { coll: 'apps', noun: 'application', accountOnly: false, page: [1000, 1000], limit: 500 },
  'access/identity_providers': {
    coll: 'identity_providers',
    noun: 'identity provider',
    accountOnly: false,
    limit: 50,
  },
  'access/service_tokens': { coll: 'service_tokens', noun: 'service token', accountOnly: false, limit: 50 },
  'gateway/lists': { coll: 'lists', noun: 'list', accountOnly: true },
  'devices/posture': { coll: 'posture_rules', noun: 'posture rule', accountOnly: true },
};

export class Store implements AccountView {
  constructor(
    readonly state: EmulatorState,
    readonly deps: StoreDeps,
  ) {}

  handle(req: StoreRequest): Reply {
    const [a, b, id, sub, pid, action, ...rest] = req.segments;
    const kind = KINDS[`${a}/${b}`];
    if (!kind || rest.length || (kind.accountOnly && req.zoneId !== undefined)) return err(E.noRoute());
    const bucket = this.bucket(req.zoneId);
    if (kind.coll === 'apps' && sub === 'policies')
      return appPolicies(this, req, bucket, id as string, pid, action);
    if (kind.coll === 'lists' && sub === 'items' && pid === undefined) {
      if (req.method !== 'GET') return err(E.methodNotAllowed());
      const list = this.find(bucket.lists, id as string);
      return list ? paginate((list.items as unknown[]) ?? [], req.query) : err(E.notFound(req.path));
    }
    if (sub !== undefined) return err(E.noRoute());
    if (id === undefined) {
      if (req.method === 'GET') return this.list(kind, bucket, req.query);
      if (req.method === 'POST') return this.create(kind, bucket, req.body);
      return err(E.methodNotAllowed());
    }
    const rec = this.find(bucket[kind.coll], id);
    if (!rec)
      return ['GET', 'PUT', 'PATCH', 'DELETE'].includes(req.method)
        ? err(E.notFound(req.path))
        : err(E.methodNotAllowed());
    if (req.method === 'GET') return { status: 200, result: this.present(kind.coll, rec) };
    if (req.method === 'PUT') return this.update(kind, bucket, rec, req.body);
    if (req.method === 'DELETE') return this.remove(kind, bucket, rec);
    if (req.method === 'PATCH' && kind.coll === 'lists') return this.patchList(rec, req.body);
    return err(E.methodNotAllowed());
  }

  // ── collections ──────────────────────────────────────────────────────────────────────

  private list(kind: Kind, bucket: Bucket, query: URLSearchParams): Reply {
    const name = query.get('name');
    const items = bucket[kind.coll].filter((r) => name === null || r.name === name);
    return paginate(
      items.map((r) => this.present(kind.coll, r)),
      query,
      kind.page,
    );
  }

  private create(kind: Kind, bucket: Bucket, body: unknown): Reply {
    const problem = checkBody(this.state, this.deps, kind.coll, bucket, body, undefined);
    if (problem) return problem;
    if (kind.limit !== undefined && bucket[kind.coll].length >= kind.limit)
      return err(
        E.invalid(
          `the account already has the maximum of ${kind.limit} ${kind.noun === 'policy' ? 'policies' : `${kind.noun}s`}`,
        ),
      );
    const now = this.now();
    const rec: Rec = {
      id: this.deps.newId(),
      ...this.build(kind.coll, body as Body, undefined),
      created_at: now,
      updated_at: now,
    };
    if (kind.coll === 'apps') {
      rec.policies = [];
      this.writeAppPolicies(bucket, rec, body as Body);
    }
    bucket[kind.coll].push(rec);
    const result = this.present(kind.coll, rec);
    if (kind.coll === 'apps') this.state.emulator.native_app_ids.push(rec.id);
    if (
      kind.coll === 'apps' &&
      rec.type === 'saas' &&
      isRecord(rec.saas_app) &&
      rec.saas_app.auth_type === 'oidc'
    ) {
      // An OIDC app's client secret is answered to the create only and never stored (`storedSaasApp`).
      const r = result as Body;
      const saas = { ...(r.saas_app as Body), client_secret: this.deps.hex(32) };
      return { status: 201, result: { ...r, saas_app: saas }, wrote: true };
    }
    if (kind.coll === 'service_tokens') {
      // The secret is answered once and never stored, as Cloudflare does.
      return { status: 201, result: { ...(result as Body), client_secret: this.deps.hex(32) }, wrote: true };
    }
    return { status: 201, result, wrote: true };
  }

  private update(kind: Kind, bucket: Bucket, rec: Rec, body: unknown): Reply {
    const problem = checkBody(this.state, this.deps, kind.coll, bucket, body, rec);
    if (problem) return problem;
    const next: Rec = {
      id: rec.id,
      ...this.build(kind.coll, body as Body, rec),
      created_at: rec.created_at,
      updated_at: this.now(),
    };
    if (kind.coll === 'apps') {
      next.policies = rec.policies;
      this.writeAppPolicies(bucket, next, body as Body);
    }
    const coll = bucket[kind.coll];
    coll[coll.indexOf(rec)] = next;
    return { status: 200, result: this.present(kind.coll, next), wrote: true };
  }

  /**
   * Set an app's policies from a create or `PUT` body: links to reusable policies, this app's legacy policies
   * kept (at their new precedence), inline ones created or updated; legacy policies the list leaves out are
   * detached, which deletes them (they live inside the app). A body without `policies` leaves them as they are.
   */
  private writeAppPolicies(bucket: Bucket, app: Rec, body: Body): void {
    if (keepsPolicies(body)) return;
    const entries = fillPrecedences(policyEntries(body.policies));
    const legacy = bucket.app_policies.filter((p) => p.app_id === app.id);
    const links: Body[] = [];
    const kept = new Set<string>();
    const now = this.now();
    for (const entry of entries) {
      const old = entry.id === undefined ? undefined : legacy.find((p) => p.id === entry.id);
      if (entry.kind === 'link' && !old) {
        links.push({ id: entry.id, precedence: entry.precedence });
        continue;
      }
      if (old && entry.kind === 'link') {
        old.precedence = entry.precedence;
        kept.add(old.id);
        continue;
      }
      const policy = (entry as Extract<PolicyEntry, { kind: 'inline' }>).policy;
      const rec: Rec = {
        id: old?.id ?? this.deps.newId(),
        ...storedPolicy(policy),
        precedence: entry.precedence,
        app_id: app.id,
        created_at: old?.created_at ?? now,
        updated_at: now,
      };
      if (old) bucket.app_policies[bucket.app_policies.indexOf(old)] = rec;
      else bucket.app_policies.push(rec);
      kept.add(rec.id);
    }
    bucket.app_policies = bucket.app_policies.filter((p) => p.app_id !== app.id || kept.has(p.id));
    app.policies = links;
  }

  private remove(kind: Kind, bucket: Bucket, rec: Rec): Reply {
    const user = userOf(this.state, kind.coll, rec);
    if (user) return err(E.inUse(`${kind.noun} \`${String(rec.name)}\``, user));
    const coll = bucket[kind.coll];
    coll.splice(coll.indexOf(rec), 1);
    if (kind.coll === 'apps') {
      bucket.app_policies = bucket.app_policies.filter((p) => p.app_id !== rec.id);
      this.state.emulator.native_app_ids = this.state.emulator.native_app_ids.filter((x) => x !== rec.id);
    }
    return { status: 202, result: { id: rec.id }, wrote: true };
  }

  private patchList(rec: Rec, body: unknown): Reply {
    if (!isRecord(body)) return invalidAll(['(top level): must be an object']);
    const type = String(rec.type);
    const problems = checkListItems(type, body.append, 'append');
    if (
      body.remove !== undefined &&
      (!Array.isArray(body.remove) || !body.remove.every((x) => typeof x === 'string'))
    )
      problems.push('remove: must be an array of values');
    if (problems.length) return invalidAll(problems);
    const now = this.now();
    rec.items = patchedItems(
      (rec.items as Body[]) ?? [],
      (body.append as Body[] | undefined) ?? [],
      (body.remove as string[] | undefined) ?? [],
      now,
    );
    rec.updated_at = now;
    return { status: 200, result: this.present('lists', rec), wrote: true };
  }

  /** @internal */
  checkRefs(bucket: Bucket, body: Body, self: Rec | undefined): Reply | undefined {
    return checkRefs(this.state, bucket, body, self);
  }

  // ── stored and answered forms ───────────────────────────────────────────────────────

  private build(coll: CollKey, body: Body, existing: Rec | undefined): Body {
    if (coll === 'groups') return storedGroup(body);
    if (coll === 'policies') return storedPolicy(body);
    if (coll === 'apps') {
      const app: Body = { ...storedApp(body), aud: existing?.aud ?? this.deps.hex(32) };
      return app.type === 'saas' ? storedSaasApp(app, existing, this.deps.hex) : app;
    }
    if (coll === 'service_tokens') {
      const { client_secret: _secret, ...rest } = body;
      return { duration: '8760h', ...rest, client_id: existing?.client_id ?? `${this.deps.hex(16)}.access` };
    }
    if (coll === 'lists') {
      // `PUT` without `items` keeps them: "Skips updating list items if not included in the payload" (Cloudflare
      // API reference, Update Zero Trust list, `PUT /accounts/{account_id}/gateway/lists/{list_id}`).
      const now = this.now();
      const items =
        body.items !== undefined
          ? (body.items as Body[]).map((i) => ({ ...i, created_at: now }))
          : (existing?.items ?? []);
      return { ...body, type: existing?.type ?? body.type, items };
    }
    return { ...body };
  }

  /** @internal */
  present(coll: CollKey, rec: Rec): unknown {
    if (coll === 'groups') return presentGroup(rec);
    if (coll === 'policies') return this.presentPolicy(rec);
    if (coll === 'apps')
      return { ...rec, uid: rec.id, policies: this.appPolicyViews(this.bucketOfApp(rec), rec) };
    if (coll === 'lists') return presentList(rec);
    return { ...rec };
  }

  presentPolicy(rec: Rec): Body {
    return presentPolicy(rec, appCount(this.state, rec.id));
  }

  /** An app's policies as the API shows them (expanded): linked reusable ones and legacy ones, by precedence. */
  appPolicyViews(bucket: Bucket, app: Rec): Body[] {
    const views: Body[] = [];
    for (const link of (app.policies as { id: string; precedence: number }[]) ?? []) {
      const policy = this.state.policies.find((p) => p.id === link.id);
      views.push(policy ? { ...this.presentPolicy(policy), precedence: link.precedence } : { ...link });
    }
    for (const p of bucket.app_policies) if (p.app_id === app.id) views.push(presentLegacy(p));
    return views.sort((x, y) => Number(x.precedence) - Number(y.precedence));
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────

  private now(): string {
    return stamp(this.deps.now());
  }

  private bucket(zoneId: string | undefined): Bucket {
    if (zoneId === undefined) return this.state;
    this.state.zones[zoneId] ??= emptyBucket();
    return this.state.zones[zoneId];
  }

  private bucketOfApp(app: Rec): Bucket {
    return buckets(this.state).find((b) => b.apps.includes(app)) ?? this.state;
  }

  /** @internal */
  find(recs: Rec[], id: string): Rec | undefined {
    return recs.find((r) => r.id === id);
  }
}
