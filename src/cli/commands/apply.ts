import { accessChangesSection } from '../../access-diff/section.js';
import { type ApplyHold, type LockOptions, takeLocks } from '../../apply/locks.js';
import {
  type ApplyInput,
  applyRefusals,
  type RefusalOptions,
  savedPlanInput,
  sourcesInput,
} from '../../apply/prepare.js';
import { applyChanges } from '../../apply/run.js';
import { LedgerWriter } from '../../deploy/ledger-store.js';
import { listDoneLine } from '../../deploy/lists-text.js';
import { readSavedPlan } from '../../deploy/saved-plan.js';
import { type Connection, ledgerPath, planFromSources } from '../../deploy/workflow.js';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { createProgress, readingIndicator } from '../progress.js';
import { type ApplyIo, confirmApply, listenForInterrupt } from '../prompt.js';
import { styleFor } from '../render/human.js';
import { renderPlan } from '../render/plan.js';
import { compileSources, connectFor, type DeployOptions, planWidth } from './plan.js';

export type { ApplyIo };

export interface ApplyOptions extends DeployOptions, LockOptions, RefusalOptions {
  autoApprove?: boolean;
  /** Apply a plan that widens access to a sensitive app (`sensitiveApps`). */
  allowWiden?: boolean;
  /** Columns to wrap the plan to. */
  width?: string;
}

/** What `apply` needs before it runs, or why it cannot run (`exit`: the code when nothing was reported here). */
interface Prepare {
  value?: ApplyInput;
  connection?: Connection;
  files: SourceFile[];
  diagnostics: Diagnostic[];
  exit?: number;
}

/** A saved plan: read it, connect, take the locks, check it against the account (`src/apply/prepare.ts`). */
async function fromSavedPlan(path: string, options: ApplyOptions, io: Io, held: ApplyHold): Promise<Prepare> {
  const read = await readSavedPlan(path, io.cwd);
  if (!read.plan) return { files: [], diagnostics: read.diagnostics };
  const saved = read.plan;
  const connection = connectFor(options, io, []);
  if (typeof connection === 'number') return { files: [], diagnostics: [], exit: connection };
  const state =
    options.state !== undefined ? ledgerPath([], io.cwd, options.state) : ledgerPath([], io.cwd, saved.state);
  const locked = await takeLocks(state, connection, options, held);
  if (hasErrors(locked) || held.interrupted) return { connection, files: [], diagnostics: locked };
  const checked = await savedPlanInput(saved, path, connection, state, () =>
    readingIndicator(io, options.diagnostics === 'json'),
  );
  const diagnostics = [...locked, ...checked.diagnostics];
  return { ...(checked.value ? { value: checked.value } : {}), connection, files: [], diagnostics };
}

/** Sources: compile them, connect, take the locks, read the account and plan. */
async function fromSources(
  paths: string[],
  options: ApplyOptions,
  io: Io,
  held: ApplyHold,
): Promise<Prepare> {
  const compiled = compileSources(paths, io.cwd, 'apply');
  if (!compiled.value) return { files: compiled.files, diagnostics: compiled.diagnostics };
  const connection = connectFor(options, io, compiled.files);
  if (typeof connection === 'number') return { files: compiled.files, diagnostics: [], exit: connection };
  const state = ledgerPath(compiled.root ? [compiled.root] : paths, io.cwd, options.state);
  const locked = await takeLocks(state, connection, options, held);
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
  return {
    value: sourcesInput(compiled.value, planned.value, state, compiled.sensitive),
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
  const held: ApplyHold = {};
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
async function applyHolding(
  args: string[],
  options: ApplyOptions,
  io: ApplyIo,
  held: ApplyHold,
): Promise<number> {
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
    const input = prepared.value;
    const { plan, live } = input;
    const diagnostics = [...prepared.diagnostics, ...applyRefusals(input, options, args[0] ?? '<plan>')];
    const style = styleFor({ isTTY: io.stdoutIsTTY }, io.env);
    const access = accessChangesSection(live, plan, {
      style,
      width: width.width,
      sensitive: input.sensitive ?? [],
      apply: true,
      ...(options.allowWiden ? { allowWiden: true } : {}),
      spanOfApp: input.spanOfApp ?? (() => ({ file: '<plan>', start: 0, end: 0 })),
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
    if (input.ledger && input.reconciled) await new LedgerWriter(input.ledgerPath, input.ledger).save();
    if (plan.changes.length === 0 && (plan.lists ?? []).length === 0) return EXIT.ok;

    // A saved plan was the review: applying it asks nothing (it is checked against its digest and the account).
    if (!options.autoApprove && !saved) {
      const answer = await confirmApply(io, () => {
        held.interrupted = true;
      });
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
    const applied = await applyChanges(plan, (connection as Connection).client, {
      ledger: input.ledger,
      ledgerPath: input.ledgerPath,
      adopt: input.adopt,
      ...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
      progress: createProgress(io, plan.changes.length),
      // One line per list change, as the progress prints the other changes (on stderr).
      onListDone: (c, id) => io.err(`${listDoneLine(c, id)}\n`),
      held,
    });
    if (applied.diagnostics.length > 0) {
      reportDiagnostics(io, applied.diagnostics, files, options.diagnostics);
      return applied.interrupted ? EXIT.interrupted : EXIT.errors;
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
