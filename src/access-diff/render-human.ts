import type { Style } from '../cli/render/human.js';
import { wrap } from '../plan-view/wrap.js';
import type { AccessDiff, RegionChange } from './types.js';
import { appLabel, changeTitle, summaryText, verdict } from './words.js';

const MARK = { gain: '+', loss: '-', move: '~' } as const;

function changeLines(c: RegionChange, style: Style, width: number): string[] {
  const color = c.kind === 'gain' ? style.error : c.kind === 'loss' ? style.warning : style.info;
  const out = [`    ${color(MARK[c.kind])} ${style.bold(`who would ${changeTitle(c)}:`)}`];
  for (const t of c.terms) {
    out.push(...wrap('        • ', t.text, width, 10));
    out.push(...wrap(`          ${style.dim('e.g.')} `, t.who, width, 14));
  }
  if (!c.complete) out.push(style.dim('        • and others the terms above do not describe'));
  return out;
}

/**
 * The access diff for people: per app, who gains, loses or changes access, each region as a few terms in words with
 * an example request; then one summary line. Values are never cut; lines wrap at `width`.
 */
export function renderAccessDiffHuman(diff: AccessDiff, style: Style, width = 100): string {
  const out: string[] = [style.bold(`Access changes (${diff.before} → ${diff.after}):`), ''];
  for (const app of diff.apps) {
    const note = verdict(app);
    out.push(`  app ${appLabel(app, (n) => `"${n}"`)}${note ? style.dim(` — ${note}`) : ''}`);
    for (const c of app.changes) out.push(...changeLines(c, style, width));
    out.push('');
  }
  if (diff.apps.length === 0) out.pop();
  if (diff.apps.length === 0) out.push('');
  out.push(style.bold(summaryText(diff)));
  return `${out.join('\n')}\n`;
}
