import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readApiConfig } from '../api/auth.js';
import { AccessClient, type RequestInfo } from '../api/client.js';
import { apiErrorToDiagnostic, isApiError } from '../api/errors.js';
import type { RateLimit } from '../api/rate-limit.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { CompiledProject } from '../model/compiled.js';
import type { Project } from '../model/project.js';
import { fingerprintLive } from './fingerprint.js';
import type { Ledger } from './ledger.js';
import { ownershipOf } from './ledger.js';
import { DEFAULT_LEDGER_PATH, loadLedger } from './ledger-store.js';
import { creatingLists, planLists, readListItems } from './lists.js';
import { collectionOf, type LiveCollection, type LiveState } from './live.js';
import { changeKey, makePlan, type Plan } from './plan.js';
import type { ChangeZone } from './plan-types.js';
import { readLive } from './read-live.js';
import { type Reconciled, reconcileLedger } from './reconcile.js';
import { referenceSpans } from './references.js';
import { referencedKinds } from './resolve.js';
import { checkTags } from './tag-check.js';
import { planZones, splitScopes } from './zone-plan.js';
import { readZones, resolveZones, zoneSpans, zonesNamed } from './zones.js';

/**
 * The effects around the pure planner, shared by `plan` and `apply`: read the environment, connect, compile,
 * read the account and the ledger. Every failure comes back as diagnostics; nothing here prints.
 */

export interface ConnectFlags {
  apiBase?: string;
  accountId?: string;
  /** Changes (and reads) in flight at once. */
  parallelism?: number;
  /** Client-side rate limit, e.g. from `ACLC_RATE_LIMIT=1200/300s`. */
  rateLimit?: RateLimit;
  onRequest?(info: RequestInfo): void;
}

export interface Connection {
  client: AccessClient;
  accountId: string;
  baseUrl: string;
}

const ENV_SPAN: Span = { file: '<environment>', start: 0, end: 0 };

/** `30s`, `5m`, `1500ms` → milliseconds, a bare number in units of `bareUnitMs`; `undefined` when not a duration. */
export function durationMs(text: string, bareUnitMs: number): number | undefined {
  const m = /^\s*(\d+)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return undefined;
  const unit = m[2] === 'm' ? 60_000 : m[2] === 's' ? 1000 : m[2] === 'ms' ? 1 : bareUnitMs;
  return Number(m[1]) * unit;
}

/** `N/WINDOW` (`1200/300s`, `10/500ms`, `100/1m`; a bare window is in milliseconds). */
export function parseRateLimitText(text: string): RateLimit | undefined {
  const m = /^\s*(\d+)\s*\/(.*)$/.exec(text);
  const windowMs = m ? durationMs(m[2] as string, 1) : undefined;
  if (!m || windowMs === undefined) return undefined;
  const limit = { requests: Number(m[1]), windowMs };
  return limit.requests >= 1 && limit.windowMs >= 1 ? limit : undefined;
}

/** Credentials and endpoint from the environment, overridden by `--api-base` / `--account-id`; then a client. */
export function connect(
  env: NodeJS.ProcessEnv,
  flags: ConnectFlags,
): { value?: Connection; diagnostics: Diagnostic[] } {
  const merged: Record<string, string | undefined> = { ...env };
  if (flags.apiBase !== undefined) merged.ACLC_API_BASE = flags.apiBase;
  if (flags.accountId !== undefined) merged.CLOUDFLARE_ACCOUNT_ID = flags.accountId;
  const config = readApiConfig(merged);
  const diagnostics = [...config.diagnostics];
  let rateLimit = flags.rateLimit;
  const envLimit = env.ACLC_RATE_LIMIT;
  if (rateLimit === undefined && envLimit !== undefined && envLimit !== '') {
    rateLimit = parseRateLimitText(envLimit);
    if (!rateLimit) {
      diagnostics.push(
        diagnostic('ACL0833', ENV_SPAN, {
          option: 'ACLC_RATE_LIMIT',
          reason: `\`${envLimit}\` is not a rate limit`,
          usage: 'write REQUESTS/WINDOW, e.g. `1200/300s`',
        }),
      );
      return { diagnostics };
    }
  }
  if (!config.value?.accountId) return { diagnostics };
  const { baseUrl, accountId, auth } = config.value;
  const client = new AccessClient({
    baseUrl,
    accountId,
    auth,
    concurrency: flags.parallelism ?? 4,
    ...(rateLimit ? { rateLimit } : {}),
    ...(flags.onRequest ? { onRequest: flags.onRequest } : {}),
  });
  return { value: { client, accountId, baseUrl }, diagnostics };
}

