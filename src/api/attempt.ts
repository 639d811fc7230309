import type { CallResult } from './call.js';
import { parseEnvelope, type Validator } from './envelope.js';
import type { ApiError, ApiErrorInit, ApiErrorKind } from './errors.js';
import { isNetworkErrorCode, isRetryableStatus, parseRetryAfter, wasSurelyNotSent } from './retry.js';

/**
 * What one HTTP attempt came to, whatever carried it: a result, or an error with whether the client should try
 * again and whether the server may have acted on it though no success was seen. Pure; the transport (pool,
 * pacing, deadlines, retries) is `client.ts`.
 */
export type Attempt =
  | { done: true; value: CallResult; status: number }
  | {
      done: false;
      kind: ApiErrorKind;
      retryable: boolean;
      /** The request may have been processed though no success was seen. */
      ambiguous: boolean;
      status?: number;
      retryAfterMs?: number;
      error: ApiError;
    };

/** Makes the attempt's error, with the call's method, path, object and attempt number. */
export type Fail = (init: Omit<ApiErrorInit, 'method' | 'path' | 'object'>) => ApiError;

/** A request the client did not send (nothing reached the server): never retried. */
export function refused(fail: Fail, reason: string, causeCode?: string): Attempt {
  return {
    done: false,
    kind: 'request',
    retryable: false,
    ambiguous: false,
    error: fail({ kind: 'request', reason, ...(causeCode ? { causeCode } : {}) }),
  };
}

/**
 * An attempt that got no answer: past the deadline (`timedOut`) or undici's own timeouts, a timeout that may have
 * been processed; a request undici refused before sending it; else a connection failure, retried when the error
 * code says the network failed, ambiguous unless the code proves the request never left.
 */
export function unanswered(error: unknown, timedOut: boolean, timeoutMs: number, fail: Fail): Attempt {
  const code = errorCode(error);
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    const reason = `no answer within ${timeoutMs} ms`;
    return {
      done: false,
      kind: 'timeout',
      retryable: true,
      ambiguous: true,
      error: fail({ kind: 'timeout', reason, ...(timedOut ? {} : { causeCode: code }) }),
    };
  }
  // The library refused the request before sending it (the client's checks should make this unreachable).
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_ARG_TYPE' || code === 'ERR_INVALID_URL')
    return refused(fail, 'the HTTP library refused the request before sending it', code);
  const network = isNetworkErrorCode(code);
  const reason = code ? `connection failed (${code})` : 'connection failed';
  return {
    done: false,
    kind: 'network',
    retryable: network,
    ambiguous: !wasSurelyNotSent(code),
    error: fail({ kind: 'network', reason, causeCode: code }),
  };
}

/** An answer as read off the wire. */
export interface Answer {
  status: number;
  text: string;
  retryAfter: string | string[] | undefined;
}

/**
 * An answer: a 2xx with a successful envelope is done; a 2xx without one is an error never retried; any other
 * status an error by its kind (401/403 `auth`, 404, 429, else `api`), retried as `isRetryableStatus` says,
 * ambiguous for a 5xx, with the `Retry-After` the server asked for.
 */
export function answered(
  answer: Answer,
  fail: Fail,
  options: { validate: Validator; redact(text: string): string; now(): number },
): Attempt {
  const { status } = answer;
  const parsed = parseEnvelope(answer.text, options.validate, options.redact);
  const ok = status >= 200 && status < 300;
  if (ok && parsed.ok && parsed.envelope.success) {
    const { envelope } = parsed;
    const value: CallResult = { result: envelope.result, envelope };
    if (envelope.result_info) value.resultInfo = envelope.result_info;
    return { done: true, value, status };
  }
  const errors = parsed.ok ? parsed.envelope.errors : [];
  if (ok) {
    const kind: ApiErrorKind = parsed.ok ? 'api' : 'envelope';
    const reason = parsed.ok ? 'the API reported failure' : parsed.reason;
    return {
      done: false,
      kind,
      retryable: false,
      ambiguous: false,
      status,
      error: fail({ kind, status, errors, reason }),
    };
  }
  const kind: ApiErrorKind =
    status === 401 || status === 403
      ? 'auth'
      : status === 404
        ? 'not_found'
        : status === 429
          ? 'rate_limited'
          : 'api';
  const reason = parsed.ok ? undefined : status >= 500 ? 'server error' : parsed.reason;
  const result: Attempt = {
    done: false,
    kind,
    retryable: isRetryableStatus(status),
    // A 429 was refused before processing; a 5xx may or may not have been processed.
    ambiguous: status >= 500,
    status,
    error: fail({ kind, status, errors, reason }),
  };
  const retryAfterMs = parseRetryAfter(answer.retryAfter, options.now());
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

/** The Node or undici error code of an error or of one of its causes. */
function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (e as { cause?: unknown }).cause;
  return cause !== e ? errorCode(cause) : undefined;
}
