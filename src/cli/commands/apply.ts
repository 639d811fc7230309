import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { accessChangesSection } from '../../access-diff/section.js';
import { type AccountLock, acquireAccountLock } from '../../deploy/account-lock.js';
import { executePlan, StoppedError } from '../../deploy/execute.js';
import { fingerprintLive } from '../../deploy/fingerprint.js';
import {
  checkGuards,
  type GuardOptions,
  type PolicySemantics,
  policySemantics,
} from '../../deploy/guards.js';
import { Ledger, ownershipOf } from '../../deploy/ledger.js';
import { LedgerWriter } from '../../deploy/ledger-store.js';
import { type ListChange, listTakeOvers, readItemsOf } from '../../deploy/lists.js';
import { applyListDeletes, applyListWrites } from '../../deploy/lists-apply.js';
import { listDoneLine } from '../../deploy/lists-text.js';
import { LIVE_COLLECTIONS, type LiveCollection, type LiveState } from '../../deploy/live.js';
import { acquireLedgerLock, type LedgerLock } from '../../deploy/lock.js';
import type { Plan } from '../../deploy/plan.js';
import { readLive } from '../../deploy/read-live.js';
import { reconcileLedger } from '../../deploy/reconcile.js';
import { checkPlanOwnership, planDigest } from '../../deploy/saved-plan.js';
import {
  type Connection,
  declarationSpans,
  failureDiagnostic,
  ledgerPath,
  openLedger,
  planFromSources,
} from '../../deploy/workflow.js';
import { readZones } from '../../deploy/zones.js';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { attachView, type ObjectRef } from '../../plan-view/index.js';
import { isPlanView } from '../../plan-view/types.js';
import { type Io, processIo, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { createProgress, readingIndicator } from '../progress.js';
import { styleFor } from '../render/human.js';
import { renderPlan } from '../render/plan.js';
import { compileSources, connectFor, type DeployOptions, planWidth, type SavedPlan } from './plan.js';

export interface ApplyOptions extends DeployOptions {
  autoApprove?: boolean;
  allowNoPolicy?: boolean;
  /** Apply a plan that widens access to a sensitive app (`sensitiveApps`). */
  allowWiden?: boolean;
  allowDetachAll?: boolean;
  allowEveryone?: boolean;
  /** Remove the ledger's lock file left by an apply that did not finish. */
  forceUnlock?: boolean;
  /** How long to wait for the account lock another apply holds (`30s`, `5m`; default 0). */
  lockTimeout?: string;
  /** `false` with `--no-account-lock`: do not take the lock held in the account. */
  accountLock?: boolean;
  /** Take over declared objects made outside aclc (refused otherwise, ACL0832). */
  adopt?: boolean;
  /** Columns to wrap the plan to. */
  width?: string;
}

/** The ledger lock an apply holds, released by `runApply` whatever happens. */
interface Held {
  /** Set by Ctrl-C (SIGINT): start nothing new, finish what is in flight, record it, release the locks. */
  interrupted?: boolean;
  lock?: LedgerLock;
  /** The lock held in the account (an Access tag), shared by every checkout and machine. */
  account?: AccountLock;
}

/** `30s`, `5m`, `1500ms`, `0` → milliseconds; `undefined` when not a duration. */
export function durationMs(text: string | undefined): number | undefined {
  if (text === undefined) return 0;
  const m = /^\s*(\d+)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'm' ? 60_000 : m[2] === 'ms' ? 1 : 1000);
}

/**
 * Take the account lock before the account is read, so the plan is made from what every other apply has finished
 * writing: two applies from two checkouts can never both create the same object.
 */
