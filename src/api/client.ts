import { Pool } from 'undici';
import { activeRedactor } from '../redact/context.js';
import type { Redactor } from '../redact/redactor.js';
import { validateEnvelope } from '../schemas/validate.js';
import { type Answer, type Attempt, answered, type Fail, refused, unanswered } from './attempt.js';
import { type ApiAuth, type CallRequest, type CallResult, DEFAULT_BASE_URL } from './call.js';
import type { Envelope, Validator } from './envelope.js';
import { ApiError } from './errors.js';
import {
  CLOUDFLARE_RATE_LIMIT,
  type Clock,
  type RateLimit,
  Semaphore,
  SlidingWindowLimiter,
  systemClock,
} from './rate-limit.js';
import { requestProblem } from './request-check.js';
import { AccessResources, type Requester } from './resources.js';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './retry.js';

export type { ApiAuth, CallRequest, CallResult } from './call.js';
export { DEFAULT_BASE_URL } from './call.js';

/** One HTTP attempt, reported to `onRequest` (for counting and tracing; never carries credentials or bodies). */
export interface RequestInfo {
  method: string;
  /** Path below the base URL, with the query string. */
  path: string;
  /** 1 for the first attempt of a call, 2 for its first retry, … */
  attempt: number;
  /** HTTP status, when the server answered. */
  status?: number;
  durationMs: number;
  /** `ok` answered and done · `retry` will be retried · `error` failed for good. */
  outcome: 'ok' | 'retry' | 'error';
  /** Short reason for a retry or failure, e.g. `HTTP 429`, `timeout`, `ECONNRESET`. */
  reason?: string;
}

export interface AccessClientOptions {
  /** Default `https://api.cloudflare.com/client/v4`; may carry a path prefix. */
  baseUrl?: string;
  /** Account scope; needed for reusable policies, lists and device posture rules. */
  accountId?: string;
  /** Zone scope for the Access resources that have one (groups, apps, app policies, IdPs, service tokens). */
  zoneId?: string;
  auth: ApiAuth;
  /** Requests in flight at once (default 4); also the size of the connection pool. */
  concurrency?: number;
  /** Client-side limit (default 1,200 requests per 300,000 ms, Cloudflare's). */
  rateLimit?: RateLimit;
  /** Per-attempt timeout covering headers and body (default 30,000 ms). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** Backoff base and cap (default 500 ms doubling up to 30 s, full jitter). */
  backoff?: BackoffOptions;
  onRequest?(info: RequestInfo): void;
  /** Injected time source, for tests (default: the system clock and `setTimeout`). */
  clock?: Clock;
  /** Injected random source in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /** Envelope validator (default: the project's JSON Schema, `schemas/envelope.schema.json`). */
  validateEnvelope?: Validator;
  /** Where secrets are registered for redaction (default: the active one, see `src/redact/context.ts`). */
  redactor?: Redactor;
  /** undici's connector, for tests that make connecting fail in a given way (DNS, TLS, refused). */
  connect?: Pool.Options['connect'];
}

const MAX_PAGES = 10_000;
/** How long an aborted request may take to end before the client stops waiting for it. */
const ABORT_GRACE_MS = 1000;

/**
 * A Cloudflare Access API client: one undici connection pool, bounded concurrency, a sliding-window rate limiter,
 * retries with full-jitter backoff (honouring `Retry-After`), a timeout on every attempt, creates that never
 * duplicate, and typed errors whose messages never contain the credentials.
 */
export class AccessClient {
  readonly accountId: string | undefined;
  readonly zoneId: string | undefined;
  readonly redactor: Redactor;
  /** Typed resource methods: `client.groups.list()`, `client.apps.create(body)`, … */
  readonly resources: AccessResources;
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;
  private readonly limiter: SlidingWindowLimiter;
  private readonly semaphore: Semaphore;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoff: BackoffOptions;
  private readonly validate: Validator;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  /** Attempts between handing a request to undici and its end. */
  private inFlight = 0;
  private closed = false;

  constructor(options: AccessClientOptions) {
    const url = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
    this.prefix = url.pathname.replace(/\/+$/, '');
    const concurrency = options.concurrency ?? 4;
    this.pool = new Pool(url.origin, {
      connections: concurrency,
      pipelining: 1,
      ...(options.connect ? { connect: options.connect } : {}),
    });
    this.accountId = options.accountId;
    this.zoneId = options.zoneId;
    this.redactor = options.redactor ?? activeRedactor();
    this.headers = { accept: 'application/json', 'user-agent': 'aclc' };
    if ('token' in options.auth) {
      this.redactor.add(options.auth.token);
      this.headers.authorization = `Bearer ${options.auth.token}`;
    } else {
      this.redactor.add(options.auth.key);
      this.headers['x-auth-email'] = options.auth.email;
      this.headers['x-auth-key'] = options.auth.key;
    }
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.limiter = new SlidingWindowLimiter(options.rateLimit ?? CLOUDFLARE_RATE_LIMIT, this.clock);
    this.semaphore = new Semaphore(concurrency);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.validate = options.validateEnvelope ?? validateEnvelope;
    this.onRequest = options.onRequest;
    this.resources = new AccessResources(this);
  }

