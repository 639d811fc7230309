import type { Style } from '../cli/render/human.js';
import type { FieldChange } from '../deploy/diff.js';
import { listSections } from '../deploy/lists-text.js';
import type { Change, Plan } from '../deploy/plan.js';
import type { ChangeView, PlanView } from './types.js';
import { wrap } from './wrap.js';

const VERB = { create: 'created', update: 'updated in place', delete: 'deleted' } as const;
const MARK = { create: '+', update: '~', delete: '-' } as const;
const CONDITION_LISTS = new Set(['include', 'exclude', 'require']);

/** A section another part of aclc adds to the plan (the access diff, `src/access-diff`), already rendered. */
export interface ExtraSection {
  /** A heading printed in bold, when the text does not carry its own. */
  title?: string;
  /** The section's text, lines without a trailing newline; indented by the renderer's caller as it wishes. */
  text: string;
}

export interface PlanRenderOptions {
  /** Columns to wrap to (the terminal's, or `--width`; 80 when not a terminal). */
  width?: number;
  /**
   * Sections printed after the changes and before the summary, in order. This is the hook through which `plan`
   * adds the access diff ("Access changes": who gains and who loses access), computed outside the renderer.
   */
  sections?: readonly ExtraSection[];
}

/** A JSON value on one line, never shortened (`undefined` is the API default). */
export function inline(value: unknown): string {
  return value === undefined ? '(default)' : JSON.stringify(value);
}

/** ` (zone example.com)` for a zone-level object. */
const inZone = (o: { zone?: string | { name: string } }): string =>
  o.zone === undefined ? '' : ` (zone ${typeof o.zone === 'string' ? o.zone : o.zone.name})`;

function title(change: Change): string {
  const synth = change.synthesized ? ' (synthesized)' : '';
  return `${change.kind} "${change.name}"${synth}${inZone(change)}`;
}

/** Writes lines wrapped to the width: each line is a prefix (indent and marker) and a value. */
class Out {
  readonly lines: string[] = [];
  constructor(
    readonly width: number,
    private readonly style: Style,
  ) {}

  /** `indent` spaces, an optional coloured marker, then `text` wrapped with continuation lines under the text. */
  line(indent: number, text: string, marker?: { text: string; color: (s: string) => string }): void {
    const pad = ' '.repeat(indent);
    const lead = marker ? `${pad}${marker.text} ` : pad;
    const wrapped = wrap(lead, text, this.width, lead.length + 2);
    const first = wrapped[0] as string;
    this.lines.push(
      marker ? `${pad}${marker.color(marker.text)}${first.slice(pad.length + marker.text.length)}` : first,
    );
    this.lines.push(...wrapped.slice(1));
  }

  blank(): void {
    this.lines.push('');
  }

  dim(indent: number, text: string): void {
    this.styled(indent, text, this.style.dim);
  }

  /** `text` at `indent`, wrapped, each line in `color` (the indent left plain). */
  styled(indent: number, text: string, color: (s: string) => string): void {
    for (const l of wrap(' '.repeat(indent), text, this.width, indent + 2))
      this.lines.push(`${l.slice(0, indent)}${color(l.slice(indent))}`);
  }
}

function markers(style: Style) {
  return {
    add: { text: '+', color: style.info },
    remove: { text: '-', color: style.error },
    change: { text: '~', color: style.warning },
  };
}

function fieldLines(
  out: Out,
  diff: readonly FieldChange[],
  view: ChangeView | undefined,
  style: Style,
): void {
  const m = markers(style);
  for (const f of diff) {
    if (view?.condition && CONDITION_LISTS.has(f.field)) continue;
    if (f.field === 'policies' && view?.inline && view.links) {
      // A zone-level app's own policies: the ones that go and the ones that come, with their conditions.
      const before = view.links.before ?? [];
      const after = view.links.after ?? [];
      out.line(6, 'policies (app-scoped, by precedence):', m.change);
      for (const p of before) if (!after.includes(p)) out.line(10, p, m.remove);
      for (const p of after) if (!before.includes(p)) out.line(10, p, m.add);
    } else if (f.field === 'policies' && Array.isArray(f.before) && Array.isArray(f.after)) {
      out.line(6, 'policies (precedence: policy):', m.change);
      out.line(10, `before: ${(f.before as string[]).join(', ') || '(none)'}`);
      out.line(10, `after:  ${(f.after as string[]).join(', ') || '(none)'}`);
    } else if (f.added !== undefined || f.removed !== undefined) {
      out.line(6, `${f.field}:`, m.change);
      for (const r of f.removed ?? []) out.line(10, inline(r), m.remove);
      for (const a of f.added ?? []) out.line(10, inline(a), m.add);
    } else if (f.before === undefined) {
      out.line(6, `${f.field}: ${inline(f.after)}`, m.add);
    } else if (f.after === undefined) {
      out.line(6, `${f.field}: ${inline(f.before)} → (default)`, m.remove);
    } else {
      out.line(6, `${f.field}: ${inline(f.before)} → ${inline(f.after)}`, m.change);
    }
  }
}

