import type { LiveState } from '../../deploy/live.js';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic, Result } from '../../diagnostics/diagnostic.js';
import { accountFromExport } from '../account.js';
import { type ImportedFile, type ImportSummary, importAccount } from '../import.js';
import { describeIdentity, type Proof, proveImport } from '../proof.js';
import { RESOURCE_KINDS, terraformAccount } from './account.js';
import type { TfDocument, TfResource } from './show-json.js';

/** What importing a Terraform configuration gives. */
export interface TerraformImport {
  files: ImportedFile[];
  summary: ImportSummary;
  /** The account Terraform's objects make up (an export: the emulator can be seeded with it). */
  account: Record<string, unknown>;
  live?: LiveState;
  /** The managed resources taken over, for the hand-over. */
  adopted: TfResource[];
  proof?: Proof;
}

const HEADER = (path: string) =>
  `# Imported from the Terraform configuration \`${path}\` by \`aclc import --from-terraform\`.\n`;

const CODES = { unknown: 'ACL0742', unreadable: 'ACL0746', left: 'ACL0741' } as const;

/**
 * Terraform resources → `.acl` files, written by the account importer, then proved: the files compile and every app
 * decides as the configuration does. Errors (values unknown before apply, rules that cannot be read, a difference
 * in decisions) mean the files must not be written. Pure.
 */
export function importTerraform(doc: TfDocument, path: string): Result<TerraformImport> {
  const span = { file: path, start: 0, end: 0 };
  const diagnostics: Diagnostic[] = [];
  const tf = terraformAccount(doc);
  for (const f of tf.findings)
    diagnostics.push(diagnostic(CODES[f.kind], span, { address: f.address, reason: f.reason }));
  const empty: TerraformImport = {
    files: [],
    summary: { idps: 0, groups: 0, policies: 0, apps: 0, legacy: 0 },
    account: tf.account,
    adopted: tf.adopted,
  };
  const managed = doc.resources.filter((r) => r.mode === 'managed' && RESOURCE_KINDS[r.type] !== undefined);
  if (!managed.some((r) => ['group', 'policy', 'app'].includes(RESOURCE_KINDS[r.type] as string))) {
    const reason = `it has no Access groups, policies or applications (${doc.resources.length} resource(s) read; types read: \`cloudflare_access_*\`, \`cloudflare_zero_trust_access_*\`)`;
    diagnostics.push(diagnostic('ACL0740', span, { path, reason }));
    return { value: empty, diagnostics };
  }
  const read = accountFromExport(tf.account);
  if (!read.live) {
    diagnostics.push(diagnostic('ACL0740', span, { path, reason: read.error ?? 'unusable' }));
    return { value: empty, diagnostics };
  }
  const live = read.live;
  // The configuration's managed IP and email lists are declared even when no Access rule names them: the
  // hand-over gives them to aclc.
  const declareLists = new Set(
    (tf.account.lists as Record<string, unknown>[])
      .filter((l) => Array.isArray(l.items))
      .map((l) => String(l.id)),
  );
  const imported = importAccount(live, {
    header: HEADER(path),
    externPolicies: tf.externPolicies,
    declareLists,
  });
  diagnostics.push(...imported.diagnostics);
  const proof = proveImport(live, imported.value.files);
  diagnostics.push(...proof.diagnostics);
  for (const d of proof.differences)
    diagnostics.push(
      diagnostic('ACL0743', span, {
        app: d.app,
        got: d.got,
        want: d.want,
        evaluator: d.evaluator,
        identity: describeIdentity(d.identity),
      }),
    );
  return { value: { ...imported.value, account: tf.account, live, adopted: tf.adopted, proof }, diagnostics };
}
