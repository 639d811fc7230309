import type { FieldChange } from '../../deploy/diff.js';
import type { Change, Plan } from '../../deploy/plan.js';
import type { Style } from './human.js';

const VERB = { create: 'created', update: 'updated in place', delete: 'deleted' } as const;

/** A JSON value on one line, shortened past `max` characters. */
export function inline(value: unknown, max = 160): string {
  const text = value === undefined ? '(default)' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function title(change: Change): string {
  const synth = change.synthesized ? ' (synthesized)' : '';
  return `${change.kind} "${change.name}"${synth}`;
}

function fieldLines(diff: readonly FieldChange[], style: Style): string[] {
  const lines: string[] = [];
  for (const f of diff) {
    if (f.added !== undefined || f.removed !== undefined) {
      lines.push(`      ${style.warning('~')} ${f.field}:`);
      for (const r of f.removed ?? []) lines.push(`          ${style.error('-')} ${inline(r)}`);
      for (const a of f.added ?? []) lines.push(`          ${style.info('+')} ${inline(a)}`);
    } else if (f.before === undefined) {
      lines.push(`      ${style.info('+')} ${f.field}: ${inline(f.after)}`);
    } else if (f.after === undefined) {
      lines.push(`      ${style.error('-')} ${f.field}: ${inline(f.before)} → (default)`);
    } else {
      lines.push(`      ${style.warning('~')} ${f.field}: ${inline(f.before)} → ${inline(f.after)}`);
    }
  }
  return lines;
}

function bodyLines(body: Record<string, unknown>, style: Style): string[] {
  return Object.entries(body)
    .filter(([k]) => k !== 'name')
    .map(([k, v]) => `      ${style.info('+')} ${k}: ${inline(v)}`);
}

/** One change, terraform style. */
export function renderChange(change: Change, style: Style): string {
  const lines = [`  ${style.dim(`# ${title(change)} will be ${VERB[change.action]}`)}`];
  if (change.action === 'create') {
    lines.push(`  ${style.info('+')} ${style.bold(title(change))} {`);
    lines.push(...bodyLines(change.body as unknown as Record<string, unknown>, style));
    lines.push('    }');
  } else if (change.action === 'update') {
    lines.push(`  ${style.warning('~')} ${style.bold(title(change))} ${style.dim(`(id ${change.id})`)} {`);
    if (change.convertFromApp !== undefined) {
      lines.push(
        `      ${style.warning('~')} converted from a legacy policy of app ${change.convertFromApp} to a reusable one`,
      );
    }
    lines.push(...fieldLines(change.diff, style));
    if (change.kept !== undefined && change.kept.length > 0)
      lines.push(
        `      ${style.dim(`# kept as the account has them (not managed by aclc): ${change.kept.join(', ')}`)}`,
      );
    lines.push('    }');
  } else {
    lines.push(`  ${style.error('-')} ${style.bold(title(change))} ${style.dim(`(id ${change.id})`)}`);
  }
  return lines.join('\n');
}

/** The summary line: `Plan: N to create, M to update, K to delete.` or `No changes.` */
export function summaryLine(plan: Plan): string {
  const { create, update, delete: del } = plan.summary;
  if (create + update + del === 0) return 'No changes. The account matches the code.';
  return `Plan: ${create} to create, ${update} to update, ${del} to delete.`;
}

/** The whole plan for people: each change, then what is kept, then the summary line. */
export function renderPlan(plan: Plan, style: Style): string {
  const out: string[] = [];
  if (plan.changes.length > 0) {
    out.push('aclc will perform the following actions:', '');
    for (const c of plan.changes) out.push(renderChange(c, style), '');
  }
  const notPruned = plan.kept.filter((k) => k.reason === 'not-pruned');
  if (notPruned.length > 0) {
    out.push(
      style.dim(
        `${notPruned.length} object(s) aclc created are no longer in the code and are kept (run with --prune to delete them):`,
      ),
    );
    for (const k of notPruned.slice(0, 10)) out.push(style.dim(`  ${k.kind} "${k.name}" (id ${k.id})`));
    if (notPruned.length > 10) out.push(style.dim(`  … and ${notPruned.length - 10} more`));
    out.push('');
  }
  for (const k of plan.kept.filter((x) => x.reason === 'in-use')) {
    out.push(
      style.dim(
        `${k.kind} "${k.name}" is no longer in the code but is kept: ${k.usedBy ?? 'something'} still uses it`,
      ),
    );
  }
  out.push(style.bold(summaryLine(plan)));
  return `${out.join('\n')}\n`;
}
