import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
const run = (...args: string[]) => main(args, io());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-flags-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// One warning (an unused group), no error.
const WARNS = 'group "Unused" = email_domain("example.com")\n';

describe('lint: exit codes and report options to the letter', () => {
  it('--max-warnings -1 means no limit; 0 fails with the reason; anything below -1 is a usage error', async () => {
    writeFileSync(join(dir, 'a.acl'), WARNS);
    expect(await run('lint', 'a.acl', '--max-warnings', '-1')).toBe(0);
    expect(await run('lint', 'a.acl', '--max-warnings', '0')).toBe(1);
    expect(err).toContain('too many warnings: 1 (--max-warnings 0)');
    expect(await run('lint', 'a.acl', '--max-warnings', '-2')).toBe(2);
  });

  it('with --format github a --max-warnings failure is an ::error:: line saying why', async () => {
    writeFileSync(join(dir, 'a.acl'), WARNS);
    expect(await run('lint', 'a.acl', '--format', 'github', '--max-warnings', '0')).toBe(1);
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '::error title=aclc::too many warnings: 1 (--max-warnings 0)',
    );
  });

  it('--quiet reports errors only', async () => {
    writeFileSync(join(dir, 'a.acl'), `${WARNS}policy "P" allow if group("Nope")\n`);
    expect(await run('lint', 'a.acl', '--quiet', '--format', 'json')).toBe(1);
    const severities = JSON.parse(out).diagnostics.map((d: { severity: string }) => d.severity);
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities)).toEqual(new Set(['error']));
  });

  it('--output-file writes the report there, not on stdout', async () => {
    writeFileSync(join(dir, 'a.acl'), WARNS);
    expect(await run('lint', 'a.acl', '--format', 'sarif', '--output-file', 'report.sarif')).toBe(0);
    expect(out).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it.each(['lint', 'compile', 'fmt'])(
    '%s: a path that does not exist is a usage error (2)',
    async (command) => {
      expect(await run(command, 'nope.acl')).toBe(2);
      expect(out + err).toContain('`nope.acl` does not exist');
    },
  );

  it.each(['lint', 'compile', 'fmt'])('%s: a broken configuration is a usage error (2)', async (command) => {
    writeFileSync(join(dir, 'a.acl'), WARNS);
    writeFileSync(join(dir, 'aclc.config.json'), 'null');
    expect(await run(command, 'a.acl')).toBe(2);
    expect(out + err).toContain('the file must hold a JSON object, found `null`');
  });
});
