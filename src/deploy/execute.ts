import { randomBytes } from 'node:crypto';
import type { WireApp } from '../model/compiled.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';
import { appliedHash } from './applied.js';
import { type Ledger, MARKER_PREFIX } from './ledger.js';
import type { ManagedKind } from './live.js';
import type { Body, Change, Plan } from './plan.js';

/** One kind of object, as the executor writes it (the API client's collections satisfy this). */
export interface WriteCollection {
  create(body: never): Promise<{ id: string; name?: string; created_at?: string }>;
  update(id: string, body: never): Promise<{ id: string }>;
  delete(id: string): Promise<{ id: string }>;
}

/** What `apply` needs from the API. `AccessClient` satisfies it. */
export interface DeployApi {
  groups: WriteCollection;
  policies: WriteCollection;
  apps: WriteCollection;
  appPolicies: { makeReusable(appId: string, policyId: string): Promise<{ id: string }> };
  /** The groups and apps of one zone (`AccessClient.forZone`), for the changes of zone-level objects. */
  forZone?(zoneId: string): { groups: WriteCollection; apps: WriteCollection };
}

export type ProgressEvent =
  | { type: 'start'; change: Change; index: number; total: number }
  | { type: 'done'; change: Change; id: string; completed: number; total: number; ms: number }
  | { type: 'failed'; change: Change; error: unknown; completed: number; total: number };

export interface ExecuteOptions {
  accountId: string;
  ledger: Ledger;
  /** Persists the ledger (atomically); called after every successful create and delete. */
  saveLedger(): Promise<void>;
  /** Changes in flight at once (default 4). */
  concurrency?: number;
  onEvent?(event: ProgressEvent): void;
  /** ISO timestamp source (injected for tests). */
  now?(): string;
  /** A short random run id for marker names (injected for tests; default 6 random bytes, hex). */
  runId?: string;
  /** Asked before each change starts: a reason to stop (the account lock was lost), or `undefined`. */
  stopReason?(): string | undefined;
  /** Ids already created in this run (`ip_list:<name>` for lists), substituted for their placeholders. */
  created?: ReadonlyMap<string, string>;
  /** Ids of objects made outside aclc that this apply takes over (`--adopt`): recorded in the ledger once written. */
  adopt?: ReadonlySet<string>;
}

export interface ExecuteResult {
  completed: number;
  total: number;
  /** The first failure, after which no new change was started. */
  failure?: { change: Change; error: unknown };
  /** Ids of the objects created, by change key. */
  created: Map<string, string>;
}

/** Why the executor stopped starting changes although none failed (the account lock was lost). */
export class StoppedError extends Error {}

/** Thrown (and caught by the executor) when a body still holds a placeholder nothing created. */
export class UnresolvedReferenceError extends Error {}

function collection(api: DeployApi, kind: ManagedKind, zone?: string): WriteCollection {
  if (zone !== undefined) {
    // INVARIANT: zone-level changes are groups and apps (a zone app's policies travel inside it).
    if (!api.forZone || kind === 'policy')
      throw new UnresolvedReferenceError(`cannot write a ${kind} in zone \`${zone}\``);
    const scoped = api.forZone(zone);
    return kind === 'group' ? scoped.groups : scoped.apps;
  }
  return kind === 'group' ? api.groups : kind === 'policy' ? api.policies : api.apps;
}

/** Replace `$ref:group:` / `$ref:policy:` placeholders with the ids of objects created earlier in this run. */
export function substitute(body: Body, created: ReadonlyMap<string, string>): Body {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!isPlaceholder(v)) return v;
      const ref = refFromWire('group', v);
      const id = created.get(`${ref.kind}:${ref.name ?? ''}`);
      if (id === undefined) throw new UnresolvedReferenceError(`unresolved reference \`${v}\``);
      return id;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(body) as Body;
}

/**
 * Runs a plan's changes against the API phase by phase, in dependency order within a phase (a change starts once
 * the changes in its `after` list succeeded), a few at a time. Stops starting changes at the first failure and waits for those in flight, so
 * the account is left in a state from which the next plan converges. The ledger records each create and delete as
 * soon as the API confirms it; planned creates are noted as pending first, so an object whose create was in flight
 * when the process died is still recognised as aclc's.
 */
