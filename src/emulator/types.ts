/**
 * Types shared by the emulator's store and its legacy-policy routes (kept apart so neither imports the other).
 */
import type { ApiMessage } from '../api/envelope.js';
import type { Reply } from './reply.js';
import type { Bucket, EmulatorState, Rec } from './state.js';

export type Body = Record<string, unknown>;

export type Validate = (value: unknown) => { valid: true } | { valid: false; errors: string[] };

export interface StoreDeps {
  /** Request-body validators, from Cloudflare's definitions (`schemas/emulator-api.schema.json`). */
  validators: { group: Validate; policy: Validate; appPolicy: Validate; app: Validate };
  /** ISO timestamp of "now". */
  now: () => string;
  newId: () => string;
  /** `bytes` random bytes as lower-case hex. */
  hex: (bytes: number) => string;
}

export interface StoreRequest {
  method: string;
  /** `undefined` for account scope. */
  zoneId?: string;
  /** Path segments after `/accounts/{id}` or `/zones/{id}`, e.g. `['access', 'groups', '<id>']`. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  /** The full request path, for "could not route" messages. */
  path: string;
}

/** What the legacy-policy routes need from the store. */
export interface AccountView {
  readonly state: EmulatorState;
  readonly deps: StoreDeps;
  find(recs: Rec[], id: string): Rec | undefined;
  /** A reusable policy as the API answers it. */
  presentPolicy(rec: Rec): Body;
  /** An app's policies as the API shows them: linked reusable ones and legacy ones, by precedence. */
  appPolicyViews(bucket: Bucket, app: Rec): Body[];
  /** Rule references that do not exist, as a 400 reply. */
  checkRefs(bucket: Bucket, body: Body, self: Rec | undefined): Reply | undefined;
}

export const isRecord = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

export type { ApiMessage };
