/**
 * A local emulator of the Cloudflare Access API over real HTTP (node:http): Cloudflare's envelope, auth, pagination,
 * validation with the project's JSON Schemas, referential rules, fault injection and atomic persistence.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { E, type ErrorReply } from './codes.js';
import { loadStateFile, StateWriter } from './persist.js';
import type { Reply } from './reply.js';
import { type EmulatorState, emptyState, normaliseState } from './state.js';
import { Store } from './store.js';
import { handleTags, type TagDuplicates } from './tags.js';
import { cloudflareValidators } from './validators.js';
import { listZones } from './zones.js';

export const DEFAULT_EMULATOR_TOKEN = 'aclc-emulator-token';
export const DEFAULT_EMULATOR_ACCOUNT = '0000000000000000000000000000ac1c';
const API_PREFIX = '/client/v4';
const MAX_BODY = 10 * 1024 * 1024;
/** How long a request body may take to arrive in full (a body shorter than its Content-Length never ends). */
const BODY_TIMEOUT_MS = 10_000;

/**
 * How a failure chosen by `failRate` shows: `before` a 500 before doing anything; `after` the request is carried
 * out and persisted, then answered 500 (the answer is "lost"); `reset` carried out, then the connection is cut
 * without an answer; `mixed` one of the three at random.
 */
export type FailMode = 'before' | 'after' | 'reset' | 'mixed';

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
  /** The API token clients must send (`Authorization: Bearer …`, or as `X-Auth-Key`); default `aclc-emulator-token`. */
  token?: string;
  /** The one account served (default `0000000000000000000000000000ac1c`). */
  accountId?: string;
  /** Where state persists after every acknowledged write; loaded at start when it exists (before `seedFile`). */
  stateFile?: string;
  /** An existing account to start from: `{ groups, policies, apps, app_policies?, identity_providers, service_tokens, lists, posture_rules, zones? }`. */
  seedFile?: string;
  /** The same as `seedFile`, in memory. */
  seed?: unknown;
  /** Probability in [0, 1] that a request fails (default 0). */
  failRate?: number;
  /** How such a failure shows (default `before`). */
  failMode?: FailMode;
  /** Server-side limit; over it, 429 with `Retry-After` (seconds). */
  rateLimit?: { requests: number; windowMs: number };
  /** Delay before every answer. */
  latencyMs?: number;
  /** Random source in [0, 1) for fault injection (default `Math.random`). */
  random?: () => number;
  /** Clock for timestamps and the rate limit (default `Date.now`). */
  now?: () => number;
  /** Called with one line per request (`POST /client/v4/… 201`), for a CLI to print. */
  log?: (line: string) => void;
  /** How long a request body may take to arrive before the request is answered 400 (default 10 s). */
  bodyTimeoutMs?: number;
  /**
   * What a create of an Access tag name that exists answers (no Cloudflare source shows it, see `tags.ts`):
   * `refuse` (default, 409) or `accept` (a second tag of that name).
   */
  tagDuplicates?: TagDuplicates;
}

export interface EmulatorHandle {
  /** The API base URL, e.g. `http://127.0.0.1:41234/client/v4` (what `ACLC_API_BASE` takes). */
  url: string;
  port: number;
  accountId: string;
  token: string;
  close(): Promise<void>;
  /** A deep copy of the current state. */
  state(): EmulatorState;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const token = options.token ?? DEFAULT_EMULATOR_TOKEN;
  const accountId = options.accountId ?? DEFAULT_EMULATOR_ACCOUNT;
  const failRate = options.failRate ?? 0;
  const failMode = options.failMode ?? 'before';
  const normalise = { now: new Date(now()).toISOString(), newId: () => randomUUID() };

  let state: EmulatorState | undefined;
  if (options.stateFile) state = await loadStateFile(options.stateFile, 'state file', normalise);
  if (!state && options.seedFile) state = await loadStateFile(options.seedFile, 'seed file', normalise);
  if (!state && options.seed !== undefined) {
    const seeded = normaliseState(options.seed, normalise);
    if (typeof seeded === 'string') throw new Error(`invalid emulator seed: ${seeded}`);
    state = seeded;
  }
  const store = new Store(state ?? emptyState(), {
    validators: cloudflareValidators(),
    now: () => new Date(now()).toISOString(),
    newId: () => randomUUID(),
    hex: (bytes) => randomBytes(bytes).toString('hex'),
  });
  const writer = options.stateFile ? new StateWriter(options.stateFile) : undefined;
  if (writer) await writer.save(JSON.stringify(store.state, null, 2));

  const hits: number[] = [];
  const rateLimited = (): number | undefined => {
    const limit = options.rateLimit;
    if (!limit) return undefined;
    const t = now();
    while (hits.length && (hits[0] as number) <= t - limit.windowMs) hits.shift();
    if (hits.length >= limit.requests)
      return Math.max(1, Math.ceil(((hits[0] as number) + limit.windowMs - t) / 1000));
    hits.push(t);
    return undefined;
  };

