import type { AccessApp } from '../api/types.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { CompiledProject, WireApp, WireGroup, WirePolicy } from '../model/compiled.js';
import type { PlanView } from '../plan-view/types.js';
import type { FieldChange } from './diff.js';
import type { Ownership } from './ledger.js';
import type { KeptList, ListChange } from './lists.js';
import type { LiveCollection, LiveState, ManagedKind } from './live.js';

/** The data of a plan: its changes, the plan itself and what making one takes. */

/** A body aclc sends: a group, a reusable policy or an app. */
export type Body = WireGroup | WirePolicy | WireApp;

/**
 * One change of a plan. Changes run phase by phase (`phase` 0: creates and updates; 1: app deletes; 2: policy
 * deletes; 3: group deletes); within a phase a change starts once the changes its `after` lists (by `key`) succeeded.
 * Bodies are resolved: account references are ids; references to objects this plan creates are still
 * `$ref:group:<name>` / `$ref:policy:<name>` placeholders, which the executor replaces with the new ids.
 */
export type Change =
  | {
      action: 'create';
      kind: ManagedKind;
      name: string;
      key: string;
      phase: number;
      after: string[];
      body: Body;
      synthesized?: true;
      zone?: ChangeZone;
    }
  | {
      action: 'update';
      kind: ManagedKind;
      name: string;
      key: string;
      phase: number;
      after: string[];
      id: string;
      body: Body;
      diff: FieldChange[];
      /** Live fields aclc does not manage, sent back unchanged (`scim_config`, `oauth_configuration`, …). */
      kept?: string[];
      synthesized?: true;
      /** A legacy app-scoped policy of this app that is first converted to a reusable one (keeping its id). */
      convertFromApp?: string;
      zone?: ChangeZone;
    }
  | {
      action: 'delete';
      kind: ManagedKind;
      name: string;
      key: string;
      phase: number;
      after: string[];
      id: string;
      synthesized?: true;
      zone?: ChangeZone;
    };

/** Where a zone-level object's change is sent: `/zones/{id}/access/…`; `name` is how the code names the zone. */
export interface ChangeZone {
  id: string;
  name: string;
}

export type DeleteChange = Extract<Change, { action: 'delete' }>;
export type UpdateChange = Extract<Change, { action: 'update' }>;

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
}

/** A plan: what `apply` will do, in a dependency-respecting order. */
export interface Plan {
  format: 'aclc-plan';
  version: 1;
  accountId: string;
  /** `sha256:` of the canonical live state the plan was made against (see `fingerprint.ts`). */
  fingerprint: string;
  prune: boolean;
  /** The optional account collections read for the plan (`apply` reads the same ones to check the fingerprint). */
  reads: LiveCollection[];
  changes: Change[];
  summary: PlanSummary;
  /** Objects aclc created that the code no longer declares and that this plan keeps (not pruned, or in use). */
  kept: {
    kind: ManagedKind;
    name: string;
    id: string;
    reason: 'not-pruned' | 'in-use';
    usedBy?: string;
    /** The zone of a zone-level object, as the code names it. */
    zone?: string;
  }[];
  /** Changes to the Zero Trust lists the code declares (`lists.ts`); absent when there are none. */
  lists?: ListChange[];
  /** Lists aclc created (state ledger) that the code no longer declares and this plan keeps; absent when none. */
  listsKept?: KeptList[];
  /** Ids of the account lists whose items the plan read (part of its fingerprint; `apply` reads them again). */
  listItems?: string[];
  /** The zones the code names (as written, and their ids), read with the account; absent when it names none. */
  zones?: ChangeZone[];
  /** What reviewers read (conditions with names, changes by app, drift / take-over / orphan sections); `src/plan-view`. */
  view?: PlanView;
}

export interface PlanInput {
  accountId: string;
  document: CompiledProject;
  live: LiveState;
  ownership: Ownership;
  prune: boolean;
  /** `referenceSpans(project)`: where the source names each account object. */
  spans: ReadonlyMap<string, Span>;
  /** Where each declared group / policy / app is written (`<kind>:<name>` → span), for diagnostics. */
  declarations?: ReadonlyMap<string, Span>;
  fingerprint: string;
  reads: LiveCollection[];
  /** `ip_list:<name>` / `email_list:<name>` of the declared lists this apply creates (rules keep placeholders). */
  creatingLists?: ReadonlySet<string>;
}

export const NO_SPAN: Span = { file: '<plan>', start: 0, end: 0 };
export const changeKey = (kind: ManagedKind, name: string): string => `${kind}:${name}`;

/** A declared object and the live object it is matched to. */
export interface Match<T> {
  live?: T;
  /** For a policy: the app whose legacy app-scoped policy of this name is adopted by conversion. */
  legacyApp?: AccessApp;
}
