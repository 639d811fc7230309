/**
 * Retry policy: which failures are retried and how long to wait. Pure functions; the client supplies the clock
 * and the random source so tests can make delays instant and deterministic.
 */

export interface BackoffOptions {
  /** Delay cap for the first retry, doubled each further attempt. */
  baseMs: number;
  /** Upper bound of any computed delay (not of `Retry-After`, which is always honoured). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/**
 * "Full jitter" exponential backoff: a uniformly random delay in `[0, min(cap, base · 2^attempt))`.
 * `attempt` counts from 0 for the first retry.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(Math.min(0.999_999, Math.max(0, random())) * ceiling);
}

/**
 * `Retry-After` in milliseconds from now: either delta-seconds or an HTTP date. `undefined` when absent or
 * unparseable. Never negative.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** 429 and server errors are worth another try; 501 (not implemented) is not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** Low-level error codes meaning the connection failed or broke (the request may or may not have been processed). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Codes meaning the request surely never reached the server, so even a create can be re-sent blindly. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function isNetworkErrorCode(code: string | undefined): boolean {
  return code !== undefined && NETWORK_CODES.has(code);
}

export function wasSurelyNotSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.has(code);
}
