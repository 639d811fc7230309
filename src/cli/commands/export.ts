import { resolve } from 'node:path';
import { failureDiagnostic } from '../../deploy/workflow.js';
import { exportAccount } from '../../export/export.js';
import { readAccountAndZones } from '../../import/zones.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { writeAtomically } from '../write.js';
import { connectFor, type DeployOptions } from './plan.js';

export interface ExportOptions
  extends Pick<DeployOptions, 'apiBase' | 'accountId' | 'parallelism' | 'diagnostics'> {
  out?: string;
  /** `--zone`: zones (domains or ids) whose Access groups and apps are exported too. */
  zone?: string[];
}

/**
 * `aclc export`: read the whole account and write its export (docs/export.md, schemas/export.schema.json) to
 * stdout or `--out FILE` (atomically). No secrets: credentials found in objects are left out.
 */
export async function runExport(options: ExportOptions, io: Io): Promise<number> {
  const connection = connectFor(options, io, []);
  if (typeof connection === 'number') return connection;
  let text: string;
  try {
    const read = await readAccountAndZones(connection.client, options.zone);
    if (!read.live) {
      reportDiagnostics(io, read.diagnostics, [], options.diagnostics);
      return EXIT.errors;
    }
    const live = read.live;
    text = `${JSON.stringify(exportAccount(live, connection.accountId), null, 2)}\n`;
  } catch (error) {
    reportDiagnostics(io, [failureDiagnostic(error)], [], options.diagnostics);
    return EXIT.errors;
  } finally {
    await connection.client.close();
  }
  if (options.out === undefined || options.out === '-') {
    io.out(text);
    return EXIT.ok;
  }
  const failed = await writeAtomically(resolve(io.cwd, options.out), text);
  if (failed) {
    reportDiagnostics(io, [failed], [], options.diagnostics);
    return EXIT.errors;
  }
  io.err(`exported the account to ${options.out}; \`aclc import --from ${options.out}\` reads it\n`);
  return EXIT.ok;
}
