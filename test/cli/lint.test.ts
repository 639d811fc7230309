import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

let dir: string;
let out: string;
let err: string;
const io = (): Io => ({
  out: (t) => {
    out += t;
  },
  err: (t) => {
    err += t;
  },
  stdoutIsTTY: false,
  stderrIsTTY: false,
  env: {},
  cwd: dir,
});
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const lint = (...args: string[]) => main(['lint', ...args], io());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-lint-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CLEAN = `group "Engineers" = email_domain("eng.example.com")
app "Wiki" {
  domain "wiki.example.com"
  deny "Block KP" if country("KP")
  allow "Engineers" if group("Engineers")
}
`;
const CONFLICT = `group "Engineers" = email_domain("eng.example.com")
app "Wiki" {
  domain "wiki.example.com"
  allow "Engineers" if group("Engineers")
  deny "Block KP" if country("KP")
}
`;

describe('aclc lint', () => {
  it('is silent and exits 0 on a clean project', async () => {
    write('p/main.acl', CLEAN);
    expect(await lint('p')).toBe(0);
    expect(out).toBe('');
    expect(err).toBe('');
  });

  it('prints findings with witnesses; warnings alone exit 0, past --max-warnings exit 1', async () => {
    write('main.acl', CONFLICT);
    expect(await lint()).toBe(0);
    expect(out).toBe(
      [
        'warning[conflicting-policies]: `user@eng.example.com` from KP is allowed by `Engineers` (precedence 1) before `Block KP` (precedence 2) can deny them',
        '  --> main.acl:5:8',
        '    |',
        '  5 |   deny "Block KP" if country("KP")',
        '    |        ^^^^^^^^^^',
        '  = note: `Engineers` (precedence 1) allows some of them first (main.acl:4:9)',
        '  = witness: email=user@eng.example.com country=KP',
        '  = help: if they should be denied, give `Block KP` (precedence 2) a lower precedence than `Engineers` (precedence 1); otherwise narrow `Block KP` (precedence 2) to the identities it can still deny',
        '',
        '1 warning',
        '',
      ].join('\n'),
    );
    out = '';
    expect(await lint('--max-warnings', '0')).toBe(1);
    expect(err).toBe('too many warnings: 1 (--max-warnings 0)\n');
  });

  it('exits 1 on errors, compiler errors under their code and rule name', async () => {
    write(
      'main.acl',
      'policy "P" allow if email_domain("@example.com")\napp "A" {\n  domain "a.example.com"\n  use "P"\n}\n',
    );
    expect(await lint('--format', 'json')).toBe(1);
    const json = JSON.parse(out) as {
      diagnostics: { code: string; rule: string; span: { line: number; column: number } }[];
    };
    expect(json.diagnostics.map((d) => [d.code, d.rule, d.span.line, d.span.column])).toEqual([
      ['analysis-incomplete', 'analysis-incomplete', 1, 8],
      ['ACL0402', 'invalid-value', 1, 34],
    ]);
  });

  it('writes SARIF and GitHub annotations to stdout', async () => {
    write('main.acl', CONFLICT);
    expect(await lint('--format', 'sarif')).toBe(0);
    const log = JSON.parse(out) as Sarif.Log;
    expect(log.runs[0]?.results?.map((r) => r.ruleId)).toEqual(['conflicting-policies']);
    expect(log.runs[0]?.tool.driver.version).toBe('0.0.0-dev');
    out = '';
    expect(await lint('--format', 'github')).toBe(0);
    expect(out).toMatch(
      /^::warning file=main\.acl,line=5,col=8,endLine=5,endColumn=18,title=aclc conflicting-policies::/,
    );
  });

  it('--fix applies safe fixes atomically and reports what is left', async () => {
    write(
      'main.acl',
      'policy "EU" allow if email_domain("@example.com") and country("DE", "FR", "DE")\napp "A" {\n  domain "a.example.com"\n  use "EU"\n}\n',
    );
    expect(await lint('--fix')).toBe(0);
    expect(readFileSync(join(dir, 'main.acl'), 'utf8')).toBe(
      'policy "EU" allow if email_domain("example.com") and country("DE", "FR")\napp "A" {\n  domain "a.example.com"\n  use "EU"\n}\n',
    );
    expect(out).toBe('');
  });

  it('lints only the files given, resolving names across their folder', async () => {
    write('p/groups.acl', 'group "Staff" = email_domain("example.com")\ngroup "Unused" = everyone\n');
    write('p/apps.acl', 'app "A" {\n  domain "a.example.com"\n  allow "Staff" if group("Staff")\n}\n');
    expect(await lint('p/apps.acl')).toBe(0);
    expect(out).toBe('');
    expect(await lint('p')).toBe(0);
    expect(out).toContain('warning[unused-group]: group `Unused` is never used\n  --> p/groups.acl:2:7');
  });

  it('names the declarations that errors in other files of the project keep from the semantic checks', async () => {
    write('p/main.acl', CONFLICT);
    write('p/other.acl', 'group "Engineers" = everyone\n');
    expect(await lint('p/main.acl')).toBe(0);
    expect(out).toBe(
      [
        'info[analysis-incomplete]: semantic checks skipped for 3 declarations with errors or using one: group `Engineers` (has errors reported in `p/other.acl`), policy `Engineers` (uses group `Engineers`, which has errors reported in `p/other.acl`), app `Wiki` (uses policy `Engineers`, which cannot be checked)',
        '  --> p/main.acl:1:7',
        '    |',
        '  1 | group "Engineers" = email_domain("eng.example.com")',
        '    |       ^^^^^^^^^^^',
        '  = help: fix the errors to check them too (lint the whole folder to see those reported in other files); every other declaration was checked',
        '',
        '1 info',
        '',
      ].join('\n'),
    );
  });

  it('takes the project from the nearest aclc.config.json, with its rules, ignore patterns and nested projects', async () => {
    write(
      'repo/aclc.config.json',
      JSON.stringify({ rules: { 'unused-group': 'error' }, ignore: ['drafts/**'] }),
    );
    write(
      'repo/groups/staff.acl',
      'group "Staff" = email_domain("example.com")\ngroup "Unused" = everyone\n',
    );
    write('repo/apps/a.acl', 'app "A" {\n  domain "a.example.com"\n  allow "Staff" if group("Staff")\n}\n');
    write('repo/drafts/x.acl', 'this does not parse');
    write('repo/other/aclc.config.json', '{}');
    write('repo/other/o.acl', 'group "Staff" = everyone\npolicy "P" allow if group("Staff")\n');
    expect(await lint('repo/apps/a.acl')).toBe(0);
    expect(out).toBe('');
    expect(await lint('repo')).toBe(1);
    expect(out).toContain(
      'error[unused-group]: group `Unused` is never used\n  --> repo/groups/staff.acl:2:7',
    );
    expect(out).toContain(
      'warning[unused-policy]: policy `P` is not used by any app\n  --> repo/other/o.acl:2:8',
    );
    expect(out).not.toContain('drafts');
  });

  it('--config overrides the configuration and an invalid one is a usage error', async () => {
    write('main.acl', CONFLICT);
    write('quiet.json', JSON.stringify({ rules: { 'conflicting-policies': 'off' } }));
    expect(await lint('--config', 'quiet.json', 'main.acl')).toBe(0);
    expect(out).toBe('');
    write('bad.json', JSON.stringify({ rules: { 'conflicting-policies': 'loud' } }));
    expect(await lint('--config', 'bad.json', 'main.acl')).toBe(2);
    expect(out).toContain(
      'error[ACL0701]: invalid configuration: rules.conflicting-policies: `"loud"` is not a level',
    );
  });

  it('exits 2 on usage errors', async () => {
    expect(await lint('missing.acl')).toBe(2);
    expect(out).toContain('`missing.acl` does not exist');
    expect(await lint('--format', 'xml')).toBe(2);
    expect(await lint('--max-warnings', 'many')).toBe(2);
    mkdirSync(join(dir, 'empty'));
    expect(await lint('empty')).toBe(2);
  });
});
