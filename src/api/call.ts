import type { Envelope, ResultInfo } from './envelope.js';

/**
 * The shapes shared by the HTTP client (`client.ts`) and the typed resources (`resources.ts`). They live here so
 * that neither module imports the other's types: the client builds the resources, the resources only know the
 * narrow `Requester` they are given.
 */

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';

export type ApiAuth = { token: string } | { email: string; key: string };

/** One logical API call; the client adds retries, pacing and error typing. */
export interface CallRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** The object concerned, for error messages, e.g. `group "eng"`. */
  object?: string;
  /**
   * For a create: after an ambiguous failure (timeout, reset, 5xx) look the object up before sending again, and
   * return what the lookup finds instead of creating a duplicate.
   */
  findExisting?: () => Promise<unknown | undefined>;
}

export interface CallResult {
  result: unknown;
  resultInfo?: ResultInfo;
  envelope: Envelope;
}
