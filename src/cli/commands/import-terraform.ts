import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { diagnostic } from '../../diagnostics/catalog.js';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { writeAtomic } from '../../files/atomic-write.js';
import { proofSummary } from '../../import/proof.js';
import { handoverText } from '../../import/terraform/handover.js';
import { importTerraform } from '../../import/terraform/import-terraform.js';
import { readShowJson, type TfDocument } from '../../import/terraform/show-json.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { writeFailure } from '../write.js';
import { type ImportOptions, writeImported } from './import.js';

/** The resources of `terraform show -json` output, or of `.tf` files (a file or a folder), or diagnostics. */
async function readTerraform(
  path: string,
  io: Io,
): Promise<{ doc?: TfDocument; diagnostics: Diagnostic[]; files?: SourceFile[] }> {
  const span = { file: path, start: 0, end: 0 };
  const fail = (reason: string) => ({ diagnostics: [diagnostic('ACL0740', span, { path, reason })] });
  const full = resolve(io.cwd, path);
  let isDir = false;
  try {
    isDir = (await stat(full)).isDirectory();
  } catch (e) {
    const code = (e as { code?: string }).code;
    return fail(code === 'ENOENT' ? 'no such file or folder' : (code ?? 'unreadable'));
  }
  if (isDir || path.endsWith('.tf')) {
    const { readTfFiles } = await import('../../import/terraform/hcl.js');
    return readTfFiles(full, path, isDir);
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(full, 'utf8'));
  } catch (e) {
    const code = (e as { code?: string }).code;
    return fail(code ?? 'not valid JSON');
  }
  const read = readShowJson(json);
  return read.value ? { doc: read.value, diagnostics: [] } : fail(read.error ?? 'unusable');
}

/**
 * `aclc import --from-terraform PATH`: read a Terraform configuration, write `.acl` files that decide as it does
 * (checked before anything is written), and print or write the hand-over that makes Terraform let go.
 */
export async function runTerraformImport(
  options: ImportOptions & { fromTerraform: string },
  io: Io,
): Promise<number> {
  const path = options.fromTerraform;
  const read = await readTerraform(path, io);
  const sources = read.files ?? [];
  if (!read.doc) {
    reportDiagnostics(io, read.diagnostics, sources, options.diagnostics);
    return EXIT.errors;
  }
  const result = importTerraform(read.doc, path);
  const diagnostics = [...read.diagnostics, ...result.diagnostics];
  const { files, summary, proof, adopted } = result.value;
  if (hasErrors(diagnostics)) {
    reportDiagnostics(io, diagnostics, sources, options.diagnostics);
    io.err(
      diagnostics.some((d) => d.code === 'ACL0743')
        ? 'nothing was written: the import would not decide as the Terraform configuration does\n'
        : 'nothing was written\n',
    );
    return EXIT.errors;
  }
  // The hand-over is refused before anything is written, like the .acl files, when it would overwrite a file.
  if (options.handover !== undefined && !options.force && existsSync(resolve(io.cwd, options.handover))) {
    const d = diagnostic(
      'ACL0702',
      { file: options.handover, start: 0, end: 0 },
      { path: options.handover, reason: 'the file exists' },
      { help: 'write the hand-over to a new file, or pass `--force` to overwrite' },
    );
    reportDiagnostics(io, [...diagnostics, d], sources, options.diagnostics);
    return EXIT.errors;
  }
  const targets = await writeImported(files, options, io, diagnostics);
  if (!targets) return EXIT.errors;
  reportDiagnostics(io, diagnostics, sources, options.diagnostics);
  const where = relative(io.cwd, resolve(io.cwd, options.out)) || '.';
  io.out(
    `imported ${summary.idps} identity provider(s), ${summary.groups} group(s), ${summary.policies} reusable ` +
      `polic${summary.policies === 1 ? 'y' : 'ies'}, ${summary.legacy} app-scoped polic${summary.legacy === 1 ? 'y' : 'ies'} ` +
      `and ${summary.apps} app(s) from Terraform into ${where}/: ${files.map((f) => f.name).join(', ')}\n`,
  );
  if (proof) io.out(proofSummary(proof, 'the Terraform configuration'));
  const text = handoverText(adopted, where);
  if (options.handover === undefined) {
    io.out(`\n${text}`);
    return EXIT.ok;
  }
  try {
    await writeAtomic(resolve(io.cwd, options.handover), text);
  } catch (e) {
    const d = diagnostic(
      'ACL0702',
      { file: options.handover, start: 0, end: 0 },
      { path: options.handover, reason: writeFailure(e) },
    );
    reportDiagnostics(io, [d], [], options.diagnostics);
    return EXIT.errors;
  }
  io.out(`wrote the hand-over (removed blocks, state rm commands) to ${options.handover}\n`);
  return EXIT.ok;
}
