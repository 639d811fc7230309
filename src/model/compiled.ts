import type { WireRule } from '../selectors/wire.js';
import type { Decision } from './decision.js';

/** Prefix of the names of groups the compiler synthesizes; recognisable in the dashboard and by `plan`. */
export const SYNTH_PREFIX = 'aclc~';

/** Body of `POST /accounts/{account_id}/access/groups`. */
export interface WireGroup {
  name: string;
  include: WireRule[];
  exclude: WireRule[];
  require: WireRule[];
}

/** Body of `POST /accounts/{account_id}/access/policies` (a reusable policy). Settings fields are optional. */
export interface WirePolicy {
  name: string;
  decision: Decision;
  include: WireRule[];
  exclude: WireRule[];
  require: WireRule[];
  session_duration?: string;
  approval_required?: boolean;
  approval_groups?: { approvals_needed: number; email_addresses?: string[]; email_list_uuid?: string }[];
  isolation_required?: boolean;
  purpose_justification_required?: boolean;
  purpose_justification_prompt?: string;
  mfa_config?: { allowed_authenticators?: string[]; mfa_disabled?: boolean; session_duration?: string };
  connection_rules?: {
    ssh?: { usernames: string[]; allow_email_alias?: boolean };
    rdp?: {
      allowed_clipboard_local_to_remote_formats?: ('text' | 'file')[];
      allowed_clipboard_remote_to_local_formats?: ('text' | 'file')[];
    };
  };
}

/** `policies[]` entry of an app: a reference to a reusable policy (`$ref:policy:<name>` until deployed). */
export interface WireAppPolicyLink {
  id: string;
  precedence: number;
}

/** Body of `POST /accounts/{account_id}/access/apps` (self-hosted and friends); settings fields are optional. */
export interface WireApp {
  name: string;
  type: string;
  /** Absent for apps without a hostname (`saas`, `infrastructure`). */
  domain?: string;
  destinations?: (
    | { type: 'public'; uri: string }
    | {
        type: 'private';
        cidr?: string;
        hostname?: string;
        port_range?: string;
        l4_protocol?: 'tcp' | 'udp';
        vnet_id?: string;
      }
  )[];
  policies: WireAppPolicyLink[];
  [setting: string]: unknown;
}

/**
 * Body of `POST /accounts/{account_id}/gateway/lists` for a list declared in code (Zero Trust lists; cloudflare-go
 * `teams_list.go`: `name`, `type`, `items: [{ value }]`). Access rules name it with `ip_list` / `email_list`.
 */
export interface WireList {
  name: string;
  type: 'IP' | 'EMAIL';
  items: { value: string }[];
}

/** What `aclc compile` prints: the project as API request bodies, in dependency order. */
export interface CompiledProject {
  groups: WireGroup[];
  policies: WirePolicy[];
  apps: WireApp[];
  /** Zero Trust lists declared in code, by name; absent when the project declares none. */
  lists?: WireList[];
  /**
   * Where the zone-level objects live: `group:<name>`, `policy:<name>` (a zone app's inline policies, app-scoped),
   * `app:<name>` → the zone's name or id as written. Objects absent from it are account-level; absent when the
   * project has no zone-level object.
   */
  scopes?: Record<string, string>;
}
