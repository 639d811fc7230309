import { describeWho } from '../lint/phrase.js';
import type { AccessDiff } from './types.js';
import { changeTitle, summaryText, verdict } from './words.js';

/** A workflow-command value: `%`, CR and LF escaped as GitHub documents. */
const escape = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escape(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub Actions workflow commands: a `warning` per widening (gain, removed app, undecided app), a `notice` per other
 * change, one `notice` with the summary. Each message holds the region's terms and an example request.
 */
export function renderAccessDiffGithub(diff: AccessDiff): string {
  const out: string[] = [];
  for (const app of diff.apps) {
    const note = verdict(app);
    if (app.status === 'removed' || app.status === 'undecided') {
      out.push(`::warning title=${escapeProperty(`Access: ${app.app}`)}::${escape(note ?? '')}`);
      continue;
    }
    for (const c of app.changes) {
      const level = c.kind === 'gain' && app.status === 'changed' ? 'warning' : 'notice';
      const lines = [
        `Who would ${changeTitle(c)}${app.status === 'added' ? ' (new app)' : ''}:`,
        ...c.terms.map((t) => `- ${t.text} (e.g. ${describeWho(t.witness)})`),
        ...(c.complete ? [] : ['- and others the lines above do not describe']),
      ];
      out.push(`::${level} title=${escapeProperty(`Access: ${app.app}`)}::${escape(lines.join('\n'))}`);
    }
    if (app.status === 'same') out.push(`::notice title=${escapeProperty(`Access: ${app.app}`)}::${escape(note ?? '')}`);
  }
  out.push(`::notice title=Access diff::${escape(summaryText(diff))}`);
  return `${out.join('\n')}\n`;
}