async function lockAccount(connection: Connection, options: ApplyOptions, held: Held): Promise<Diagnostic[]> {
  if (options.accountLock === false) return [];
  const timeoutMs = durationMs(options.lockTimeout);
  if (timeoutMs === undefined)
    return [
      diagnostic(
        'ACL0821',
        { file: '<command line>', start: 0, end: 0 },
        {
          option: '--lock-timeout',
          reason: `\`${options.lockTimeout}\` is not a duration`,
          usage: 'write a number of seconds or minutes, e.g. `30s` or `5m`',
        },
      ),
    ];
  // Ctrl-C while waiting for another apply's lock ends the wait: the next pause fails, and the lock gives up as on
  // any failure, removing its own claim (and nothing else).
  const sleep = (ms: number) =>
    held.interrupted
      ? Promise.reject(new Error('interrupted'))
      : new Promise<void>((resolve) => setTimeout(resolve, ms));
  const taken = await acquireAccountLock(connection.client.resources.tags, { timeoutMs, sleep });
  if (taken.lock) held.account = taken.lock;
  // Interrupted: the refusal the wait ended with is not the reason to report (runApply says it was interrupted).
  return held.interrupted && !taken.lock ? [] : taken.diagnostics;
}

async function lockLedger(path: string, options: ApplyOptions, held: Held): Promise<Diagnostic[]> {
  const taken = await acquireLedgerLock(path, { forceUnlock: options.forceUnlock === true });
  if (taken.lock) held.lock = taken.lock;
  return taken.diagnostics;
}

/** An `Io` that can ask the user; when absent, `apply` asks on the process's terminal (only for `processIo`). */
export interface ApplyIo extends Io {
  confirm?(question: string): Promise<boolean>;
  /**
   * Calls `listener` on an interrupt (Ctrl-C); returns a function that stops listening. When absent, `apply`
   * listens for the process's SIGINT (only for `processIo`).
   */
  onInterrupt?(listener: () => void): () => void;
}

/** Subscribe to interrupts: the `Io`'s own, or the process's SIGINT when running on the real process. */
function listenForInterrupt(io: ApplyIo, listener: () => void): () => void {
  if (io.onInterrupt) return io.onInterrupt(listener);
  if ((io.base ?? io) !== processIo) return () => {};
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
}

const INTERRUPTED = 'interrupted (Ctrl-C)';

const QUESTION = 'Do you want to perform these actions? Only `yes` will be accepted: ';