  const send = (res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void => {
    const ok = reply.status < 400;
    const body: Record<string, unknown> = {
      success: ok,
      errors: ok ? [] : (reply.errors ?? []),
      messages: [],
      result: ok ? (reply.result ?? null) : null,
    };
    if (ok && reply.result_info) body.result_info = reply.result_info;
    res.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (e: ErrorReply): Reply => ({ status: e.status, errors: e.errors });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    // The raw path, not `new URL(…).pathname`: WHATWG URL parsing resolves `..` and `%2e%2e` segments, which would
    // turn `/access/groups/..` into a list of every group.
    const raw = req.url ?? '/';
    const query = raw.indexOf('?');
    const url = {
      pathname: query < 0 ? raw : raw.slice(0, query),
      search: query < 0 ? '' : raw.slice(query),
      searchParams: new URLSearchParams(query < 0 ? '' : raw.slice(query + 1)),
    };
    const started = now();
    const log = (outcome: string | number) =>
      options.log?.(`${method} ${url.pathname}${url.search} ${outcome} ${now() - started}ms`);
    res.on('finish', () => log(res.statusCode));
    const body = await readBody(req, options.bodyTimeoutMs ?? BODY_TIMEOUT_MS);
    if (body === TRUNCATED) {
      res.setHeader('connection', 'close');
      send(res, fail(E.bodyIncomplete()));
      res.on('finish', () => req.socket.destroy());
      return;
    }
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    const auth = checkAuth(req, token);
    if (auth) return send(res, fail(auth));
    const wait = rateLimited();
    if (wait !== undefined) return send(res, fail(E.rateLimited()), { 'retry-after': String(wait) });

    let fault: FailMode | undefined;
    if (failRate > 0 && random() < failRate) {
      fault =
        failMode === 'mixed'
          ? (['before', 'after', 'reset'] as const)[Math.min(2, Math.floor(random() * 3))]
          : failMode;
    }
    if (fault === 'before') return send(res, fail(E.internal()));

    const reply = route(method, url, body, store, accountId, options.tagDuplicates ?? 'refuse');
    if (reply.wrote && writer) {
      try {
        await writer.save(JSON.stringify(store.state, null, 2));
      } catch {
        return send(res, fail(E.internal()));
      }
    }
    if (fault === 'after') return send(res, fail(E.internal()));
    if (fault === 'reset') {
      log('reset');
      req.socket.destroy();
      return;
    }
    send(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, fail(E.internal()));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}${API_PREFIX}`,
    port: address.port,
    accountId,
    token,
    state: () => structuredClone(store.state),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await writer?.flush();
    },
  };
}

/**
 * The request body as JSON: `undefined` when empty, `MALFORMED` when it is not JSON or too large, `TRUNCATED` when
 * it did not arrive in full within `timeoutMs` (a body shorter than its Content-Length never ends on its own).
 */
function readBody(req: IncomingMessage, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      resolve(value);
    };
    const timer = setTimeout(() => settle(TRUNCATED), timeoutMs);
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.resume();
        settle(MALFORMED);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('aborted', () => settle(TRUNCATED));
    req.on('error', () => settle(TRUNCATED));
    req.on('end', () => settle(parseBody(Buffer.concat(chunks).toString('utf8'))));
  });
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return MALFORMED;
  }
}

const MALFORMED = Symbol('malformed');
const TRUNCATED = Symbol('truncated');

function checkAuth(req: IncomingMessage, token: string): ErrorReply | undefined {
  const header = req.headers.authorization;
  const key = req.headers['x-auth-key'];
  if (header === undefined && key === undefined) return E.authMissing();
  if (header !== undefined) {
    const m = /^Bearer\s+(.+)$/i.exec(header);
    return m && m[1] === token ? undefined : E.authWrong();
  }
  return key === token && req.headers['x-auth-email'] !== undefined ? undefined : E.authWrong();
}

interface RawUrl {
  pathname: string;
  searchParams: URLSearchParams;
}

function route(
  method: string,
  url: RawUrl,
  body: unknown,
  store: Store,
  accountId: string,
  tagDuplicates: TagDuplicates,
): Reply {
  const fail = (e: ErrorReply): Reply => ({ status: e.status, errors: e.errors });
  if (!url.pathname.startsWith(`${API_PREFIX}/`)) return fail(E.noRoute());
  let segments: string[];
  try {
    segments = url.pathname
      .slice(API_PREFIX.length + 1)
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
  } catch {
    return fail(E.noRoute());
  }
  // Dot segments (`..`, `%2e%2e`) name no object: Cloudflare answers them 404, never with another route.
  if (segments.some((s) => s === '.' || s === '..')) return fail(E.notFound(url.pathname));
  const [scope, scopeId, ...rest] = segments;
  if (scope === 'zones' && scopeId === undefined)
    return listZones(method, url.searchParams, store.state, accountId);
  if ((scope !== 'accounts' && scope !== 'zones') || !scopeId || rest.length < 2) return fail(E.noRoute());
  if (scope === 'accounts' && scopeId !== accountId) return fail(E.accountForbidden());
  if (body === MALFORMED) return fail(E.malformedJson());
  if (
    (method === 'POST' || method === 'PUT' || method === 'PATCH') &&
    body === undefined &&
    !rest.includes('make_reusable')
  )
    return fail(E.invalid('(top level): the request has no body'));
  if (rest[0] === 'access' && rest[1] === 'tags') {
    // Account-scoped only; kept in their own module (`tags.ts`), the account lock rests on them.
    if (scope !== 'accounts') return fail(E.noRoute());
    const tagReq = { method, extra: rest.length > 3, body, path: url.pathname, query: url.searchParams };
    return handleTags(
      store.state,
      rest[2] === undefined ? tagReq : { ...tagReq, name: rest[2] },
      store.deps.now,
      tagDuplicates,
    );
  }
  const req = { method, segments: rest, query: url.searchParams, body, path: url.pathname };
  return store.handle(scope === 'zones' ? { ...req, zoneId: scopeId } : req);
}
