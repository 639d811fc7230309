import { renderAccessDiff } from '../../access-diff/render.js';
import type { Plan } from '../../deploy/plan.js';
import { readSavedPlan } from '../../deploy/saved-plan.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { type Style, styleFor } from '../render/human.js';
import { type ExtraSection, renderPlan } from '../render/plan.js';
import { planWidth } from './plan.js';

/** The access diff saved with the plan, rendered as `plan` rendered it (a saved diff it cannot read is said so). */
function accessSection(plan: Plan, style: Style, width: number): ExtraSection[] {
  const diff = plan.view?.access;
  if (diff === undefined) return [];
  try {
    return [{ text: renderAccessDiff(diff, { format: 'human', width, style }).replace(/\n+$/, '') }];
  } catch {
    return [{ title: 'Access changes', text: '  (the access diff saved with this plan cannot be read)' }];
  }
}

export interface ShowOptions {
  format?: 'human' | 'json';
  width?: string;
  diagnostics: 'human' | 'json';
}

/**
 * `aclc show plan.json`: print a saved plan as `plan` printed it (or as JSON), without credentials or the account.
 * The file is checked like `apply` checks it (format, digest: ACL0858, ACL0874), so what is shown is what would be
 * applied. Exit 0, or 1 when the file is not a usable plan.
 */
export async function runShow(path: string, options: ShowOptions, io: Io): Promise<number> {
  const width = planWidth(options.width, io);
  if (width.width === undefined) {
    reportDiagnostics(io, width.diagnostics, [], options.diagnostics);
    return EXIT.usage;
  }
  const read = await readSavedPlan(path, io.cwd);
  if (!read.plan) {
    reportDiagnostics(io, read.diagnostics, [], options.diagnostics);
    return exitFor(read.diagnostics) || EXIT.errors;
  }
  if (options.format === 'json') io.out(`${JSON.stringify(read.plan, null, 2)}\n`);
  else {
    io.out(
      `Saved plan ${path} for account ${read.plan.accountId}${read.plan.prune ? ' (with --prune)' : ''}\n\n`,
    );
    const style = styleFor({ isTTY: io.stdoutIsTTY }, io.env);
    io.out(
      renderPlan(read.plan, style, {
        width: width.width,
        sections: accessSection(read.plan, style, width.width),
      }),
    );
  }
  return EXIT.ok;
}