async function askTerminal(io: Io, held: Held): Promise<boolean | undefined> {
  if ((io.base ?? io) !== processIo || !process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C at the prompt reaches readline, not the process: it interrupts the apply like anywhere else.
  const aborted = new AbortController();
  rl.on('SIGINT', () => {
    held.interrupted = true;
    aborted.abort();
  });
  try {
    return (await rl.question(QUESTION, { signal: aborted.signal })).trim() === 'yes';
  } catch {
    return false;
  } finally {
    rl.close();
  }
}

function fileSpan(path: string): Span {
  return { file: path, start: 0, end: 0 };
}

/** Read and check a saved plan; problems come back as ACL0858. */
export async function readSavedPlan(
  path: string,
  cwd: string,
): Promise<{ plan?: SavedPlan; diagnostics: Diagnostic[] }> {
  const bad = (reason: string) => ({
    diagnostics: [diagnostic('ACL0858', fileSpan(path), { path, reason })],
  });
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (e) {
    return bad((e as { code?: string }).code === 'ENOENT' ? 'no such file' : 'unreadable');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('not valid JSON');
  }
  const p = json as Partial<SavedPlan> | null;
  if (p?.format !== 'aclc-plan') return bad('`format` is not `aclc-plan`');
  if (p.version !== 1) return bad(`unsupported version \`${String(p.version)}\``);
  if (typeof p.accountId !== 'string' || typeof p.fingerprint !== 'string')
    return bad('no account or fingerprint');
  if (!Array.isArray(p.changes) || !p.summary) return bad('no `changes`');
  const reads = Array.isArray(p.reads)
    ? p.reads.filter((r): r is LiveCollection => LIVE_COLLECTIONS.includes(r))
    : [];
  const valid = p.changes.every(
    (c) =>
      c &&
      typeof c === 'object' &&
      ['create', 'update', 'delete'].includes(c.action) &&
      ['group', 'policy', 'app'].includes(c.kind) &&
      typeof c.key === 'string' &&
      Number.isInteger(c.phase) &&
      Array.isArray(c.after),
  );
  if (!valid) return bad('a change is malformed');
  if (
    p.listItems !== undefined &&
    !(Array.isArray(p.listItems) && p.listItems.every((x) => typeof x === 'string'))
  )
    return bad('its `listItems` is malformed');
  if (p.view !== undefined && !isPlanView(p.view)) return bad('its `view` is malformed');
  if (typeof p.digest !== 'string' || p.digest !== planDigest(p))
    return { diagnostics: [diagnostic('ACL0874', fileSpan(path), { path })] };
  return { plan: { ...(p as SavedPlan), reads, kept: Array.isArray(p.kept) ? p.kept : [] }, diagnostics: [] };
}

type AdoptRef = ObjectRef | { kind: 'list'; name: string; id: string };

interface Prepared {
  /** `sensitiveApps` of the project (plans made from sources). */
  sensitive?: string[];
  /** Where each app is declared, when the plan was made from sources. */
  spanOfApp?: (name: string) => Span;
  /** Where each object is declared (`kind`, `name`), when the plan was made from sources. */
  spanOf?: (kind: string, name: string) => Span;
  /** Declared objects (lists too) made outside aclc that the plan updates: taken over only with `--adopt`. */
  adopt: AdoptRef[];
  /** The saved plan was made with `--adopt`. */
  adoptApproved?: boolean;
  /** What the code means by its policies (plans made from sources), for the exact "open to everyone" guard. */
  semantics?: PolicySemantics;
  plan: Plan;
  live: LiveState;
  ledger: Ledger | undefined;
  /** Whether reconciling the ledger with the account changed it. */
  reconciled?: boolean;
  ledgerPath: string;
  files: SourceFile[];
}

/** What `apply` needs before it runs, or why it cannot run (`exit`: the code when nothing was reported here). */
interface Prepare {
  value?: Prepared;
  connection?: Connection;
  files: SourceFile[];
  diagnostics: Diagnostic[];
  exit?: number;
}

async function fromSavedPlan(path: string, options: ApplyOptions, io: Io, held: Held): Promise<Prepare> {
  const read = await readSavedPlan(path, io.cwd);
  if (!read.plan) return { files: [], diagnostics: read.diagnostics };
  const saved = read.plan;
  const connection = connectFor(options, io, []);
  if (typeof connection === 'number') return { files: [], diagnostics: [], exit: connection };
  const state =
    options.state !== undefined ? ledgerPath([], io.cwd, options.state) : ledgerPath([], io.cwd, saved.state);
  const diagnostics: Diagnostic[] = await lockLedger(state, options, held);
  if (hasErrors(diagnostics)) return { connection, files: [], diagnostics };
  diagnostics.push(...(await lockAccount(connection, options, held)));
  if (hasErrors(diagnostics) || held.interrupted) return { connection, files: [], diagnostics };
  if (connection.accountId.toLowerCase() !== saved.accountId.toLowerCase()) {
    diagnostics.push(
      diagnostic('ACL0859', fileSpan(path), { planned: saved.accountId, account: connection.accountId }),
    );
    return { connection, files: [], diagnostics };
  }
  let live: LiveState;
  const reading = readingIndicator(io, options.diagnostics === 'json');
  try {
    live = await readLive(connection.client, saved.reads);
    // The items of the lists the plan read: a change to them since makes the fingerprint differ.
    await readItemsOf(connection.client.lists, live, saved.listItems ?? []);
    // The zones the plan was made with, by id (a zone name is not looked up again).
    if (Array.isArray(saved.zones)) live.zones = await readZones(connection.client, saved.zones);
  } catch (error) {
    return { connection, files: [], diagnostics: [...diagnostics, failureDiagnostic(error)] };
  } finally {
    reading.stop();
  }
  if (fingerprintLive(live) !== saved.fingerprint) {
    diagnostics.push(diagnostic('ACL0853', fileSpan(path), { path }));
    return { connection, files: [], diagnostics };
  }
  const opened = await openLedger(state);
  if (hasErrors(opened.diagnostics))
    return { connection, files: [], diagnostics: [...diagnostics, ...opened.diagnostics] };
  // The same ownership rules as a fresh plan, on the account as it is now: a hand-edited plan cannot delete or
  // rewrite an object aclc may not touch.
  const reconciled = opened.ledger ? reconcileLedger(opened.ledger, connection.accountId, live) : undefined;
  const ownership = ownershipOf(opened.ledger, connection.accountId, live);
  const refused = checkPlanOwnership(saved, live, ownership, path, fileSpan(path));
  if (refused.length > 0) return { connection, files: [], diagnostics: [...diagnostics, ...refused] };
  const adopt: AdoptRef[] = [
    ...saved.changes
      .filter((c) => c.action === 'update' && !ownership.ids.has(c.id))
      .map((c) => ({ kind: c.kind, name: c.name, id: (c as { id: string }).id })),
    ...listTakeOvers(saved.lists, ownership),
  ];
  return {
    value: {
      adopt,
      ...(saved.adopt === true ? { adoptApproved: true } : {}),
      // The sensitive apps the project had when the plan was made (a saved plan is applied without its sources).
      ...(Array.isArray(saved.sensitive)
        ? { sensitive: saved.sensitive.filter((p) => typeof p === 'string') }
        : {}),
      plan: saved,
      live,
      ledger: opened.ledger,
      ...(reconciled?.changed ? { reconciled: true } : {}),
      ledgerPath: state,
      files: [],
    },
    connection,
    files: [],
    diagnostics,
  };
}

async function fromSources(paths: string[], options: ApplyOptions, io: Io, held: Held): Promise<Prepare> {
  const compiled = compileSources(paths, io.cwd, 'apply');
  if (!compiled.value) return { files: compiled.files, diagnostics: compiled.diagnostics };
  const connection = connectFor(options, io, compiled.files);
  if (typeof connection === 'number') return { files: compiled.files, diagnostics: [], exit: connection };
  const state = ledgerPath(compiled.root ? [compiled.root] : paths, io.cwd, options.state);
  const locked = await lockLedger(state, options, held);
  if (!hasErrors(locked)) locked.push(...(await lockAccount(connection, options, held)));
  if (hasErrors(locked) || held.interrupted)
    return { connection, files: compiled.files, diagnostics: [...compiled.diagnostics, ...locked] };
  const reading = readingIndicator(io, options.diagnostics === 'json');
  const planned = await planFromSources(compiled.value, connection, {
    prune: options.prune === true,
    ledgerPath: state,
    ...(options.adopt ? { adopt: true } : {}),
  }).finally(() => reading.stop());
  const diagnostics = [...compiled.diagnostics, ...locked, ...planned.diagnostics];
  if (!planned.value || hasErrors(diagnostics)) return { connection, files: compiled.files, diagnostics };
  attachView(planned.value, compiled.value.document);
  const decls = declarationSpans(compiled.value.project, compiled.value.document);
  return {
    value: {
      spanOfApp: (name) => decls.get(`app:${name}`) ?? { file: '<plan>', start: 0, end: 0 },
      spanOf: (kind, name) => decls.get(`${kind}:${name}`) ?? { file: '<plan>', start: 0, end: 0 },
      adopt: [...(planned.value.plan.view?.adopt ?? []), ...listTakeOvers(planned.value.plan.lists)],
      semantics: policySemantics(compiled.value.project),
      ...(compiled.sensitive ? { sensitive: compiled.sensitive } : {}),
      plan: planned.value.plan,
      live: planned.value.live,
      ledger: planned.value.ledger,
      ...(planned.value.reconciled?.changed ? { reconciled: true } : {}),
      ledgerPath: state,
      files: compiled.files,
    },
    connection,
    files: compiled.files,
    diagnostics,
  };
}

/**
 * `aclc apply [plan.json | paths…]`: make the account match the code. Asks for confirmation on a terminal unless
 * `--auto-approve`; refuses a saved plan made against a different account state; refuses lock-out and fail-open
 * plans unless allowed; records what it creates in the ledger as it goes. Holds the ledger's lock
 * (`state.json.lock`) from before the ledger is read until the end, so two applies never race on it.
 */
export async function runApply(args: string[], options: ApplyOptions, io: ApplyIo): Promise<number> {
  const held: Held = {};
  let notified = false;
  const stopListening = listenForInterrupt(io, () => {
    held.interrupted = true;
    if (!notified) {
      notified = true;
      io.err(
        '\ninterrupted: finishing the requests in flight, then recording them and releasing the locks\n',
      );
    }
  });
  try {
    const code = await applyHolding(args, options, io, held);
    return held.interrupted && code !== EXIT.ok ? EXIT.interrupted : code;
  } finally {
    await held.account?.release();
    await held.lock?.release();
    stopListening();
  }
}

/** `runApply` once the ledger lock is in `held` (taken before the ledger is read, released by the caller). */
async function applyHolding(args: string[], options: ApplyOptions, io: ApplyIo, held: Held): Promise<number> {
  const width = planWidth(options.width, io);
  if (width.width === undefined) {
    reportDiagnostics(io, width.diagnostics, [], options.diagnostics);
    return EXIT.usage;
  }
  const saved = args.length === 1 && (args[0] as string).endsWith('.json');
  const prepared = saved
    ? await fromSavedPlan(args[0] as string, options, io, held)
    : await fromSources(args, options, io, held);
  const { connection, files } = prepared;
  try {
    if (held.interrupted) {
      if (prepared.diagnostics.length)
        reportDiagnostics(io, prepared.diagnostics, files, options.diagnostics);
      io.err('apply interrupted; nothing was changed\n');
      return EXIT.interrupted;
    }
    if (!prepared.value) {
      if (prepared.diagnostics.length)
        reportDiagnostics(io, prepared.diagnostics, files, options.diagnostics);
      return prepared.diagnostics.length ? exitFor(prepared.diagnostics) : (prepared.exit ?? EXIT.errors);
    }
    const { plan, live, ledgerPath: statePath } = prepared.value;
    const client = (connection as Connection).client;
    const diagnostics = [...prepared.diagnostics];
    const guards: GuardOptions = {
      allowNoPolicy: options.allowNoPolicy === true,
      allowDetachAll: options.allowDetachAll === true,
      allowEveryone: options.allowEveryone === true,
    };
    diagnostics.push(
      ...checkGuards(live, plan.changes, guards, prepared.value.spanOfApp, prepared.value.semantics),
    );
    const adopt = prepared.value.adopt;
    if (adopt.length > 0 && !options.adopt && !prepared.value.adoptApproved)
      diagnostics.push(
        ...adopt.map((a) =>
          diagnostic('ACL0832', prepared.value?.spanOf?.(a.kind, a.name) ?? fileSpan(args[0] ?? '<plan>'), {
            kind: a.kind,
            name: a.name,
            id: a.id,
          }),
        ),
      );
    const style = styleFor({ isTTY: io.stdoutIsTTY }, io.env);
    const access = accessChangesSection(live, plan, {
      style,
      width: width.width,
      sensitive: prepared.value.sensitive ?? [],
      apply: true,
      ...(options.allowWiden ? { allowWiden: true } : {}),
      spanOfApp: prepared.value.spanOfApp ?? (() => ({ file: '<plan>', start: 0, end: 0 })),
    });
    diagnostics.push(...access.diagnostics);
    reportDiagnostics(io, diagnostics, files, options.diagnostics);
    io.out(
      renderPlan(plan, style, {
        width: width.width,
        sections: access.text ? [{ text: access.text.replace(/\n+$/, '') }] : [],
      }),
    );
    if (hasErrors(diagnostics)) return EXIT.errors;
    // What reconciling the ledger with the account settled (creates found by their marker, entries of objects that
    // are gone) is saved even when there is nothing to apply.
    if (prepared.value.ledger && prepared.value.reconciled)
      await new LedgerWriter(statePath, prepared.value.ledger).save();
    if (plan.changes.length === 0 && (plan.lists ?? []).length === 0) return EXIT.ok;

    // A saved plan was the review: applying it asks nothing (it is checked against its digest and the account).
    if (!options.autoApprove && !saved) {
      const answer = io.confirm ? await io.confirm(QUESTION) : await askTerminal(io, held);
      if (held.interrupted) {
        io.err('apply interrupted; nothing was changed\n');
        return EXIT.interrupted;
      }
      if (answer === undefined) {
        reportDiagnostics(
          io,
          [diagnostic('ACL0857', { file: '<command line>', start: 0, end: 0 })],
          files,
          options.diagnostics,
        );
        return EXIT.errors;
      }
      if (!answer) {
        io.err('apply cancelled; nothing was changed\n');
        return EXIT.errors;
      }
    }

    if (held.interrupted) {
      io.err('apply interrupted; nothing was changed\n');
      return EXIT.interrupted;
    }
    const ledger = prepared.value.ledger ?? new Ledger();
    const writer = new LedgerWriter(statePath, ledger);
    const progress = createProgress(io, plan.changes.length);
    const parallel = Number(options.parallelism ?? 4);
    // Lists first (rules name them), their deletes last (once no rule names them).
    const listOptions = {
      accountId: plan.accountId,
      ledger,
      saveLedger: () => writer.save(),
      adopt: new Set(adopt.map((a) => a.id)),
      // One line per list change, as the progress prints the other changes (on stderr).
      onDone: (c: ListChange, id: string) => io.err(`${listDoneLine(c, id)}\n`),
    };
    let listIds: Map<string, string>;
    try {
      listIds = await applyListWrites(client.lists, plan.lists ?? [], listOptions);
    } catch (error) {
      reportDiagnostics(io, [failureDiagnostic(error)], files, options.diagnostics);
      return EXIT.errors;
    }
    const result = await executePlan(plan, client, {
      created: listIds,
      accountId: plan.accountId,
      ledger,
      saveLedger: () => writer.save(),
      concurrency: Number.isInteger(parallel) && parallel > 0 ? parallel : 4,
      onEvent: (e) => progress.onEvent(e),
      stopReason: () => (held.interrupted ? INTERRUPTED : held.account?.lost()),
      adopt: new Set(adopt.map((a) => a.id)),
    });
    progress.finish();
    if (result.failure) {
      const error = result.failure.error;
      if (error instanceof StoppedError && error.message === INTERRUPTED) {
        const stopped = diagnostic(
          'ACL0834',
          { file: '<apply>', start: 0, end: 0 },
          { done: result.completed, total: result.total },
        );
        reportDiagnostics(io, [stopped], files, options.diagnostics);
        return EXIT.interrupted;
      }
      const failure =
        error instanceof StoppedError
          ? diagnostic('ACL0878', { file: '<apply>', start: 0, end: 0 }, { reason: error.message })
          : failureDiagnostic(error);
      const stopped = diagnostic(
        'ACL0862',
        { file: '<apply>', start: 0, end: 0 },
        { done: result.completed, total: result.total },
      );
      reportDiagnostics(io, [failure, stopped], files, options.diagnostics);
      return EXIT.errors;
    }
    try {
      await applyListDeletes(client.lists, plan.lists ?? [], listOptions);
    } catch (error) {
      reportDiagnostics(io, [failureDiagnostic(error)], files, options.diagnostics);
      return EXIT.errors;
    }
    const { create, update, delete: del } = plan.summary;
    io.out(`Apply complete! ${create} created, ${update} updated, ${del} deleted.\n`);
    return EXIT.ok;
  } finally {
    // The account lock is released through the client, so before the client closes.
    await held.account?.release();
    await connection?.client.close();
  }
}
