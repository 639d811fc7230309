import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { type ApiMessage, formatApiMessages } from './envelope.js';
import type { Redactor } from './redact.js';

/**
 * Why a call failed:
 * `api` the API answered with an error envelope (4xx, or 5xx after the retries) ·
 * `auth` 401/403 · `not_found` 404 · `rate_limited` 429 after the retries ·
 * `network` connection refused/reset after the retries · `timeout` no answer in time after the retries ·
 * `envelope` an answer that is not a Cloudflare envelope · `config` the client cannot make this call at all ·
 * `request` the request was never sent: it cannot be made as asked (a header or path HTTP does not allow, a body
 * that is not JSON, a closed client).
 */
export type ApiErrorKind =
  | 'api'
  | 'auth'
  | 'not_found'
  | 'rate_limited'
  | 'network'
  | 'timeout'
  | 'envelope'
  | 'config'
  | 'request';

export interface ApiErrorInit {
  kind: ApiErrorKind;
  method: string;
  /** Path below the base URL, e.g. `/accounts/…/access/groups`. */
  path: string;
  /** HTTP status, when the API answered. */
  status?: number;
  /** Cloudflare's `errors[]`. */
  errors?: ApiMessage[];
  /** The object concerned, e.g. `group "eng"`. */
  object?: string;
  /** Free text when there are no Cloudflare errors (network error code, envelope problem, …). */
  reason?: string;
  /** How many HTTP attempts were made. */
  attempts?: number;
  /** A Node/undici error code such as `ECONNRESET` or `UND_ERR_HEADERS_TIMEOUT`. */
  causeCode?: string;
}

/**
 * A failed API call. Its message is built from redacted parts only: the token or key never appears in it, and the
 * original low-level error is not kept (only its code).
 */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errors: ApiMessage[];
  readonly object: string | undefined;
  readonly reason: string | undefined;
  readonly attempts: number;
  readonly causeCode: string | undefined;

  constructor(init: ApiErrorInit, redactor?: Redactor) {
    const r = (s: string): string => (redactor ? redactor.redact(s) : s);
    const errors = (init.errors ?? []).map((e) => ({ code: e.code, message: r(e.message) }));
    const reason = init.reason !== undefined ? r(init.reason) : undefined;
    const path = r(init.path);
    const object = init.object !== undefined ? r(init.object) : undefined;
    super(r(composeMessage({ ...init, path, object, errors, reason })));
    this.name = 'ApiError';
    this.kind = init.kind;
    this.method = init.method;
    this.path = path;
    this.status = init.status;
    this.errors = errors;
    this.object = object;
    this.reason = reason;
    this.attempts = init.attempts ?? 1;
    this.causeCode = init.causeCode;
  }

  /** Cloudflare error codes, e.g. `[12130]`. */
  get codes(): number[] {
    return this.errors.map((e) => e.code);
  }

  /** `POST /accounts/…/access/groups (group "eng")`. */
  get operation(): string {
    return operationText(this.method, this.path, this.object);
  }

  /** The failure without the operation: Cloudflare's messages, or the reason, or the status. */
  get detail(): string {
    if (this.errors.length) return formatApiMessages(this.errors);
    if (this.reason) return this.reason;
    return this.status !== undefined ? `HTTP ${this.status}` : 'unknown failure';
  }
}

function operationText(method: string, path: string, object?: string): string {
  return `${method} ${path}${object ? ` (${object})` : ''}`;
}

function composeMessage(init: ApiErrorInit): string {
  const parts: string[] = [operationText(init.method, init.path, init.object)];
  if (init.status !== undefined) parts.push(`HTTP ${init.status}`);
  if (init.errors?.length) parts.push(formatApiMessages(init.errors));
  else if (init.reason) parts.push(init.reason);
  if ((init.attempts ?? 1) > 1) parts.push(`after ${init.attempts} attempts`);
  return parts.join(': ');
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const NO_SPAN: Span = { file: '<api>', start: 0, end: 0 };

/**
 * Cloudflare answers a path it has no route for with error 7000, "No route for that URI" (a wrong base URL), not
 * with the "object not found" of a missing object.
 */
function noRoute(error: ApiError): boolean {
  return error.errors.some((e) => e.code === 7000 || /no route for that uri/i.test(e.message));
}

/** Turn a failed call into a catalog diagnostic (ACL0810–ACL0815, ACL0831), attached to `span` when the caller has one. */
export function apiErrorToDiagnostic(error: ApiError, span: Span = NO_SPAN): Diagnostic {
  const operation = `\`${error.operation}\``;
  switch (error.kind) {
    case 'auth':
      return diagnostic('ACL0811', span, { operation, reason: error.detail });
    case 'rate_limited':
      return diagnostic('ACL0812', span, { operation, attempts: error.attempts });
    case 'network':
    case 'timeout':
      return diagnostic('ACL0813', span, { operation, reason: error.detail });
    case 'envelope':
      return diagnostic('ACL0814', span, { operation, reason: error.detail });
    case 'config':
      return diagnostic('ACL0815', span, { operation, scope: error.reason ?? 'this' });
    case 'request':
      return diagnostic('ACL0831', span, { operation, reason: error.detail });
    default:
      return diagnostic('ACL0810', span, {
        operation,
        reason: error.detail,
        help: noRoute(error)
          ? 'no API route answers this URI: check the base URL (`--api-base` or `ACLC_API_BASE`); it ends in `/client/v4`, e.g. `https://api.cloudflare.com/client/v4`'
          : error.kind === 'not_found'
            ? 'the object no longer exists in the account; run `aclc plan` again'
            : (error.status ?? 0) >= 500
              ? 'the API failed on its side; run the command again (apply converges from where it stopped)'
              : 'fix the object named in the message and run again',
      });
  }
}
