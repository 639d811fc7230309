import type {
  AccessApp,
  AccessGroup,
  GatewayList,
  IdentityProvider,
  PostureRule,
  ReusablePolicy,
  ServiceToken,
} from '../api/types.js';
import type { LiveCollection, LiveState } from './live.js';

/** What reading the account needs from the API client (`AccessClient` satisfies it). */
export interface LiveApi {
  groups: { list(): Promise<AccessGroup[]> };
  policies: { list(): Promise<ReusablePolicy[]> };
  apps: { list(): Promise<AccessApp[]> };
  identityProviders: { list(): Promise<IdentityProvider[]> };
  serviceTokens: { list(): Promise<ServiceToken[]> };
  lists: { list(): Promise<GatewayList[]> };
  postureRules: { list(): Promise<PostureRule[]> };
  /** Access tags (`AccessClient` has them; an in-memory account without tags reads none). */
  tags?: { list(): Promise<{ name: string }[]> };
}

/**
 * Reads the account: groups, reusable policies and apps (each paginated at the largest page size), plus the
 * account collections named in `reads`. The collections are read concurrently (the client bounds concurrency).
 * Every read is waited for, failed or not, so that none is still running (or fails unobserved) once this returns;
 * when any failed it throws the first failure (in the order the collections are listed).
 */
export async function readLive(api: LiveApi, reads: readonly LiveCollection[]): Promise<LiveState> {
  const want = new Set(reads);
  const settled = await Promise.allSettled([
    api.groups.list(),
    api.policies.list(),
    api.apps.list(),
    want.has('idps') ? api.identityProviders.list() : undefined,
    want.has('serviceTokens') ? api.serviceTokens.list() : undefined,
    want.has('lists') ? api.lists.list() : undefined,
    want.has('postureRules') ? api.postureRules.list() : undefined,
    want.has('tags') ? api.tags?.list() : undefined,
  ]);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const value = <T>(i: number): T => (settled[i] as PromiseFulfilledResult<T>).value;
  const [groups, policies, apps] = [
    value<AccessGroup[]>(0),
    value<ReusablePolicy[]>(1),
    value<AccessApp[]>(2),
  ];
  const [idps, serviceTokens, lists, postureRules] = [
    value<IdentityProvider[] | undefined>(3),
    value<ServiceToken[] | undefined>(4),
    value<GatewayList[] | undefined>(5),
    value<PostureRule[] | undefined>(6),
  ];
  const tags = value<{ name: string }[] | undefined>(7);
  const live: LiveState = {
    groups,
    policies,
    apps: apps.map((a) => ({ ...a, policies: Array.isArray(a.policies) ? a.policies : [] })),
  };
  if (idps) live.idps = idps;
  if (serviceTokens) live.serviceTokens = serviceTokens;
  if (lists) live.lists = lists;
  if (postureRules) live.postureRules = postureRules;
  if (tags) live.tags = tags.map((t) => ({ name: t.name }));
  return live;
}
