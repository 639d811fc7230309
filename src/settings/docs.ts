import { APP_SETTINGS } from './app-settings.js';
import { POLICY_SETTINGS } from './policy-settings.js';
import { describeType, type SettingsTable } from './schema.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function tableMarkdown(table: SettingsTable, heading: string, level: number, out: string[]): void {
  out.push(`${'#'.repeat(level)} ${heading}`, '');
  out.push('| setting | value | API field | description | example |', '|---|---|---|---|---|');
  const nested: { table: SettingsTable; key: string }[] = [];
  for (const e of table.entries) {
    const extra: string[] = [];
    if (e.repeatable) extra.push('repeatable');
    if (e.default !== undefined) extra.push(`default \`${String(e.default)}\``);
    const doc = extra.length > 0 ? `${e.doc} (${extra.join('; ')})` : e.doc;
    out.push(
      `| \`${e.key}\` | ${cell(describeType(e.type))} | \`${e.wire}\` | ${cell(doc)} | \`${cell(e.example)}\` |`,
    );
    if (e.type.kind === 'block' || e.type.kind === 'blocks') nested.push({ table: e.type.table, key: e.key });
  }
  out.push('');
  for (const n of nested) tableMarkdown(n.table, `\`${n.key}\` block`, level + 1, out);
}

/**
 * The settings reference, generated from the tables: one table per owner (policy, app) and per nested block.
 * `level` is the heading level of the two top sections.
 */
export function settingsReference(level = 3): string {
  const out: string[] = [];
  out.push(
    'Settings are written `key value`, one per line, in a policy’s `{ … }` block or directly in an app. ' +
      'Durations are Go durations (`30m`, `24h`, `2h45m`; units ns, us, ms, s, m, h), bare or in quotes. ' +
      'Lists are written `[a, b]`; nested blocks `{ key value … }`.',
    '',
  );
  tableMarkdown(POLICY_SETTINGS, 'Policy settings', level, out);
  tableMarkdown(APP_SETTINGS, 'App settings', level, out);
  out.push(
    'An app needs at least one `domain`. The first is the primary domain (`domain`); with more than one, all of ' +
      'them are sent as `self_hosted_domains`.',
    '',
  );
  return out.join('\n');
}