/** Turns an API failure (or anything thrown) into a diagnostic; the message is already redacted. */
export function failureDiagnostic(error: unknown): Diagnostic {
  if (isApiError(error)) return apiErrorToDiagnostic(error);
  const message = error instanceof Error ? error.message : String(error);
  return diagnostic('ACL0814', ENV_SPAN, { operation: 'the deployment', reason: message });
}

/** Where the ledger lives: `--state`, else `.aclc/state.json` in the project folder (the first path's). */
export function ledgerPath(paths: readonly string[], cwd: string, state?: string): string {
  if (state !== undefined) return isAbsolute(state) ? state : resolve(cwd, state);
  const first = paths[0];
  if (first === undefined) return join(cwd, DEFAULT_LEDGER_PATH);
  const full = resolve(cwd, first);
  try {
    return join(statSync(full).isDirectory() ? full : dirname(full), DEFAULT_LEDGER_PATH);
  } catch {
    return join(cwd, DEFAULT_LEDGER_PATH);
  }
}

export async function openLedger(path: string): Promise<{ ledger?: Ledger; diagnostics: Diagnostic[] }> {
  const loaded = await loadLedger(path);
  if (loaded.error !== undefined) {
    return {
      diagnostics: [diagnostic('ACL0860', { file: path, start: 0, end: 0 }, { path, reason: loaded.error })],
    };
  }
  return loaded.ledger ? { ledger: loaded.ledger, diagnostics: [] } : { diagnostics: [] };
}

/** A compiled project with what plan diagnostics need. */
export interface CompiledSources {
  files: SourceFile[];
  project: Project;
  document: CompiledProject;
}

/** The optional account collections a document's references need. */
export function collectionsFor(document: CompiledProject): LiveCollection[] {
  const out = new Set<LiveCollection>();
  // Declared lists are matched to the account's (and, with --prune, the lists aclc made are found there).
  if ((document.lists ?? []).length > 0) out.add('lists');
  for (const kind of referencedKinds(document)) {
    const c = collectionOf(kind);
    if (c) out.add(c);
  }
  // Tags an app carries must exist in the account (`tag-check.ts`).
  const tagged = (a: object) => {
    const tags = (a as { tags?: unknown }).tags;
    return Array.isArray(tags) && tags.length > 0;
  };
  if (document.apps.some(tagged)) out.add('tags');
  return [...out].sort();
}

/** Where each declared list is written (`list:<name>`), for list diagnostics. */
function listSpans(project: Project): Map<string, Span> {
  return new Map([...(project.lists?.values() ?? [])].map((l) => [`list:${l.name}`, l.nameSpan]));
}

/** Where each declared object is written, for plan diagnostics. */
export function declarationSpans(project: Project, document: CompiledProject): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const g of project.groups.values()) out.set(changeKey('group', g.name), g.nameSpan);
  for (const p of project.policies.values()) out.set(changeKey('policy', p.name), p.nameSpan);
  for (const a of project.apps) out.set(changeKey('app', a.name), a.nameSpan);
  for (const l of project.lists?.values() ?? []) out.set(`list:${l.name}`, l.nameSpan);
  // Synthesized groups point at the first policy (or group) that uses them.
  for (const g of document.groups)
    if (!out.has(changeKey('group', g.name)))
      out.set(changeKey('group', g.name), { file: '<compiled>', start: 0, end: 0 });
  return out;
}

/** The zone-level objects' changes, added to the account plan (`zone-plan.ts`). */
function addZoneChanges(
  plan: Plan,
  sources: CompiledSources,
  live: LiveState,
  ownership: ReturnType<typeof ownershipOf>,
  prune: boolean,
  zones: ChangeZone[],
  diagnostics: Diagnostic[],
): void {
  const zoned = planZones({
    document: sources.document,
    live,
    ownership,
    prune,
    spans: referenceSpans(sources.project),
    declarations: declarationSpans(sources.project, sources.document),
    accountChanges: plan.changes,
    creatingLists: creatingLists(sources.document, live),
  });
  diagnostics.push(...zoned.diagnostics);
  plan.zones = zones;
  plan.changes = [...plan.changes, ...zoned.changes].sort((a, b) => a.phase - b.phase);
  plan.kept.push(...zoned.kept);
  for (const c of zoned.changes) plan.summary[c.action]++;
}

