/**
 * What a request body must be and what it may refer to, on the emulated account: the body checked against
 * Cloudflare's definitions, its references checked to exist (in its own zone or the account), an app's policy list
 * checked entry by entry, and what still uses an object that is about to be deleted. Reads the state, never writes.
 */
import { fillPrecedences, keepsPolicies, policyEntries, storedApp } from './behaviours.js';
import { checkIdentityProvider, checkList, checkPostureRule, checkServiceToken } from './checks.js';
import { E } from './codes.js';
import { bodyRefs, type RefTarget, refersTo } from './refs.js';
import { err, invalidAll, type Reply } from './reply.js';
import type { Bucket, EmulatorState, Rec } from './state.js';
import { unknownTags } from './tags.js';
import type { ApiMessage, Body, StoreDeps, Validate } from './types.js';

/** The collections the routes write (a bucket's legacy `app_policies` have routes of their own, `legacy.ts`). */
export type CollKey = Exclude<keyof Bucket, 'app_policies'>;

/** The account and each of its zones. */
export function buckets(state: EmulatorState): Bucket[] {
  return [state, ...Object.values(state.zones)];
}

/** A create or `PUT` body for `coll`, checked; `undefined` when it may be written, else the 400 to answer. */
export function checkBody(
  state: EmulatorState,
  deps: StoreDeps,
  coll: CollKey,
  bucket: Bucket,
  body: unknown,
  existing: Rec | undefined,
): Reply | undefined {
  const v = deps.validators;
  let problems: string[] = [];
  const schema = (r: ReturnType<Validate>): string[] => (r.valid ? [] : r.errors);
  if (coll === 'groups') problems = schema(v.group(body));
  else if (coll === 'policies') problems = schema(v.policy(body));
  else if (coll === 'apps') problems = schema(v.app(body));
  else if (coll === 'identity_providers') problems = checkIdentityProvider(body);
  else if (coll === 'service_tokens') problems = checkServiceToken(body);
  else if (coll === 'lists') problems = checkList(body, existing ? String(existing.type) : undefined);
  else problems = checkPostureRule(body);
  if (problems.length) return invalidAll(problems);
  const b = body as Body;
  if (coll === 'groups' || coll === 'policies') return checkRefs(state, bucket, b, existing);
  if (coll === 'apps') return checkApp(state, deps, bucket, b, existing);
  return undefined;
}

/** Rule references that do not exist (or a group that includes itself), as a 400 reply. */
export function checkRefs(
  state: EmulatorState,
  bucket: Bucket,
  body: Body,
  self: Rec | undefined,
): Reply | undefined {
  const errors: ApiMessage[] = [];
  for (const ref of bodyRefs(body)) {
    if (self && ref.target === 'groups' && ref.id === self.id) {
      errors.push(...E.invalid(`${ref.where}: a group cannot include itself`).errors);
    } else if (!exists(state, bucket, ref.target, ref.id)) {
      if (ref.target === 'groups') errors.push(...E.unknownGroup(ref.id).errors);
      else errors.push(...E.invalid(`${ref.where}: \`${ref.id}\` does not exist`).errors);
    }
  }
  return errors.length ? { status: 400, errors } : undefined;
}

function checkApp(
  state: EmulatorState,
  deps: StoreDeps,
  bucket: Bucket,
  body: Body,
  existing: Rec | undefined,
): Reply | undefined {
  const tagged = unknownTags(state, body);
  if (tagged) return tagged;
  if (!keepsPolicies(body)) {
    const entries = fillPrecedences(policyEntries(body.policies));
    const legacy = existing ? bucket.app_policies.filter((p) => p.app_id === existing.id) : [];
    const seen = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      if (entry.id !== undefined) {
        if (seen.has(entry.id))
          return err(E.invalid(`policies[${i}].id: policy \`${entry.id}\` is linked more than once`));
        seen.add(entry.id);
      }
      const isLegacy = entry.id !== undefined && legacy.some((p) => p.id === entry.id);
      if (entry.kind === 'link' && !isLegacy && !state.policies.some((p) => p.id === entry.id))
        return err(E.invalid(`policies[${i}].id: policy \`${entry.id}\` does not exist`));
      if (entry.kind === 'inline') {
        if (entry.id !== undefined && !isLegacy)
          return err(
            E.invalid(`policies[${i}].id: policy \`${entry.id}\` is not a policy of this application`),
          );
        const problems = deps.validators.appPolicy(entry.policy);
        if (!problems.valid) return invalidAll(problems.errors.map((p) => `policies[${i}].${p}`));
        const refs = checkRefs(state, bucket, entry.policy, undefined);
        if (refs) return refs;
      }
    }
    const precedences = entries.map((e) => e.precedence);
    if (new Set(precedences).size !== precedences.length) return err(E.precedence());
  }
  const domain = storedApp(body).domain;
  const other = bucket.apps.find((a) => a !== existing && domain !== undefined && a.domain === domain);
  if (other) return err(E.appExists(String(domain)));
  return undefined;
}

function exists(state: EmulatorState, bucket: Bucket, target: RefTarget, id: string): boolean {
  const has = (recs: Rec[]) => recs.some((r) => r.id === id);
  switch (target) {
    case 'groups':
      return has(bucket.groups) || has(state.groups);
    case 'email_lists':
    case 'ip_lists': {
      const type = target === 'email_lists' ? 'EMAIL' : 'IP';
      return state.lists.some((l) => l.id === id && l.type === type);
    }
    case 'service_tokens':
      return has(bucket.service_tokens) || has(state.service_tokens);
    case 'posture_rules':
      return has(state.posture_rules);
    case 'identity_providers':
      return has(bucket.identity_providers) || has(state.identity_providers);
    case 'apps':
      return buckets(state).some((bk) => bk.apps.some((a) => a.id === id || a.uid === id));
  }
}

/** Who still uses `rec`, as text for the error, or `undefined` when it can go. */
export function userOf(state: EmulatorState, coll: CollKey, rec: Rec): string | undefined {
  if (coll === 'policies') {
    const n = appCount(state, rec.id);
    return n ? `${n} application${n === 1 ? '' : 's'}` : undefined;
  }
  const targets: Partial<Record<CollKey, RefTarget[]>> = {
    groups: ['groups'],
    lists: ['email_lists', 'ip_lists'],
    service_tokens: ['service_tokens'],
    posture_rules: ['posture_rules'],
    identity_providers: ['identity_providers'],
  };
  const t = targets[coll];
  if (!t) return undefined;
  for (const bk of buckets(state)) {
    for (const [what, recs] of [
      ['group', bk.groups],
      ['policy', bk.policies],
      ['policy', bk.app_policies],
    ] as const) {
      const user = recs.find((r) => r !== rec && refersTo(r, t, rec.id));
      if (user) return `${what} \`${String(user.name)}\``;
    }
    if (coll === 'identity_providers') {
      const app = bk.apps.find((a) => Array.isArray(a.allowed_idps) && a.allowed_idps.includes(rec.id));
      if (app) return `application \`${String(app.name)}\``;
    }
  }
  return undefined;
}

/** How many apps, in the account and its zones, link the reusable policy. */
export function appCount(state: EmulatorState, policyId: string): number {
  return buckets(state).reduce(
    (n, bk) =>
      n +
      bk.apps.filter((a) => ((a.policies as { id: string }[]) ?? []).some((l) => l.id === policyId)).length,
    0,
  );
}