  get groups() {
    return this.resources.groups;
  }
  get policies() {
    return this.resources.policies;
  }
  get apps() {
    return this.resources.apps;
  }
  get appPolicies() {
    return this.resources.appPolicies;
  }
  get identityProviders() {
    return this.resources.identityProviders;
  }
  get serviceTokens() {
    return this.resources.serviceTokens;
  }
  get lists() {
    return this.resources.lists;
  }
  get postureRules() {
    return this.resources.postureRules;
  }
  get tags() {
    return this.resources.tags;
  }

  /**
   * Close the connection pool; calls made afterwards fail without sending. Requests still in flight (a caller
   * gave up on them) are cut off rather than waited for, so closing always ends.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight > 0) await this.pool.destroy();
    else await this.pool.close();
  }

  /** One logical call, with pacing, retries and (for creates) duplicate avoidance. */
  async call(req: CallRequest): Promise<CallResult> {
    const path = req.query
      ? `${req.path}?${new URLSearchParams(stringValues(req.query)).toString()}`
      : req.path;
    let sawAmbiguous = false;
    for (let attempt = 1; ; attempt++) {
      const started = this.clock.now();
      const outcome = await this.semaphoreAttempt(req, path, attempt);
      const durationMs = Math.max(0, this.clock.now() - started);
      if (outcome.done) {
        this.report(
          { method: req.method, path, attempt, status: outcome.status, durationMs, outcome: 'ok' },
          outcome,
        );
        return outcome.value;
      }
      // A DELETE that may already have happened and now finds nothing has succeeded.
      if (req.method === 'DELETE' && sawAmbiguous && outcome.status === 404) {
        this.report({ method: req.method, path, attempt, status: 404, durationMs, outcome: 'ok' }, outcome);
        return { result: { id: req.path.split('/').pop() }, envelope: emptyEnvelope() };
      }
      const willRetry = outcome.retryable && attempt <= this.retries;
      this.report(
        { method: req.method, path, attempt, durationMs, outcome: willRetry ? 'retry' : 'error' },
        outcome,
      );
      if (!willRetry) throw outcome.error;
      sawAmbiguous ||= outcome.ambiguous;
      let delay = backoffDelay(attempt - 1, this.backoff, this.random);
      if (outcome.retryAfterMs !== undefined) {
        delay = Math.max(delay, outcome.retryAfterMs);
        this.limiter.pauseUntil(this.clock.now() + outcome.retryAfterMs);
      }
      await this.clock.sleep(delay);
      if (req.findExisting && outcome.ambiguous) {
        const existing = await req.findExisting();
        if (existing !== undefined)
          return { result: existing, envelope: { ...emptyEnvelope(), result: existing } };
      }
    }
  }

