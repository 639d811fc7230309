import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { LiveState } from '../../deploy/live.js';
import { failureDiagnostic } from '../../deploy/workflow.js';
import { diagnostic } from '../../diagnostics/catalog.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import { writeAtomic } from '../../files/atomic-write.js';
import { accountFromExport } from '../../import/account.js';
import { type ImportedFile, importAccount } from '../../import/import.js';
import { describeIdentity, proofSummary, proveImport } from '../../import/proof.js';
import { readAccountAndZones } from '../../import/zones.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { writeFailure } from '../write.js';
import { compileSources, connectFor, type DeployOptions } from './plan.js';

export interface ImportOptions
  extends Pick<DeployOptions, 'apiBase' | 'accountId' | 'parallelism' | 'diagnostics'> {
  from?: string;
  /** `terraform show -json` output, a `.tf` file or a folder of them. */
  fromTerraform?: string;
  /** Write the Terraform hand-over here instead of printing it. */
  handover?: string;
  out: string;
  force?: boolean;
  /** `--zone`: zones (domains or ids) whose Access apps and groups are read too (from the API only). */
  zone?: string[];
}

/**
 * Write imported files into `options.out`, refusing to overwrite without `--force`. Reports (with `diagnostics`)
 * and returns undefined when nothing or not everything could be written.
 */
export async function writeImported(
  files: readonly ImportedFile[],
  options: Pick<ImportOptions, 'out' | 'force' | 'diagnostics'>,
  io: Io,
  diagnostics: Diagnostic[],
): Promise<string[] | undefined> {
  const dir = resolve(io.cwd, options.out);
  const targets = files.map((f) => join(dir, f.name));
  const existing = targets.filter((t) => existsSync(t));
  if (existing.length > 0 && !options.force) {
    const shown = existing.map((t) => relative(io.cwd, t) || t).join('`, `');
    const d = diagnostic(
      'ACL0702',
      { file: options.out, start: 0, end: 0 },
      { path: shown, reason: 'the file exists' },
    );
    d.help = 'import into an empty folder with `--out DIR`, or pass `--force` to overwrite';
    reportDiagnostics(io, [...diagnostics, d], [], options.diagnostics);
    return undefined;
  }
  for (const [i, f] of files.entries()) {
    const target = targets[i] as string;
    try {
      // Source files, not secrets: normal permissions (0644 under the usual umask).
      await mkdir(dirname(target), { recursive: true });
      await writeAtomic(target, f.text);
    } catch (e) {
      const shown = relative(io.cwd, target) || target;
      const d = diagnostic(
        'ACL0702',
        { file: shown, start: 0, end: 0 },
        { path: shown, reason: writeFailure(e) },
      );
      reportDiagnostics(io, [...diagnostics, d], [], options.diagnostics);
      return undefined;
    }
  }
  return targets;
}

async function fromExport(path: string, io: Io): Promise<LiveState | undefined> {
  const span = { file: path, start: 0, end: 0 };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(resolve(io.cwd, path), 'utf8'));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code ? code : 'not valid JSON';
    reportDiagnostics(io, [diagnostic('ACL0865', span, { path, reason })], []);
    return undefined;
  }
  const read = accountFromExport(json);
  if (!read.live) {
    reportDiagnostics(io, [diagnostic('ACL0865', span, { path, reason: read.error ?? 'unusable' })], []);
    return undefined;
  }
  return read.live;
}

/**
 * `aclc import`: read the account (or `--from export.json`) and write `.acl` files that compile back to an
 * equivalent configuration, then check that they do.
 */
export async function runImport(options: ImportOptions, io: Io): Promise<number> {
  const conflict =
    options.from !== undefined && options.fromTerraform !== undefined
      ? '`--from` reads an aclc export and `--from-terraform` a Terraform configuration; give one of them'
      : options.handover !== undefined && options.fromTerraform === undefined
        ? '`--handover` writes the Terraform hand-over, so it goes with `--from-terraform`'
        : undefined;
  if (conflict) {
    reportDiagnostics(
      io,
      [diagnostic('ACL0701', { file: '<command line>', start: 0, end: 0 }, { reason: conflict })],
      [],
    );
    return EXIT.usage;
  }
  if (options.zone !== undefined && (options.from !== undefined || options.fromTerraform !== undefined)) {
    const reason =
      '`--zone` reads zones from the API; an export carries its zones (`zones`), a Terraform configuration names them (`zone_id`)';
    reportDiagnostics(
      io,
      [diagnostic('ACL0701', { file: '<command line>', start: 0, end: 0 }, { reason })],
      [],
    );
    return EXIT.usage;
  }
  if (options.fromTerraform !== undefined) {
    const { runTerraformImport } = await import('./import-terraform.js');
    return runTerraformImport({ ...options, fromTerraform: options.fromTerraform }, io);
  }
  let live: LiveState | undefined;
  if (options.from !== undefined) live = await fromExport(options.from, io);
  else {
    const connection = connectFor(options, io, []);
    if (typeof connection === 'number') return connection;
    try {
      const read = await readAccountAndZones(connection.client, options.zone);
      if (!read.live) {
        reportDiagnostics(io, read.diagnostics, [], options.diagnostics);
        return EXIT.errors;
      }
      live = read.live;
    } catch (error) {
      reportDiagnostics(io, [failureDiagnostic(error)], [], options.diagnostics);
      return EXIT.errors;
    } finally {
      await connection.client.close();
    }
  }
  if (!live) return EXIT.errors;

  const imported = importAccount(live);
  const { files, summary } = imported.value;
  const targets = await writeImported(files, options, io, imported.diagnostics);
  if (!targets) return EXIT.errors;
  const dir = resolve(io.cwd, options.out);

  // The import must compile; say so if it does not (a value the account holds that the language rejects).
  const check = compileSources(
    targets.map((t) => relative(io.cwd, t)),
    io.cwd,
  );
  reportDiagnostics(io, [...imported.diagnostics, ...check.diagnostics], check.files, options.diagnostics);
  const where = relative(io.cwd, dir) || '.';
  io.out(
    `imported ${summary.idps} identity provider(s), ${summary.groups} group(s), ${summary.policies} reusable ` +
      `polic${summary.policies === 1 ? 'y' : 'ies'}, ${summary.legacy} legacy app polic${summary.legacy === 1 ? 'y' : 'ies'} ` +
      `and ${summary.apps} app(s) into ${where}/: ${files.map((f) => f.name).join(', ')}\n`,
  );
  if (hasErrors(check.diagnostics)) {
    io.err('the imported files do not compile as they are; fix the errors above\n');
    return EXIT.errors;
  }
  // The same proof as `--from-terraform`: every app written decides as the account does. A difference comes from
  // something the language cannot write (reported above), so it is a warning here: the files are still the start.
  const proof = proveImport(live, files);
  const span = { file: where, start: 0, end: 0 };
  const differences = proof.differences.map((d) =>
    diagnostic('ACL0745', span, {
      app: d.app,
      got: d.got,
      want: d.want,
      evaluator: d.evaluator,
      identity: describeIdentity(d.identity),
    }),
  );
  if (differences.length > 0) reportDiagnostics(io, differences, [], options.diagnostics);
  io.out(proofSummary(proof, 'the account'));
  io.out(
    'run `aclc plan` on them: it should report no changes (legacy policies are converted to reusable ones)\n',
  );
  return EXIT.ok;
}
