import { resolve } from 'node:path';
import { accessChangesSection } from '../../access-diff/section.js';
import { compileProject } from '../../compiler/compile.js';
import { checkGuards, policySemantics } from '../../deploy/guards.js';
import { writeFileAtomically } from '../../deploy/ledger-store.js';
import { listTakeOvers } from '../../deploy/lists.js';
import type { Plan } from '../../deploy/plan.js';
import { planDigest, type SavedPlan } from '../../deploy/saved-plan.js';
import {
  type CompiledSources,
  type Connection,
  connect,
  declarationSpans,
  ledgerPath,
  planFromSources,
} from '../../deploy/workflow.js';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { analyzeSources } from '../../pipeline.js';
import { attachView, hasWork } from '../../plan-view/index.js';
import { widthFor } from '../../plan-view/wrap.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { readingIndicator } from '../progress.js';
import { loadProject } from '../projects.js';
import { styleFor } from '../render/human.js';
import { renderPlan } from '../render/plan.js';
import { writeFailure } from '../write.js';

/** Options shared by `plan` and `apply`. */
export interface DeployOptions {
  apiBase?: string;
  accountId?: string;
  state?: string;
  prune?: boolean;
  parallelism?: string;
  diagnostics: 'human' | 'json';
}

export interface PlanOptions extends DeployOptions {
  out?: string;
  detailedExitcode?: boolean;
  failOnWiden?: boolean;
  /** `human` (default) or `json`: the plan as `--out` saves it, on stdout. */
  format?: 'human' | 'json';
  /** Columns to wrap the plan to (default: the terminal's, else 80). */
  width?: string;
  /** With `--detailed-exitcode`, orphans that still decide access do not count as changes. */
  ignoreOrphans?: boolean;
  /** Record in the saved plan that its take-overs were approved (`apply plan.json` then needs no `--adopt`). */
  adopt?: boolean;
}

/**
 * Load, analyse and compile the one project `paths` form (ACL0703 when they span several); `value` is undefined
 * when there are errors. `root` is the project's folder, where its ledger lives unless `--state` says otherwise.
 */
export function compileSources(
  paths: string[],
  cwd: string,
  command: 'plan' | 'apply' = 'plan',
): {
  value?: CompiledSources;
  root?: string;
  /** `sensitiveApps` of the project's configuration (the widening gate). */
  sensitive?: string[];
  files: SourceFile[];
  diagnostics: Diagnostic[];
} {
  const loaded = loadProject(paths, cwd, command);
  const analyzed = analyzeSources(loaded.files);
  const diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
  if (hasErrors(diagnostics)) return { files: loaded.files, diagnostics };
  const compiled = compileProject(analyzed.project);
  diagnostics.push(...compiled.diagnostics);
  if (hasErrors(diagnostics)) return { files: loaded.files, diagnostics };
  return {
    value: { files: loaded.files, project: analyzed.project, document: compiled.value.document },
    ...(loaded.project ? { root: loaded.project.root } : {}),
    ...(loaded.project?.config?.sensitiveApps ? { sensitive: loaded.project.config.sensitiveApps } : {}),
    files: loaded.files,
    diagnostics,
  };
}

export function parallelismOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : undefined;
}

/**
 * Connect with the command's flags. When the environment is not usable (no or malformed credentials, a bad API
 * base or account id) it reports why and returns the exit code instead: 2, like every other bad setting (README).
 */
export function connectFor(
  options: DeployOptions,
  io: Io,
  files: readonly SourceFile[],
): Connection | number {
  const flags: Parameters<typeof connect>[1] = {};
  if (options.apiBase !== undefined) flags.apiBase = options.apiBase;
  if (options.accountId !== undefined) flags.accountId = options.accountId;
  const parallelism = parallelismOf(options.parallelism);
  if (parallelism !== undefined) flags.parallelism = parallelism;
  const connected = connect(io.env, flags);
  if (!connected.value) {
    reportDiagnostics(io, connected.diagnostics, files, options.diagnostics);
    return connected.diagnostics.length ? exitFor(connected.diagnostics) : EXIT.errors;
  }
  if (connected.diagnostics.length) reportDiagnostics(io, connected.diagnostics, files, options.diagnostics);
  return connected.value;
}

/** The width to wrap plans to: `--width N` (40 or more), else the terminal's, else 80; ACL0833 when invalid. */
export function planWidth(option: string | undefined, io: Io): { width?: number; diagnostics: Diagnostic[] } {
  if (option !== undefined && !(/^[0-9]+$/.test(option) && Number(option) >= 40))
    return {
      diagnostics: [
        diagnostic(
          'ACL0833',
          { file: '<command line>', start: 0, end: 0 },
          {
            option: '--width',
            reason: `\`${option}\` is not a number of columns`,
            usage: 'write a number of 40 or more, e.g. `--width 120`',
          },
        ),
      ],
    };
  return { width: widthFor(option, io.columns), diagnostics: [] };
}

/** The plan as `--out` saves it and `--format json` prints it: redacted, with its digest. */
export function savedPlanOf(
  plan: Plan,
  state: Connection,
  statePath: string,
  adopt: boolean,
  sensitive: readonly string[] = [],
): SavedPlan {
  // The digest covers the plan exactly as it reads back from the file (JSON drops what is undefined).
  const saved = JSON.parse(
    JSON.stringify(
      state.client.redactor.redactValue({
        ...plan,
        state: statePath,
        ...(adopt ? { adopt: true } : {}),
        ...(sensitive.length > 0 ? { sensitive } : {}),
      }),
    ),
  ) as SavedPlan;
  saved.digest = planDigest(saved);
  return saved;
}

