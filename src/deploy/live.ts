import type {
  AccessApp,
  AccessGroup,
  AppScopedPolicy,
  GatewayList,
  IdentityProvider,
  PostureRule,
  ReusablePolicy,
  ServiceToken,
} from '../api/types.js';
import type { RefKind } from '../model/formula.js';

/**
 * What `plan` reads from the account: the three kinds aclc manages (groups, reusable policies, apps), plus the
 * account objects that references resolve to. Account-object collections are read only when the code refers to
 * that kind, so they may be absent.
 */
export interface LiveState {
  groups: AccessGroup[];
  policies: ReusablePolicy[];
  apps: AccessApp[];
  idps?: IdentityProvider[];
  serviceTokens?: ServiceToken[];
  lists?: GatewayList[];
  postureRules?: PostureRule[];
  /** The account's Access tags (names), read when a declared app carries tags. */
  tags?: { name: string }[];
  /** Legacy app-scoped policies by app id (read for import; plan uses the app's `policies[]` entries). */
  legacyPolicies?: Record<string, AppScopedPolicy[]>;
  /** The zones the code names, each with its Access groups and apps (`zones.ts`); absent when it names none. */
  zones?: ZoneLive[];
}

/**
 * One zone as read: its id, how the code names it (`example.com`, or the id), and its Access groups and apps (an
 * app's `policies` are its app-scoped policies, expanded). Reusable policies do not exist at zone level.
 */
export interface ZoneLive {
  /** The zone as the code writes it (a name or an id): the key of `CompiledProject.scopes` values. */
  key: string;
  id: string;
  groups: AccessGroup[];
  apps: AccessApp[];
}

/**
 * The account with its zones' groups and apps beside its own (ids are unique across scopes), for what looks at
 * every object alike: the plan view, the guards, the access diff. The account itself when no zone was read.
 */
export function flattenZones(live: LiveState): LiveState {
  if (!live.zones || live.zones.length === 0) return live;
  return {
    ...live,
    groups: [...live.groups, ...live.zones.flatMap((z) => z.groups)],
    apps: [...live.apps, ...live.zones.flatMap((z) => z.apps)],
  };
}

/** The optional collections of `LiveState`. */
export type LiveCollection = 'idps' | 'serviceTokens' | 'lists' | 'postureRules' | 'tags';

export const LIVE_COLLECTIONS: readonly LiveCollection[] = [
  'idps',
  'serviceTokens',
  'lists',
  'postureRules',
  'tags',
];

/** The collection account references of a kind resolve in (`undefined`: groups, policies, apps, always read). */
export function collectionOf(kind: RefKind): LiveCollection | undefined {
  switch (kind) {
    case 'idp':
      return 'idps';
    case 'service_token':
      return 'serviceTokens';
    case 'email_list':
    case 'ip_list':
      return 'lists';
    case 'device_posture':
      return 'postureRules';
    default:
      return undefined;
  }
}

/** The kinds of object aclc creates, updates and deletes. */
export type ManagedKind = 'group' | 'policy' | 'app';

export const MANAGED_KINDS: readonly ManagedKind[] = ['group', 'policy', 'app'];

/** An empty account. */
export function emptyLiveState(): LiveState {
  return { groups: [], policies: [], apps: [] };
}

/**
 * Whether an app `policies[]` entry is a legacy app-scoped policy rather than a link to a reusable one. The API
 * marks reusable policies only: they answer `reusable: true` (schema `access_reusable_policy_resp`), app-scoped
 * ones carry no `reusable` field at all (`access_app_policy_response`). With the account's reusable policy ids at
 * hand, an entry naming one of them is never legacy, whatever it carries.
 */
export function isLegacyLink(
  entry: { id?: string; reusable?: boolean },
  reusableIds?: ReadonlySet<string>,
): boolean {
  if (reusableIds && typeof entry.id === 'string' && reusableIds.has(entry.id)) return false;
  return entry.reusable !== true;
}
