import type { WireApp, WireAppPolicyLink, WireGroup, WirePolicy } from '../model/compiled.js';
import type { WireRule } from '../selectors/wire.js';

/** Fields every stored object carries. */
export interface Stored {
  id: string;
  created_at?: string;
  updated_at?: string;
}

/** An Access group as the API returns it. */
export interface AccessGroup extends WireGroup, Stored {
  uid?: string;
  is_default?: boolean;
}

/** A reusable policy as the API returns it. */
export interface ReusablePolicy extends WirePolicy, Stored {
  uid?: string;
  reusable: true;
  /** Number of apps linking the policy. */
  app_count?: number;
}

/**
 * An app's `policies[]` entry as the API returns it: at least `{ id, precedence }`, usually the whole policy.
 * `reusable: false` marks a legacy app-scoped policy.
 */
export interface AppPolicyRef extends WireAppPolicyLink {
  name?: string;
  decision?: string;
  reusable?: boolean;
  [field: string]: unknown;
}

/** An Access application as the API returns it. */
export interface AccessApp extends Stored {
  name: string;
  type: string;
  domain: string;
  uid?: string;
  aud?: string;
  self_hosted_domains?: string[];
  destinations?: { type: string; uri?: string }[];
  policies: AppPolicyRef[];
  [setting: string]: unknown;
}

/** Body of an app create/update: links to reusable policies. */
export type AppBody = WireApp;

/** A legacy app-scoped policy (`/access/apps/{app_id}/policies`). */
export interface AppScopedPolicy extends Stored {
  name: string;
  decision: string;
  include: WireRule[];
  exclude: WireRule[];
  require: WireRule[];
  precedence: number;
  reusable?: boolean;
  [setting: string]: unknown;
}

/** An identity provider. `config` holds provider settings (client secrets come back redacted by Cloudflare). */
export interface IdentityProvider extends Stored {
  name: string;
  type: string;
  config: Record<string, unknown>;
  scim_config?: Record<string, unknown>;
}

export interface IdentityProviderBody {
  name: string;
  type: string;
  config: Record<string, unknown>;
}

/** A service token. `client_secret` is present only in the answer to a create, and is never stored by aclc. */
export interface ServiceToken extends Stored {
  name: string;
  client_id: string;
  client_secret?: string;
  duration?: string;
  expires_at?: string;
}

export interface ServiceTokenBody {
  name: string;
  duration?: string;
}

export type GatewayListType = 'EMAIL' | 'IP' | 'DOMAIN' | 'URL' | 'SERIAL';

export interface GatewayListItem {
  value: string;
  description?: string;
  created_at?: string;
}

/** A Zero Trust list (`/gateway/lists`). The list endpoints return `count`, not the items. */
export interface GatewayList extends Stored {
  name: string;
  type: GatewayListType;
  description?: string;
  count?: number;
  items?: GatewayListItem[];
}

export interface GatewayListBody {
  name: string;
  type: GatewayListType;
  description?: string;
  items?: { value: string; description?: string }[];
}

/** A device posture rule (`/devices/posture`). */
export interface PostureRule extends Stored {
  name: string;
  type: string;
  description?: string;
  schedule?: string;
  expiration?: string;
  match?: { platform: string }[];
  input?: Record<string, unknown>;
}

export interface PostureRuleBody {
  name: string;
  type: string;
  description?: string;
  schedule?: string;
  expiration?: string;
  match?: { platform: string }[];
  input?: Record<string, unknown>;
}