/** Guard findings as warnings: `plan` shows what `apply` will refuse. */
export function asWarnings(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) => ({
    ...d,
    severity: 'warning' as const,
    help: `${d.help ?? ''}; \`aclc apply\` refuses this plan unless allowed`.replace(/^; /, ''),
  }));
}

/**
 * `aclc plan [paths…]`: compile, read the account, print what `apply` would change. Exit 0, or with
 * `--detailed-exitcode` 0 (no changes) / 2 (changes); 1 on errors.
 */
export async function runPlan(paths: string[], options: PlanOptions, io: Io): Promise<number> {
  const code = await planCommand(paths, options, io);
  // With --detailed-exitcode, 2 means "changes to apply": a usage error must not read as one.
  if (code === 'changes') return options.detailedExitcode ? 2 : EXIT.ok;
  return options.detailedExitcode && code === EXIT.usage ? EXIT.errors : code;
}

async function planCommand(paths: string[], options: PlanOptions, io: Io): Promise<number | 'changes'> {
  const width = planWidth(options.width, io);
  if (width.width === undefined) {
    reportDiagnostics(io, width.diagnostics, [], options.diagnostics);
    return EXIT.usage;
  }
  const compiled = compileSources(paths, io.cwd);
  if (!compiled.value) {
    reportDiagnostics(io, compiled.diagnostics, compiled.files, options.diagnostics);
    return exitFor(compiled.diagnostics);
  }
  const connection = connectFor(options, io, compiled.files);
  if (typeof connection === 'number') return connection;
  try {
    const state = ledgerPath(compiled.root ? [compiled.root] : paths, io.cwd, options.state);
    const reading = readingIndicator(io, options.diagnostics === 'json');
    let planned: Awaited<ReturnType<typeof planFromSources>>;
    try {
      planned = await planFromSources(compiled.value, connection, {
        prune: options.prune === true,
        ledgerPath: state,
        ...(options.adopt ? { adopt: true } : {}),
      });
    } finally {
      reading.stop();
    }
    const diagnostics = [...compiled.diagnostics, ...planned.diagnostics];
    if (!planned.value || hasErrors(diagnostics)) {
      reportDiagnostics(io, diagnostics, compiled.files, options.diagnostics);
      return EXIT.errors;
    }
    attachView(planned.value, compiled.value.document);
    const { plan, live } = planned.value;
    const decls = declarationSpans(compiled.value.project, compiled.value.document);
    const spanOf = (kind: string, name: string) =>
      decls.get(`${kind}:${name}`) ?? { file: '<plan>', start: 0, end: 0 };
    diagnostics.push(
      ...asWarnings(
        checkGuards(
          live,
          plan.changes,
          {},
          (name) => spanOf('app', name),
          policySemantics(compiled.value.project),
        ),
      ),
    );
    const style = styleFor({ isTTY: io.stdoutIsTTY }, io.env);
    const access = accessChangesSection(live, plan, {
      style,
      width: width.width,
      sensitive: compiled.sensitive ?? [],
      ...(options.failOnWiden ? { failOnWiden: true } : {}),
      spanOfApp: (name) => spanOf('app', name),
    });
    diagnostics.push(...access.diagnostics.filter((d) => d.severity !== 'error'));
    if (access.diff && plan.view) plan.view.access = access.diff;
    if (!options.adopt) diagnostics.push(...asWarnings(adoptFindings(plan, spanOf)));
    reportDiagnostics(io, diagnostics, compiled.files, options.diagnostics);
    const saved = savedPlanOf(plan, connection, state, options.adopt === true, compiled.sensitive);
    if (options.format === 'json') io.out(`${JSON.stringify(saved, null, 2)}\n`);
    else
      io.out(
        renderPlan(plan, style, {
          width: width.width,
          sections: access.text ? [{ text: access.text.replace(/\n+$/, '') }] : [],
        }),
      );
    if (options.out !== undefined) {
      const text = `${JSON.stringify(saved, null, 2)}\n`;
      try {
        await writeFileAtomically(resolve(io.cwd, options.out), text);
      } catch (e) {
        const reason = writeFailure(e);
        const failure = diagnostic(
          'ACL0702',
          { file: options.out, start: 0, end: 0 },
          { path: options.out, reason },
        );
        reportDiagnostics(io, [failure], compiled.files, options.diagnostics);
        return EXIT.errors;
      }
      io.err(`saved the plan to ${options.out}; apply it with \`aclc apply ${options.out}\`\n`);
    }
    // The widening gate is checked once the plan is shown (and saved): it fails the command, not the plan.
    const gate = access.diagnostics.filter((d) => d.severity === 'error');
    if (gate.length > 0) {
      reportDiagnostics(io, gate, compiled.files, options.diagnostics);
      return EXIT.errors;
    }
    return hasWork(plan, options.ignoreOrphans === true) ? 'changes' : EXIT.ok;
  } finally {
    await connection.client.close();
  }
}

/** ACL0832 for each object made outside aclc that the plan would take over (`apply` refuses them without `--adopt`). */
export function adoptFindings(plan: Plan, spanOf: (kind: string, name: string) => Span): Diagnostic[] {
  return [...(plan.view?.adopt ?? []), ...listTakeOvers(plan.lists)].map((a) =>
    diagnostic('ACL0832', spanOf(a.kind, a.name), { kind: a.kind, name: a.name, id: a.id }),
  );
}
