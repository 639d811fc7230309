import { fingerprintLive } from '../deploy/fingerprint.js';
import { checkGuards, type PolicySemantics, policySemantics } from '../deploy/guards.js';
import { type Ledger, ownershipOf } from '../deploy/ledger.js';
import { listTakeOvers, readItemsOf } from '../deploy/lists.js';
import type { LiveState } from '../deploy/live.js';
import type { Plan } from '../deploy/plan.js';
import { readLive } from '../deploy/read-live.js';
import { reconcileLedger } from '../deploy/reconcile.js';
import { checkPlanOwnership, planFileSpan, type SavedPlan } from '../deploy/saved-plan.js';
import {
  type CompiledSources,
  type Connection,
  declarationSpans,
  failureDiagnostic,
  openLedger,
  type PlanRun,
} from '../deploy/workflow.js';
import { readZones } from '../deploy/zones.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { attachView, type ObjectRef } from '../plan-view/index.js';

/**
 * What an apply works from, made ready once its locks are held: a plan saved by `aclc plan --out` and checked
 * against the account as it is now, or a plan made from the sources; then the checks that refuse it.
 */

export type AdoptRef = ObjectRef | { kind: 'list'; name: string; id: string };

export interface ApplyInput {
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

/**
 * A saved plan (read from `path`) checked against the account it is applied to: the same account, nothing changed
 * since the plan was made (its fingerprint, the items of its lists, its zones by id), and, on the account as it is
 * now, the same ownership rules as a fresh plan. `reading` shows that the account is being read.
 */
export async function savedPlanInput(
  saved: SavedPlan,
  path: string,
  connection: Connection,
  statePath: string,
  reading: () => { stop(): void },
): Promise<{ value?: ApplyInput; diagnostics: Diagnostic[] }> {
  if (connection.accountId.toLowerCase() !== saved.accountId.toLowerCase())
    return {
      diagnostics: [
        diagnostic('ACL0859', planFileSpan(path), {
          planned: saved.accountId,
          account: connection.accountId,
        }),
      ],
    };
  let live: LiveState;
  const indicator = reading();
  try {
    live = await readLive(connection.client, saved.reads);
    // The items of the lists the plan read: a change to them since makes the fingerprint differ.
    await readItemsOf(connection.client.lists, live, saved.listItems ?? []);
    // The zones the plan was made with, by id (a zone name is not looked up again).
    if (Array.isArray(saved.zones)) live.zones = await readZones(connection.client, saved.zones);
  } catch (error) {
    return { diagnostics: [failureDiagnostic(error)] };
  } finally {
    indicator.stop();
  }
  if (fingerprintLive(live) !== saved.fingerprint)
    return { diagnostics: [diagnostic('ACL0853', planFileSpan(path), { path })] };
  const opened = await openLedger(statePath);
  if (hasErrors(opened.diagnostics)) return { diagnostics: opened.diagnostics };
  // The same ownership rules as a fresh plan, on the account as it is now: a hand-edited plan cannot delete or
  // rewrite an object aclc may not touch.
  const reconciled = opened.ledger ? reconcileLedger(opened.ledger, connection.accountId, live) : undefined;
  const ownership = ownershipOf(opened.ledger, connection.accountId, live);
  const refused = checkPlanOwnership(saved, live, ownership, path);
  if (refused.length > 0) return { diagnostics: refused };
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
      ledgerPath: statePath,
      files: [],
    },
    diagnostics: [],
  };
}

/** A plan just made from the sources (`planFromSources`), with its view and where the code declares each object. */
export function sourcesInput(
  compiled: CompiledSources,
  planned: PlanRun,
  statePath: string,
  sensitive: string[] | undefined,
): ApplyInput {
  attachView(planned, compiled.document);
  const decls = declarationSpans(compiled.project, compiled.document);
  return {
    spanOfApp: (name) => decls.get(`app:${name}`) ?? { file: '<plan>', start: 0, end: 0 },
    spanOf: (kind, name) => decls.get(`${kind}:${name}`) ?? { file: '<plan>', start: 0, end: 0 },
    adopt: [...(planned.plan.view?.adopt ?? []), ...listTakeOvers(planned.plan.lists)],
    semantics: policySemantics(compiled.project),
    ...(sensitive ? { sensitive } : {}),
    plan: planned.plan,
    live: planned.live,
    ledger: planned.ledger,
    ...(planned.reconciled?.changed ? { reconciled: true } : {}),
    ledgerPath: statePath,
    files: compiled.files,
  };
}

export interface RefusalOptions {
  allowNoPolicy?: boolean;
  allowDetachAll?: boolean;
  allowEveryone?: boolean;
  /** Take over declared objects made outside aclc (refused otherwise, ACL0832). */
  adopt?: boolean;
}

/**
 * What refuses the plan unless allowed: the guards (lock-outs, fail-open plans, policies open to everyone) and each
 * take-over not approved with `--adopt` (ACL0832, at its declaration, else at `planFile`).
 */
export function applyRefusals(input: ApplyInput, options: RefusalOptions, planFile: string): Diagnostic[] {
  const diagnostics = checkGuards(
    input.live,
    input.plan.changes,
    {
      allowNoPolicy: options.allowNoPolicy === true,
      allowDetachAll: options.allowDetachAll === true,
      allowEveryone: options.allowEveryone === true,
    },
    input.spanOfApp,
    input.semantics,
  );
  if (input.adopt.length > 0 && !options.adopt && !input.adoptApproved)
    diagnostics.push(
      ...input.adopt.map((a) =>
        diagnostic('ACL0832', input.spanOf?.(a.kind, a.name) ?? planFileSpan(planFile), {
          kind: a.kind,
          name: a.name,
          id: a.id,
        }),
      ),
    );
  return diagnostics;
}