export async function executePlan(
  plan: Plan,
  api: DeployApi,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const total = plan.changes.length;
  const now = options.now ?? (() => new Date().toISOString());
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const created = new Map<string, string>(options.created ?? []);
  const result: ExecuteResult = { completed: 0, total, created };
  if (total === 0) return result;

  // Every create is recorded as pending, with the unique marker name it is created under, before any is sent.
  const runId = options.runId ?? randomBytes(6).toString('hex');
  const markers = new Map<string, string>();
  const creates = plan.changes.filter((c) => c.action === 'create');
  if (creates.length > 0) {
    for (const [i, c] of creates.entries()) {
      const marker = `${MARKER_PREFIX}${runId}~${i + 1}`;
      markers.set(c.key, marker);
      options.ledger.notePending(plan.accountId, c.kind, c.name, marker, now(), c.zone?.id);
    }
    await options.saveLedger();
  }

  /** What aclc wrote, as the API answered it (the body sent when the answer is not the whole object). */
  const noteApplied = (kind: ManagedKind, id: string, body: Body, written: unknown): void => {
    const answer = written as Record<string, unknown> | undefined;
    const obj =
      answer && typeof answer.name === 'string' ? answer : (body as unknown as Record<string, unknown>);
    options.ledger.noteApplied(plan.accountId, id, appliedHash(kind, obj));
  };

  const done = new Set<string>();
  let started = 0;
  let failed = false;

  const run = async (change: Change): Promise<void> => {
    const t0 = Date.now();
    options.onEvent?.({ type: 'start', change, index: ++started, total });
    let id: string;
    if (change.action === 'create') {
      const body = substitute(change.body, created);
      assertPolicies(change.kind, body);
      // Created under its marker, recorded, then renamed: until the id is in the ledger, only the marker (which no
      // one else can have chosen) ties the object to aclc, never its name.
      const marker = markers.get(change.key) as string;
      const target = collection(api, change.kind, change.zone?.id);
      const made = await target.create({ ...body, name: marker } as never);
      id = made.id;
      created.set(`${change.kind}:${change.name}`, id);
      options.ledger.recordCreated(
        plan.accountId,
        change.kind,
        id,
        change.name,
        made.created_at ?? now(),
        marker,
        change.zone?.id,
      );
      await options.saveLedger();
      const written = await target.update(id, body as never);
      noteApplied(change.kind, id, body, written);
      await options.saveLedger();
    } else if (change.action === 'update') {
      if (change.convertFromApp !== undefined)
        await api.appPolicies.makeReusable(change.convertFromApp, change.id);
      const body = substitute(change.body, created);
      assertPolicies(change.kind, body);
      let written: unknown;
      try {
        written = await collection(api, change.kind, change.zone?.id).update(change.id, body as never);
      } catch (error) {
        // The list is sent whole, so duplicates cannot arise; should the API still object to the move (12130),
        // pass through a free precedence range first.
        if (change.kind !== 'app' || change.zone || !isPrecedenceConflict(error)) throw error;
        await api.apps.update(change.id, stagedApp(body as WireApp) as never);
        written = await api.apps.update(change.id, body as never);
      }
      id = change.id;
      noteApplied(change.kind, id, body, written);
      if (options.adopt?.has(change.id) && !options.ledger.ownedIds(plan.accountId).has(change.id))
        options.ledger.recordCreated(
          plan.accountId,
          change.kind,
          change.id,
          change.name,
          now(),
          undefined,
          change.zone?.id,
        );
      await options.saveLedger();
    } else {
      await collection(api, change.kind, change.zone?.id).delete(change.id);
      id = change.id;
      options.ledger.forget(plan.accountId, change.id);
      await options.saveLedger();
    }
    done.add(change.key);
    result.completed++;
    options.onEvent?.({ type: 'done', change, id, completed: result.completed, total, ms: Date.now() - t0 });
  };

  /** One phase: a change starts once the changes of this phase it waits for are done, `concurrency` at a time. */
  const runPhase = (changes: Change[]): Promise<void> =>
    new Promise<void>((resolve) => {
      const keys = new Set(changes.map((c) => c.key));
      const waiting = new Map<string, Change[]>();
      const unmet = new Map<Change, number>();
      const ready: Change[] = [];
      for (const c of changes) {
        const deps = [...new Set(c.after)].filter((k) => keys.has(k) && !done.has(k));
        unmet.set(c, deps.length);
        if (deps.length === 0) ready.push(c);
        for (const k of deps) waiting.set(k, [...(waiting.get(k) ?? []), c]);
      }
      let inFlight = 0;
      let finished = 0;
      const pump = (): void => {
        while (!failed && inFlight < concurrency && ready.length > 0) {
          const stop = options.stopReason?.();
          if (stop !== undefined) {
            failed = true;
            result.failure = { change: ready[0] as Change, error: new StoppedError(stop) };
            break;
          }
          const change = ready.shift() as Change;
          inFlight++;
          run(change).then(
            () => {
              inFlight--;
              finished++;
              for (const next of waiting.get(change.key) ?? []) {
                const n = (unmet.get(next) ?? 1) - 1;
                unmet.set(next, n);
                if (n === 0) ready.push(next);
              }
              pump();
            },
            (error: unknown) => {
              inFlight--;
              if (!failed) {
                failed = true;
                result.failure = { change, error };
                options.onEvent?.({ type: 'failed', change, error, completed: result.completed, total });
              }
              pump();
            },
          );
        }
        if (inFlight > 0) return;
        // INVARIANT: `after` has no cycles, so only a failure leaves changes of a phase not done.
        if (!failed && finished < changes.length) {
          failed = true;
          result.failure = {
            change: ready[0] ?? (changes[0] as Change),
            error: new Error('changes wait on each other'),
          };
        }
        resolve();
      };
      pump();
    });

  const phases = [...new Set(plan.changes.map((c) => c.phase ?? 0))].sort((a, b) => a - b);
  for (const phase of phases) {
    if (failed) break;
    await runPhase(plan.changes.filter((c) => (c.phase ?? 0) === phase));
  }
  return result;
}

function isPrecedenceConflict(error: unknown): boolean {
  const codes = (error as { codes?: unknown }).codes;
  return (
    Array.isArray(codes) && codes.includes(12130) && /precedence/i.test(String((error as Error).message))
  );
}

/** The app with its links moved above every precedence it uses, in the same order. */
export function stagedApp(app: WireApp): WireApp {
  const top = Math.max(0, ...app.policies.map((l) => l.precedence));
  const base = top + 1000;
  return { ...app, policies: app.policies.map((l, i) => ({ id: l.id, precedence: base + i })) };
}

/** Never send an app without a policy list (`policies: null` would detach every policy). */
function assertPolicies(kind: ManagedKind, body: Body): void {
  if (kind === 'app' && !Array.isArray((body as WireApp).policies)) {
    throw new UnresolvedReferenceError('refusing to send an app without a `policies` list');
  }
}
