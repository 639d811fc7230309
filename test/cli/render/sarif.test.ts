import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { renderSarif, toUri } from '../../../src/cli/render/sarif.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../../src/diagnostics/source.js';
import { RULES } from '../../../src/lint/rules/index.js';

const text = 'policy "Gmail" allow if email_domain("@gmail.com")\npolicy "X" allow if country("US", "US")\n';
const file = new SourceFile('dir with space/main.acl', text);
const files = new Map([[file.path, file]]);
const at = (start: number, end: number) => ({ file: file.path, start, end });

const diagnostics: Diagnostic[] = [
  {
    code: 'invalid-value',
    severity: 'error',
    message: 'email domain `@gmail.com` starts with `@`',
    span: at(37, 49),
    help: 'write the domain without `@`',
    fix: { description: 'remove the leading `@`', edits: [{ span: at(37, 49), text: '"gmail.com"' }] },
  },
  {
    code: 'duplicate-value',
    severity: 'warning',
    message: '`"US"` is listed twice in `country`',
    span: at(86, 90),
    related: [{ span: at(80, 84), message: 'first listed here' }],
    fix: { description: 'remove the repeated `"US"`', edits: [{ span: at(84, 90), text: '' }] },
  },
  {
    code: 'missing-include',
    severity: 'info',
    message: '`X` names nobody',
    span: at(71, 91),
    witness: { email: 'bob@example.com', country: 'KP' },
  },
  { code: 'ACL0201', severity: 'error', message: 'expected `if`, found `allow`', span: at(0, 6) },
];

const log = JSON.parse(
  renderSarif(diagnostics, files, { toolVersion: '1.2.3', rules: RULES.map((r) => r.meta) }),
) as Sarif.Log;

/** The properties the SARIF 2.1.0 schema requires (`required` arrays of the objects used), checked recursively. */
function checkRequired(value: Sarif.Log): string[] {
  const problems: string[] = [];
  const need = (obj: object, keys: string[], where: string) => {
    for (const k of keys) if (!(k in obj)) problems.push(`${where}: missing ${k}`);
  };
  need(value, ['version', 'runs'], 'log');
  value.runs.forEach((run, r) => {
    need(run, ['tool'], `runs[${r}]`);
    need(run.tool, ['driver'], `runs[${r}].tool`);
    need(run.tool.driver, ['name'], 'driver');
    for (const rule of run.tool.driver.rules ?? []) need(rule, ['id'], `rule ${rule.id}`);
    (run.results ?? []).forEach((res, i) => {
      need(res, ['message'], `results[${i}]`);
      if (!res.message.text) problems.push(`results[${i}]: message without text`);
      for (const loc of [...(res.locations ?? []), ...(res.relatedLocations ?? [])]) {
        const region = loc.physicalLocation?.region;
        if (region && (region.startLine ?? 0) < 1) problems.push(`results[${i}]: startLine < 1`);
        if (region && (region.startColumn ?? 1) < 1) problems.push(`results[${i}]: startColumn < 1`);
      }
      for (const fix of res.fixes ?? []) {
        need(fix, ['artifactChanges'], `results[${i}].fixes`);
        for (const change of fix.artifactChanges) {
          need(change, ['artifactLocation', 'replacements'], `results[${i}].artifactChanges`);
          for (const rep of change.replacements) need(rep, ['deletedRegion'], `results[${i}].replacements`);
        }
      }
      if (res.ruleIndex !== undefined && run.tool.driver.rules?.[res.ruleIndex]?.id !== res.ruleId) {
        problems.push(`results[${i}]: ruleIndex does not point at ${res.ruleId}`);
      }
      if (res.level && !['none', 'note', 'warning', 'error'].includes(res.level))
        problems.push(`bad level ${res.level}`);
    });
  });
  return problems;
}

describe('renderSarif', () => {
  it('produces a SARIF 2.1.0 log with every required property', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(checkRequired(log)).toEqual([]);
  });

  it('describes every lint rule, with help naming its doc page (no invented URL)', () => {
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    const shadowed = rules.find((r) => r.id === 'shadowed-policy');
    expect(shadowed?.help?.text).toContain('docs/rules/shadowed-policy.md');
    expect(shadowed?.helpUri).toBeUndefined();
    expect(shadowed?.defaultConfiguration?.level).toBe('warning');
    expect(shadowed?.properties?.category).toBe('semantics');
    expect(rules.filter((r) => !r.id.startsWith('ACL')).map((r) => r.id)).toEqual(
      RULES.map((r) => r.meta.id),
    );
    // Compiler codes that occur are described from the catalog.
    expect(rules.find((r) => r.id === 'ACL0201')?.shortDescription?.text).toBe('expected …, found …');
  });

  it('maps each diagnostic to a result with exact location, level, related locations, fix and witness', () => {
    const results = log.runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['invalid-value', 'error'],
      ['duplicate-value', 'warning'],
      ['missing-include', 'note'],
      ['ACL0201', 'error'],
    ]);
    const dup = results[1] as Sarif.Result;
    expect(dup.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'dir%20with%20space/main.acl', uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 36, endLine: 2, endColumn: 40 },
    });
    expect(dup.relatedLocations?.[0]?.message?.text).toBe('first listed here');
    expect(dup.fixes?.[0]?.artifactChanges[0]?.replacements[0]).toEqual({
      deletedRegion: { startLine: 2, startColumn: 34, endLine: 2, endColumn: 40 },
      insertedContent: { text: '' },
    });
    const witness = results[2] as Sarif.Result;
    expect(witness.properties?.witness).toEqual({ email: 'bob@example.com', country: 'KP' });
    expect(witness.message.text).toBe('`X` names nobody\nwitness: email=bob@example.com country=KP');
    expect((results[0] as Sarif.Result).message.text).toBe(
      'email domain `@gmail.com` starts with `@`\nhelp: write the domain without `@`',
    );
  });

  it('writes paths as relative URI references', () => {
    expect(toUri('a\\b c/d#e.acl')).toBe('a/b%20c/d%23e.acl');
  });
});
