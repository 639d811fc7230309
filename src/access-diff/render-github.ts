import { escapeData, escapeProperty } from '../cli/render/github.js';
import type { AccessDiff } from './types.js';
import { appLabel, changeTitle, summaryText, verdict } from './words.js';

/**
 * GitHub Actions workflow commands: a `warning` per widening (gain, removed app, undecided app), a `notice` per other
 * change, one `notice` with the summary. Each message holds the region's terms and an example request.
 */
export function renderAccessDiffGithub(diff: AccessDiff): string {
  const out: string[] = [];
  for (const app of diff.apps) {
    const note = verdict(app);
    if (app.status === 'removed' || app.status === 'undecided') {
      out.push(
        `::warning title=${escapeProperty(`Access: ${appLabel(app, (n) => n)}`)}::${escapeData(note ?? '')}`,
      );
      continue;
    }
    for (const c of app.changes) {
      const level = c.kind === 'gain' && app.status === 'changed' ? 'warning' : 'notice';
      const lines = [
        `Who would ${changeTitle(c)}${app.status === 'added' ? ' (new app)' : ''}:`,
        ...c.terms.map((t) => `- ${t.text} (e.g. ${t.who})`),
        ...(c.complete ? [] : ['- and others the lines above do not describe']),
      ];
      out.push(
        `::${level} title=${escapeProperty(`Access: ${appLabel(app, (n) => n)}`)}::${escapeData(lines.join('\n'))}`,
      );
    }
    if (app.status === 'same')
      out.push(
        `::notice title=${escapeProperty(`Access: ${appLabel(app, (n) => n)}`)}::${escapeData(note ?? '')}`,
      );
  }
  out.push(`::notice title=Access diff::${escapeData(summaryText(diff))}`);
  return `${out.join('\n')}\n`;
}