export interface PlanRun {
  plan: Plan;
  live: LiveState;
  /** The ledger, reconciled with the account (not yet saved). */
  ledger?: Ledger;
  /** What reconciling the ledger with the account changed (apply saves it). */
  reconciled?: Reconciled;
  diagnostics: Diagnostic[];
}

/** Compile, read the account and the ledger, plan. */
export async function planFromSources(
  sources: CompiledSources,
  connection: Connection,
  options: { prune: boolean; ledgerPath: string; adopt?: boolean },
): Promise<{ value?: PlanRun; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const opened = await openLedger(options.ledgerPath);
  diagnostics.push(...opened.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  const reads = collectionsFor(sources.document);
  // `--prune` finds the lists aclc made and the code no longer declares; a ledger that records lists needs them
  // read to settle its entries and to show the lists it keeps.
  const ledgerHasLists = [
    ...(opened.ledger?.accounts.get(connection.accountId)?.objects ?? []),
    ...(opened.ledger?.pending(connection.accountId) ?? []),
  ].some((o) => o.kind === 'list');
  if ((options.prune || ledgerHasLists) && !reads.includes('lists'))
    reads.splice(0, reads.length, ...[...reads, 'lists' as const].sort());
  let live: LiveState;
  const named = zonesNamed(sources.document);
  let zones: ChangeZone[] = [];
  try {
    if (named.length > 0) {
      const resolved = await resolveZones(connection.client, named, zoneSpans(sources.project));
      diagnostics.push(...resolved.diagnostics);
      if (hasErrors(diagnostics)) return { diagnostics };
      zones = resolved.zones;
    }
    live = await readLive(connection.client, reads);
    if (named.length > 0) live.zones = await readZones(connection.client, zones);
  } catch (error) {
    diagnostics.push(failureDiagnostic(error));
    return { diagnostics };
  }
  const split = splitScopes(sources.document);
  const declaredLists = sources.document.lists ?? [];
  let listItems: string[] = [];
  if (declaredLists.length > 0) {
    try {
      listItems = await readListItems(connection.client.lists, live, sources.document);
    } catch (error) {
      diagnostics.push(failureDiagnostic(error));
      return { diagnostics };
    }
  }
  const reconciled = opened.ledger ? reconcileLedger(opened.ledger, connection.accountId, live) : undefined;
  diagnostics.push(...checkTags(sources.project, live, sources.files));
  const ownership = ownershipOf(opened.ledger, connection.accountId, live);
  const made = makePlan({
    accountId: connection.accountId,
    document: split.account,
    live,
    ownership,
    prune: options.prune,
    spans: referenceSpans(sources.project),
    declarations: declarationSpans(sources.project, sources.document),
    fingerprint: fingerprintLive(live),
    reads,
    creatingLists: creatingLists(sources.document, live),
  });
  diagnostics.push(...made.diagnostics);
  if (named.length > 0)
    addZoneChanges(made.plan, sources, live, ownership, options.prune, zones, diagnostics);
  const gone = new Set(made.plan.changes.flatMap((c) => (c.action === 'delete' ? [c.id] : [])));
  const ledger = opened.ledger;
  const lists = planLists({
    document: sources.document,
    live,
    prune: options.prune,
    spans: listSpans(sources.project),
    gone,
    ownership: ownershipOf(ledger, connection.accountId, live),
    applied: (id) => ledger?.applied(connection.accountId, id),
    ...(options.adopt ? { adopt: true } : {}),
  });
  diagnostics.push(...lists.diagnostics);
  if (lists.changes.length > 0) {
    made.plan.lists = lists.changes;
    for (const c of lists.changes) made.plan.summary[c.action]++;
  }
  if (lists.kept.length > 0) made.plan.listsKept = lists.kept;
  if (listItems.length > 0) made.plan.listItems = listItems;
  const run: PlanRun = { plan: made.plan, live, diagnostics };
  if (opened.ledger) run.ledger = opened.ledger;
  if (reconciled) run.reconciled = reconciled;
  return { value: run, diagnostics };
}