function conditionLines(out: Out, change: Change, view: ChangeView, style: Style): void {
  const m = markers(style);
  const cond = view.condition;
  if (!cond) return;
  const decision =
    view.decision !== undefined ? `${view.decision} if ` : change.kind === 'group' ? '' : 'if ';
  if (change.action === 'update') {
    if (cond.before === cond.after && !view.rules) return;
    for (const r of view.rules ?? []) {
      if (r.added.length + r.removed.length === 0) continue;
      out.line(6, `${r.list}:`, m.change);
      for (const x of r.removed) out.line(10, x, m.remove);
      for (const x of r.added) out.line(10, x, m.add);
    }
    out.line(6, 'condition:', m.change);
    out.line(10, `before: ${decision}${cond.before ?? '(none)'}`);
    out.line(10, `after:  ${decision}${cond.after ?? '(none)'}`);
  } else if (change.action === 'create' && cond.after !== undefined) {
    out.line(6, `${decision}${cond.after}`, m.add);
  } else if (change.action === 'delete' && cond.before !== undefined) {
    out.line(6, `${decision}${cond.before}`, m.remove);
  }
}

/** One change: a comment saying what happens, then the object with its fields (conditions in the language). */
function changeLines(
  out: Out,
  change: Change,
  view: ChangeView | undefined,
  style: Style,
  drifted = false,
): void {
  const m = markers(style);
  const mark = change.action === 'create' ? m.add : change.action === 'update' ? m.change : m.remove;
  out.dim(2, `# ${title(change)} will be ${VERB[change.action]}`);
  if (drifted)
    out.styled(
      2,
      `# changed outside aclc since aclc last applied it; this ${change.action} overrides that`,
      style.warning,
    );
  const id = change.action === 'create' ? '' : ` ${style.dim(`(id ${change.id})`)}`;
  const open = change.action === 'delete' ? '' : ' {';
  const plainTitle = `${title(change)}${change.action === 'create' ? '' : ` (id ${change.id})`}${open}`;
  if (4 + plainTitle.length <= out.width)
    out.lines.push(`  ${mark.color(MARK[change.action])} ${style.bold(title(change))}${id}${open}`);
  else out.line(2, plainTitle, { text: MARK[change.action], color: mark.color });
  if (change.action === 'create') {
    if (view) conditionLines(out, change, view, style);
    for (const [k, v] of Object.entries(change.body as unknown as Record<string, unknown>)) {
      if (k === 'name' || (view?.condition && (CONDITION_LISTS.has(k) || k === 'decision'))) continue;
      if (k === 'policies' && view?.links?.after) {
        out.line(6, `policies: ${view.links.after.join(', ') || '(none)'}`, m.add);
        continue;
      }
      out.line(6, `${k}: ${inline(v)}`, m.add);
    }
    out.lines.push('    }');
  } else if (change.action === 'update') {
    if (change.convertFromApp !== undefined)
      out.line(
        6,
        `converted from a legacy policy of app ${change.convertFromApp} to a reusable one`,
        m.change,
      );
    if (view) conditionLines(out, change, view, style);
    fieldLines(out, change.diff, view, style);
    if (change.kept !== undefined && change.kept.length > 0)
      out.dim(6, `# kept as the account has them (not managed by aclc): ${change.kept.join(', ')}`);
    out.lines.push('    }');
  } else if (view) {
    conditionLines(out, change, view, style);
  }
}

/** One change, terraform style, at `width` columns (conditions in the language when the plan has a view). */
export function renderChange(change: Change, style: Style, view?: ChangeView, width = 80): string {
  const out = new Out(width, style);
  changeLines(out, change, view, style);
  return out.lines.join('\n');
}

/** The summary line: `Plan: N to create, M to update, K to delete.` or `No changes.` */
export function summaryLine(plan: Plan): string {
  const { create, update, delete: del } = plan.summary;
  const orphans = plan.view?.orphans.length ?? 0;
  const tail = orphans > 0 ? ` ${orphans} orphaned object(s) still decide access (see above).` : '';
  if (create + update + del === 0) {
    return orphans > 0 ? `No changes to apply.${tail}` : 'No changes. The account matches the code.';
  }
  return `Plan: ${create} to create, ${update} to update, ${del} to delete.${tail}`;
}

