import type { AccessClient } from '../api/client.js';
import { executePlan, type ProgressEvent, StoppedError } from '../deploy/execute.js';
import { Ledger } from '../deploy/ledger.js';
import { LedgerWriter } from '../deploy/ledger-store.js';
import type { ListChange } from '../deploy/lists.js';
import { applyListDeletes, applyListWrites } from '../deploy/lists-apply.js';
import type { Plan } from '../deploy/plan.js';
import { failureDiagnostic } from '../deploy/workflow.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApplyHold } from './locks.js';
import type { AdoptRef } from './prepare.js';

const INTERRUPTED = 'interrupted (Ctrl-C)';
/** Where the diagnostics of a run point: the apply itself, not a file. */
const APPLY_SPAN = { file: '<apply>', start: 0, end: 0 };

export interface ApplyChangesOptions {
  /** The ledger the plan was made with; a new one when there was none. Saved after every write. */
  ledger: Ledger | undefined;
  ledgerPath: string;
  /** Take-overs approved (`--adopt` or the saved plan's): recorded in the ledger once written. */
  adopt: readonly AdoptRef[];
  /** `--parallelism`: changes in flight at once (default 4). */
  parallelism?: string;
  /** Told of each change of a group, policy or app; `finish` once they are all done or one failed. */
  progress: { onEvent(event: ProgressEvent): void; finish(): void };
  /** Told of each list change once the API confirmed it, with the list's id. */
  onListDone(change: ListChange, id: string): void;
  /** Asked before each change starts: Ctrl-C and a lost account lock stop the run. */
  held: ApplyHold;
}

/**
 * Make the changes of a plan, recording each in the ledger as it goes: lists first (rules name them), then the
 * groups, policies and apps in the plan's order, the deletes of lists last (once no rule names them). Returns why it
 * stopped, if it did (`interrupted` after Ctrl-C: ACL0834); no diagnostics when everything was applied.
 */
export async function applyChanges(
  plan: Plan,
  client: AccessClient,
  options: ApplyChangesOptions,
): Promise<{ diagnostics: Diagnostic[]; interrupted?: true }> {
  const { held } = options;
  const ledger = options.ledger ?? new Ledger();
  const writer = new LedgerWriter(options.ledgerPath, ledger);
  const parallel = Number(options.parallelism ?? 4);
  const adopt = new Set(options.adopt.map((a) => a.id));
  const listOptions = {
    accountId: plan.accountId,
    ledger,
    saveLedger: () => writer.save(),
    adopt,
    onDone: options.onListDone,
  };
  let listIds: Map<string, string>;
  try {
    listIds = await applyListWrites(client.lists, plan.lists ?? [], listOptions);
  } catch (error) {
    return { diagnostics: [failureDiagnostic(error)] };
  }
  const result = await executePlan(plan, client, {
    created: listIds,
    accountId: plan.accountId,
    ledger,
    saveLedger: () => writer.save(),
    concurrency: Number.isInteger(parallel) && parallel > 0 ? parallel : 4,
    onEvent: (e) => options.progress.onEvent(e),
    stopReason: () => (held.interrupted ? INTERRUPTED : held.account?.lost()),
    adopt,
  });
  options.progress.finish();
  if (result.failure) {
    const error = result.failure.error;
    const counts = { done: result.completed, total: result.total };
    if (error instanceof StoppedError && error.message === INTERRUPTED)
      return {
        diagnostics: [diagnostic('ACL0834', APPLY_SPAN, counts)],
        interrupted: true,
      };
    const failure =
      error instanceof StoppedError
        ? diagnostic('ACL0878', APPLY_SPAN, { reason: error.message })
        : failureDiagnostic(error);
    return { diagnostics: [failure, diagnostic('ACL0862', APPLY_SPAN, counts)] };
  }
  try {
    await applyListDeletes(client.lists, plan.lists ?? [], listOptions);
  } catch (error) {
    return { diagnostics: [failureDiagnostic(error)] };
  }
  return { diagnostics: [] };
}
