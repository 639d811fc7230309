import type { AccessDiff, RegionChange } from './types.js';
import { widenings } from './types.js';
import { appLabel, changeTitle, summaryText, verdict } from './words.js';

/** Text safe inside a Markdown table cell. */
const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');

const ICON = { gain: '🔓', loss: '🔒', move: '🔀' } as const;

function rows(c: RegionChange): string[] {
  const out = c.terms.map(
    (t) => `| ${ICON[c.kind]} ${cell(changeTitle(c))} | ${cell(t.text)} | ${cell(t.who)} |`,
  );
  if (!c.complete)
    out.push(`| ${ICON[c.kind]} ${cell(changeTitle(c))} | and others the rows above do not describe | |`);
  return out;
}

/**
 * The access diff as a pull-request comment: a headline that says whether the change widens access, then per app a
 * table of who gains, loses or changes access, with an example request for each row. Values are never cut.
 */
export function renderAccessDiffMarkdown(diff: AccessDiff): string {
  const out = [`### Access changes: \`${diff.before}\` → \`${diff.after}\``, ''];
  const wider = widenings(diff);
  if (wider.length > 0)
    out.push(`> [!WARNING]`, `> Widens access: ${wider.map((a) => `\`${cell(a.app)}\``).join(', ')}`, '');
  for (const app of diff.apps) {
    const note = verdict(app);
    out.push(`#### ${appLabel(app, (n) => `\`${cell(n)}\``)}${note ? ` — ${note}` : ''}`, '');
    if (app.changes.length > 0) {
      out.push('| change | who | for example |', '|---|---|---|');
      for (const c of app.changes) out.push(...rows(c));
      out.push('');
    }
  }
  out.push(summaryText(diff), '');
  return out.join('\n');
}
