/**
 * Legacy app-scoped policies (`/access/apps/{app_id}/policies`): listed and read like Cloudflare does, created
 * only on apps that predate the emulator (seeded ones), and converted with `make_reusable`.
 */
import { presentLegacy, stamp, storedPolicy } from './behaviours.js';
import { E } from './codes.js';
import { err, invalidAll, paginate, type Reply } from './reply.js';
import type { Bucket, Rec } from './state.js';
import { type AccountView, type Body, isRecord, type StoreRequest } from './types.js';

/** Default and largest page size of an app's policy list. */
const APP_POLICY_PAGE: [number, number] = [200, 1000];

/** Answer `…/access/apps/{app_id}/policies[/{policy_id}[/make_reusable]]`. */
export function appPolicies(
  store: AccountView,
  req: StoreRequest,
  bucket: Bucket,
  appId: string,
  pid: string | undefined,
  action: string | undefined,
): Reply {
  const app = store.find(bucket.apps, appId);
  if (!app) return err(E.notFound(req.path));
  if (pid === undefined) {
    if (req.method === 'GET') return paginate(store.appPolicyViews(bucket, app), req.query, APP_POLICY_PAGE);
    if (req.method !== 'POST') return err(E.methodNotAllowed());
    // An app created through the emulator takes no new app-scoped policy at account level (reusable policies
    // replace them there); a zone-level app has no reusable policies, so its own are created this way too.
    // Sources: `SOURCES.providerZonePolicies` (a zone app created, then its policy by `application_id` + `zone_id`).
    if (store.state.emulator.native_app_ids.includes(app.id) && req.zoneId === undefined)
      return err(
        E.invalid(
          'this application does not support app-scoped policies; create a reusable policy and link it in the application `policies`',
        ),
      );
    return writeLegacy(store, bucket, app, req.body, undefined);
  }
  const legacy = bucket.app_policies.find((p) => p.app_id === app.id && p.id === pid);
  const linked = ((app.policies as { id: string; precedence: number }[]) ?? []).find((l) => l.id === pid);
  if (action === 'make_reusable') {
    if (req.method !== 'PUT') return err(E.methodNotAllowed());
    if (legacy) return makeReusable(store, bucket, app, legacy);
    const policy = linked && store.state.policies.find((p) => p.id === pid);
    return policy ? { status: 200, result: store.presentPolicy(policy) } : err(E.notFound(req.path));
  }
  if (action !== undefined) return err(E.noRoute());
  if (!legacy && !linked) return err(E.notFound(req.path));
  if (req.method === 'GET')
    return { status: 200, result: store.appPolicyViews(bucket, app).find((p) => p.id === pid) };
  if (!legacy)
    return err(E.invalid(`policy \`${pid}\` is reusable; change it through \`/access/policies/${pid}\``));
  if (req.method === 'PUT') return writeLegacy(store, bucket, app, req.body, legacy);
  if (req.method === 'DELETE') {
    bucket.app_policies.splice(bucket.app_policies.indexOf(legacy), 1);
    return { status: 202, result: { id: legacy.id }, wrote: true };
  }
  return err(E.methodNotAllowed());
}

function writeLegacy(
  store: AccountView,
  bucket: Bucket,
  app: Rec,
  body: unknown,
  existing: Rec | undefined,
): Reply {
  if (!isRecord(body)) return invalidAll(['(top level): must be an object']);
  const { precedence: given, ...policy } = body;
  const others = store.appPolicyViews(bucket, app).filter((p) => p.id !== existing?.id);
  const precedence =
    given ?? existing?.precedence ?? Math.max(0, ...others.map((p) => Number(p.precedence))) + 1;
  const schema = store.deps.validators.appPolicy(policy);
  const problems = schema.valid ? [] : [...schema.errors];
  if (!Number.isInteger(precedence)) problems.push('precedence: must be integer');
  if (problems.length) return invalidAll(problems);
  const refs = store.checkRefs(bucket, policy, undefined);
  if (refs) return refs;
  if (others.some((p) => p.precedence === precedence)) return err(E.precedence());
  const now = stamp(store.deps.now());
  const rec: Rec = {
    id: existing?.id ?? store.deps.newId(),
    ...storedPolicy(policy),
    precedence,
    app_id: app.id,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  if (existing) bucket.app_policies[bucket.app_policies.indexOf(existing)] = rec;
  else bucket.app_policies.push(rec);
  return { status: existing ? 200 : 201, result: presentLegacy(rec), wrote: true };
}

function makeReusable(store: AccountView, bucket: Bucket, app: Rec, legacy: Rec): Reply {
  const { app_id: _app, precedence, ...fields } = legacy;
  const policy: Rec = {
    ...fields,
    id: legacy.id,
    created_at: legacy.created_at,
    updated_at: stamp(store.deps.now()),
  };
  bucket.app_policies.splice(bucket.app_policies.indexOf(legacy), 1);
  store.state.policies.push(policy);
  app.policies = [...((app.policies as Body[]) ?? []), { id: policy.id, precedence }];
  return { status: 200, result: store.presentPolicy(policy), wrote: true };
}