function changesByApp(out: Out, plan: Plan, view: PlanView, style: Style): void {
  const byKey = new Map(plan.changes.map((c) => [c.key, c]));
  const drifted = new Set(view.drift.map((d) => d.id));
  const print = (key: string) => {
    const c = byKey.get(key);
    if (!c) return;
    changeLines(out, c, view.changes[key], style, c.action !== 'create' && drifted.has(c.id));
    out.blank();
  };
  for (const app of view.apps) {
    out.styled(0, `app "${app.name}"`, style.bold);
    for (const k of app.keys) print(k);
    if (app.shared.length > 0) {
      const names = app.shared.map((k) => byKey.get(k)).filter((c): c is Change => c !== undefined);
      out.dim(2, `# also changed through what it shares with other apps: ${names.map(title).join(', ')}`);
      out.blank();
    }
  }
  if (view.shared.length > 0) {
    out.lines.push(style.bold('shared by several apps'));
    for (const s of view.shared) {
      out.dim(2, `# used by ${s.apps.map((a) => `app "${a}"`).join(', ')}`);
      print(s.key);
    }
  }
  if (view.unused.length > 0) {
    out.lines.push(style.bold('used by no app'));
    for (const k of view.unused) print(k);
  }
}

function sectionLines(out: Out, view: PlanView | undefined, style: Style): void {
  if (!view) return;
  if (view.drift.length > 0) {
    out.styled(0, 'Changed outside aclc since aclc last applied them:', style.warning);
    for (const d of view.drift) out.line(2, `${d.kind} "${d.name}" (id ${d.id})`, markers(style).change);
    out.blank();
  }
  if (view.adopt.length > 0) {
    out.styled(
      0,
      'Made outside aclc with a name the code declares (taken over only with --adopt):',
      style.warning,
    );
    for (const a of view.adopt) out.line(2, `${a.kind} "${a.name}" (id ${a.id})`, markers(style).change);
    out.blank();
  }
  if (view.orphans.length > 0) {
    out.styled(0, 'No longer in the code, but still deciding access (orphans):', style.warning);
    for (const o of view.orphans) {
      const fix =
        o.usedBy !== undefined
          ? `--prune keeps it while ${o.usedBy} uses it`
          : o.owned
            ? 'delete it with --prune'
            : 'not created by aclc: delete it in the dashboard';
      out.line(2, `${o.kind} "${o.name}"${inZone(o)} (id ${o.id}): ${o.why}; ${fix}`, markers(style).remove);
    }
    out.blank();
  }
}

/**
 * The whole plan for people, wrapped to `width` columns and never cut: the changes grouped by app (conditions in
 * the `.acl` language, names instead of ids), then the sections (Zero Trust list changes and extra ones such as the
 * access diff first; then changes made outside aclc, take-overs, orphans), what is kept, and the summary line.
 */
export function renderPlan(plan: Plan, style: Style, options: PlanRenderOptions = {}): string {
  const out = new Out(options.width ?? 80, style);
  const view = plan.view;
  if (plan.changes.length > 0) {
    out.lines.push('aclc will perform the following actions:', '');
    if (view) changesByApp(out, plan, view, style);
    else
      for (const c of plan.changes) {
        changeLines(out, c, undefined, style);
        out.blank();
      }
  }
  const sections: ExtraSection[] = [...listSections(plan), ...(options.sections ?? [])];
  for (const s of sections) {
    if (s.title !== undefined) out.lines.push(style.bold(s.title));
    out.lines.push(...s.text.split('\n'));
    out.blank();
  }
  sectionLines(out, view, style);
  const orphanIds = new Set(view?.orphans.map((o) => o.id) ?? []);
  const notPruned = plan.kept.filter((k) => k.reason === 'not-pruned' && !orphanIds.has(k.id));
  if (notPruned.length > 0) {
    out.dim(
      0,
      `${notPruned.length} object(s) aclc created are no longer in the code; kept (--prune deletes them):`,
    );
    for (const k of notPruned) out.dim(2, `${k.kind} "${k.name}"${inZone(k)} (id ${k.id})`);
    out.blank();
  }
  for (const k of plan.kept.filter((x) => x.reason === 'in-use' && !orphanIds.has(x.id))) {
    out.dim(
      0,
      `${k.kind} "${k.name}"${inZone(k)} is no longer in the code but is kept: ${k.usedBy ?? 'something'} still uses it`,
    );
  }
  out.styled(0, summaryLine(plan), style.bold);
  return `${out.lines.join('\n')}\n`;
}
