import type { Span } from '../diagnostics/diagnostic.js';
import type { Decision } from './decision.js';
import type { Formula, Ref } from './formula.js';

/** Identity provider kinds the language knows, for "this selector needs an IdP of type X" checks. */
export type IdpType =
  | 'azure'
  | 'github'
  | 'google_workspace'
  | 'google'
  | 'okta'
  | 'saml'
  | 'oidc'
  | 'onetimepin'
  | 'onelogin'
  | 'pingone'
  | 'centrify'
  | 'facebook'
  | 'linkedin'
  | 'yandex'
  | 'cloudflare';

/** `idp NAME [: TYPE] = "Display name"` or `= id("uuid")`. */
export interface IdpDef {
  /** The name policies use, e.g. `okta`. */
  name: string;
  type?: IdpType;
  ref: Ref;
  span: Span;
}

/**
 * The zone a zone-scoped group or app lives in, as written: a zone name (`example.com`, resolved to its id at
 * deploy through `GET /zones?name=`) or a zone id (32 hex digits, written `id("…")`).
 */
export interface ZoneRef {
  /** The zone name, lower-case, or the zone id. */
  value: string;
  /** Whether `value` is a zone id (written `id("…")`). */
  isId: boolean;
  span: Span;
}

/** `group "Name" = EXPR` (managed by aclc) or `extern group "Name"` (lives in the account). */
export interface GroupDef {
  name: string;
  /** `group "Name" zone "example.com" = …`: a zone-level group; absent for account-level ones. */
  zone?: ZoneRef;
  /** `undefined` for an extern group. */
  formula?: Formula;
  extern: boolean;
  span: Span;
  /** Span of the group's name string. */
  nameSpan: Span;
}

/** `list "Name" = ip(…)` / `= email(…)`: a Zero Trust list aclc manages (Gateway lists API, types IP and EMAIL). */
export interface ListDef {
  name: string;
  type: 'ip' | 'email';
  /** Canonical values, each once, in source order. */
  members: string[];
  span: Span;
  nameSpan: Span;
}

/** Wire-level settings: API field name → JSON value, already validated and canonical. */
export type WireSettings = Record<string, unknown>;

/** A reusable policy, whether written at top level or inline in an app. */
export interface PolicyDef {
  /** The reusable policy's name in the account (inline policies get a derived name). */
  name: string;
  /** The name written in the source (differs from `name` for inline policies). */
  displayName: string;
  decision: Decision;
  formula: Formula;
  settings: WireSettings;
  /** Set when the policy was written inside an app. */
  inlineIn?: string;
  span: Span;
  nameSpan: Span;
  /** Span of the condition expression. */
  exprSpan: Span;
}

/** One entry of an app's policy list. */
export interface AppPolicyEntry {
  /** Name of the reusable policy (key into `Project.policies`). */
  policy: string;
  precedence: number;
  /** Whether `precedence N` was written (vs. numbered by order of appearance). */
  explicitPrecedence: boolean;
  span: Span;
}

/**
 * `use extern "Name"` / `use extern id("…")`: a reusable policy of the account that aclc does not manage, attached
 * to the app at its precedence. Its condition is not known to the compiler: lint, `aclc test` and `explain` see
 * only the app's other policies.
 */
export interface ExternPolicyEntry {
  ref: Ref;
  precedence: number;
  explicitPrecedence: boolean;
  span: Span;
}

export interface AppDef {
  name: string;
  /** `zone "example.com"` in the app: a zone-level app (its policies are app-scoped); absent for account apps. */
  zone?: ZoneRef;
  settings: WireSettings;
  policies: AppPolicyEntry[];
  /** Account-managed policies attached with `use extern` (co-management); empty for most apps. */
  externPolicies?: ExternPolicyEntry[];
  span: Span;
  nameSpan: Span;
}

/** The resolved project: every name bound, every value canonical. Input of lint and compile. */
export interface Project {
  idps: Map<string, IdpDef>;
  groups: Map<string, GroupDef>;
  policies: Map<string, PolicyDef>;
  apps: AppDef[];
  /** Zero Trust lists declared in code; absent or empty when there are none. */
  lists?: Map<string, ListDef>;
}
