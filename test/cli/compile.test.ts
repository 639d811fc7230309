import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateProject } from '../../src/schemas/validate.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'aclc.js');

/** Runs the built CLI the way a user does. */
function aclc(args: string[], cwd = root) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const scratch = () => mkdtempSync(join(tmpdir(), 'aclc-cli-'));

describe('aclc compile through the bundled CLI', () => {
  it('prints its version', () => {
    const r = aclc(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  });

  it('runs as `npx aclc` in the working tree (the bin is executable after `npm ci`)', () => {
    const run = spawnSync('npx', ['--no-install', 'aclc', '--version'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).not.toContain('Permission denied');
    expect(run.status).toBe(0);
    expect(statSync(cli).mode & 0o111).not.toBe(0);
  });

  it('compiles an example to valid JSON on stdout', () => {
    const r = aclc(['compile', 'examples/admin-portal']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(validateProject(doc)).toEqual({ valid: true });
    expect(doc.apps.map((a: { name: string }) => a.name)).toEqual(['Admin console']);
  });

  it('writes compact JSON atomically with -o and --format json', () => {
    const dir = scratch();
    const out = join(dir, 'out.json');
    const r = aclc(['compile', 'examples/health-bypass', '-o', out, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(text).apps[0].name).toBe('Status page');
  });

  it('keeps only one app and what it needs with --app', () => {
    const r = aclc(['compile', 'examples/multi-idp', '--app', 'Grafana']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.apps.map((a: { name: string }) => a.name)).toEqual(['Grafana']);
  });

  it('reports an unknown app with a suggestion and exit code 1', () => {
    const r = aclc(['compile', 'examples/multi-idp', '--app', 'Grafna']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ACL0604]: no app named `Grafna`');
    expect(r.stderr).toContain('did you mean `Grafana`?');
  });

  it('shows diagnostics with carets and exits 1 on a broken file, printing no JSON', () => {
    const r = aclc(['compile', 'examples/broken/typos.acl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error[ACL0302]: unknown group `eng-team`');
    expect(r.stderr).toContain('--> examples/broken/typos.acl:6:30');
    expect(r.stderr).toMatch(/\n\s+\|\s+\^{10}\n/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  });

  it('prints diagnostics as JSON with --diagnostics json', () => {
    const r = aclc(['compile', 'examples/broken/values.acl', '--diagnostics', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stderr);
    expect(out.diagnostics.map((d: { code: string }) => d.code)).toEqual([
      'ACL0411',
      'ACL0402',
      'ACL0404',
      'ACL0401',
    ]);
    expect(out.diagnostics[1].span).toMatchObject({ line: 5, column: 35 });
  });

  it('exits 2 on usage errors', () => {
    expect(aclc(['compile', '--no-such-flag']).code).toBe(2);
    expect(aclc(['frobnicate']).code).toBe(2);
    expect(aclc(['compile', '--format', 'yaml']).code).toBe(2);
  });

  it('reports a folder without .acl files and a missing path as usage errors (exit 2)', () => {
    const dir = scratch();
    const empty = aclc(['compile', dir]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('error[ACL0001]: no `.acl` files found');
    const missing = aclc(['compile', join(dir, 'nope.acl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error[ACL0720]:');
    expect(missing.stderr).toContain('nope.acl` does not exist');
  });

  it('refuses to write into a missing folder without leaving a partial file', () => {
    const dir = scratch();
    const r = aclc(['compile', 'examples/health-bypass', '-o', join(dir, 'missing', 'out.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ACL0702]');
  });
});

describe('pathological input ends with a diagnostic, never a crash or hang', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['an empty file', '', /warning\[ACL0005\]/],
    [
      'binary garbage',
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe, 0x00]),
      /error\[ACL0003\]/,
    ],
    [
      '10,000 nested parentheses',
      `policy "p" allow if ${'('.repeat(10_000)}everyone${')'.repeat(10_000)}`,
      /error\[ACL0104\]/,
    ],
    ['10,000 nots', `policy "p" allow if ${'not '.repeat(10_000)}everyone`, /./],
    ['a 10 MB file of garbage', 'policy ]] "x" @@@ if (( \n'.repeat(400_000), /error\[ACL0/],
  ];
  for (const [name, content, expected] of cases) {
    it(name, () => {
      const dir = scratch();
      mkdirSync(join(dir, 'p'));
      writeFileSync(join(dir, 'p', 'input.acl'), content);
      const r = aclc(['compile', 'p'], dir);
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).not.toMatch(/internal error|RangeError|Maximum call stack/);
    });
  }
});