  /**
   * Every item of a collection, following pagination to the end. `perPage` is the API's maximum page size for the
   * collection; without it the API's default is used (and further pages are still followed if `result_info` says so).
   */
  async listAll(path: string, perPage: number | undefined, object: string): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const query: Record<string, number> | undefined =
        perPage !== undefined ? { page, per_page: perPage } : page > 1 ? { page } : undefined;
      const req: CallRequest = { method: 'GET', path, object };
      if (query) req.query = query;
      const { result, resultInfo } = await this.call(req);
      const batch = asArray(result, 'GET', path, object, this.redactor);
      items.push(...batch);
      if (!resultInfo || batch.length === 0 || page >= resultInfo.total_pages) break;
    }
    return items;
  }

  /**
   * The Access resources of one zone (`/zones/{zone_id}/access/groups`, `…/apps`), over this client's connection
   * pool, rate limit and retries; account-only resources (reusable policies, lists) stay at account scope.
   */
  forZone(zoneId: string): AccessResources {
    const scoped: Requester = {
      redactor: this.redactor,
      call: (req) => this.call(req),
      listAll: (path, perPage, object) => this.listAll(path, perPage, object),
      scopePath: (zoneCapable, operation) =>
        zoneCapable ? `/zones/${encodeURIComponent(zoneId)}` : this.scopePath(false, operation),
    };
    return new AccessResources(scoped);
  }

  /**
   * The zones of this name the credentials can read: `GET /zones?name=…` (Cloudflare's Zones API, "List Zones":
   * `name` filters by the domain name, each result carries `id` and `name`).
   */
  async zonesNamed(name: string): Promise<{ id: string; name: string }[]> {
    const items: unknown[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const req: CallRequest = {
        method: 'GET',
        path: '/zones',
        query: { name, page, per_page: 50 },
        object: `zone "${name}"`,
      };
      const { result, resultInfo } = await this.call(req);
      const batch = asArray(result, 'GET', '/zones', `zone "${name}"`, this.redactor);
      items.push(...batch);
      if (!resultInfo || batch.length === 0 || page >= resultInfo.total_pages) break;
    }
    return items.flatMap((z) => {
      const zone = z as { id?: unknown; name?: unknown };
      return typeof zone.id === 'string' && typeof zone.name === 'string'
        ? [{ id: zone.id, name: zone.name }]
        : [];
    });
  }

  /** `/accounts/{id}` or, for resources that have zone scope and a zone was given, `/zones/{id}`. */
  scopePath(zoneCapable: boolean, operation: string): string {
    if (zoneCapable && this.zoneId) return `/zones/${encodeURIComponent(this.zoneId)}`;
    if (this.accountId) return `/accounts/${encodeURIComponent(this.accountId)}`;
    throw new ApiError(
      { kind: 'config', method: 'GET', path: operation, reason: this.zoneId ? 'zone' : 'no account' },
      this.redactor,
    );
  }

  private semaphoreAttempt(req: CallRequest, path: string, attempt: number): Promise<Attempt> {
    // The rate slot is taken once a connection slot is free, right before sending: the server counts a request
    // when it arrives, so a slot taken while still queued would be counted too early.
    return this.semaphore.run(async () => {
      await this.limiter.acquire();
      return this.attempt(req, path, attempt);
    });
  }

  private async attempt(req: CallRequest, path: string, attempt: number): Promise<Attempt> {
    const fail: Fail = (init) =>
      new ApiError(
        { ...init, method: req.method, path: req.path, object: req.object, attempts: attempt },
        this.redactor,
      );
    if (this.closed) return refused(fail, 'the client was closed before the request was sent');
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    try {
      if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] = 'application/json';
      }
    } catch (e) {
      return refused(
        fail,
        `the request body cannot be written as JSON (${e instanceof Error ? e.name : 'error'})`,
      );
    }
    // INVARIANT: nothing undici would refuse reaches it (see request-check.ts: a refusal strands the pool's queue).
    const problem = requestProblem(this.prefix + path, headers);
    if (problem !== undefined) return refused(fail, problem);
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Past the timeout the request is aborted; our own deadline follows shortly after, so that a request undici
    // never settles (see request-check.ts) still ends.
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        timer = setTimeout(
          () => reject(Object.assign(new Error('deadline'), { code: 'ACLC_DEADLINE' })),
          ABORT_GRACE_MS,
        );
      }, this.timeoutMs);
    });
    let answer: Answer;
    this.inFlight++;
    try {
      const exchange = (async () => {
        const res = await this.pool.request({
          path: this.prefix + path,
          method: req.method,
          headers,
          body,
          signal: controller.signal,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
        return {
          status: res.statusCode,
          retryAfter: res.headers['retry-after'],
          text: await res.body.text(),
        };
      })();
      // Whichever loses the race must not end as an unhandled rejection.
      exchange.catch(() => undefined);
      answer = await Promise.race([exchange, deadline]);
    } catch (e) {
      return unanswered(e, timedOut, this.timeoutMs, fail);
    } finally {
      this.inFlight--;
      clearTimeout(timer);
      deadline.catch(() => undefined);
    }
    return answered(answer, fail, {
      validate: this.validate,
      redact: (t) => this.redactor.redact(t),
      now: () => this.clock.now(),
    });
  }

  private report(info: RequestInfo, outcome: Attempt): void {
    if (!this.onRequest) return;
    if (!outcome.done) {
      if (outcome.status !== undefined) info.status = outcome.status;
      info.reason =
        outcome.status !== undefined ? `HTTP ${outcome.status}` : (outcome.error.causeCode ?? outcome.kind);
    }
    this.onRequest(info);
  }
}

function stringValues(query: Record<string, string | number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) out[k] = String(v);
  return out;
}

function emptyEnvelope(): Envelope {
  return { success: true, errors: [], messages: [], result: null };
}

function asArray(
  result: unknown,
  method: string,
  path: string,
  object: string,
  redactor: Redactor,
): unknown[] {
  if (result === null || result === undefined) return [];
  if (Array.isArray(result)) return result;
  throw new ApiError(
    { kind: 'envelope', method, path, object, reason: '`result` of a list is not an array' },
    redactor,
  );
}
