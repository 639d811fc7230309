import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt } from '../integration/harness.js';

/**
 * Issue #12's CLI edge cases and #15.5, through dist/aclc.js: a closed or full stdout ends quietly with a non-zero
 * exit (never a stack trace), long lines render as a window, a folder of 20,000 files is read whole.
 * (FIFOs and devices given as sources: test/cli/unreadable.test.ts.)
 */

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aclc-edge-'));
  // ~100 KB of compiled JSON: more than a pipe holds, so `head` closes it while aclc still writes.
  const groups = Array.from(
    { length: 250 },
    (_, i) =>
      `group "g${i}" = email_domain in (${Array.from({ length: 10 }, (_, j) => `"d${j}.example${i}.com"`).join(', ')})`,
  );
  writeFileSync(join(dir, 'big.acl'), `${groups.join('\n')}\n`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

const sh = (script: string) =>
  spawnSync('bash', ['-c', `set -o pipefail; ${script}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CLI },
    maxBuffer: 1 << 26,
    timeout: 120_000,
  });
const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(text).not.toContain('internal error');
};

describe('a closed or full stdout', () => {
  it.each([
    ['compile', 'node "$CLI" compile big.acl'],
    ['lint --format json', 'node "$CLI" lint big.acl --format json'],
  ])('`aclc %s | head -c 100` ends quietly, not with exit 0', (_name, command) => {
    const r = sh(`${command} | head -c 100 > /dev/null`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe('');
  });

  it('`aclc compile > /dev/full` says the disk is full, once, and exits 1', () => {
    const r = sh('node "$CLI" compile big.acl > /dev/full');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: cannot write to standard output: no space left on device\n');
  });

  it('`aclc lint` of a file with findings `> /dev/full` exits non-zero without a stack trace', () => {
    mkdirSync(join(dir, 'warn'));
    writeFileSync(join(dir, 'warn', 'warn.acl'), 'group "unused" = email("a@example.com")\n');
    const r = sh('node "$CLI" lint warn/warn.acl > /dev/full');
    expect(r.status).not.toBe(0);
    noStackTrace(r.stderr);
  });
});

describe('long lines', () => {
  it('a 100 KB one-line file with thousands of findings prints a window per finding', () => {
    const terms = Array.from({ length: 9000 }, (_, i) => `group("x${i}")`).join(' or ');
    const text = `policy "p" allow if ${terms}`.slice(0, 100_000).replace(/ or [^ ]*$/, '');
    mkdirSync(join(dir, 'one'));
    writeFileSync(join(dir, 'one', 'one-line.acl'), `${text}\n`);
    const r = sh('node "$CLI" compile one/one-line.acl');
    expect(r.status).toBe(1);
    noStackTrace(r.stderr);
    const count = Number(/(\d+) errors?/.exec(r.stderr)?.[1]);
    expect(count).toBeGreaterThan(1000);
    // Each finding a few short lines: the whole line (100 KB) reprinted per finding would be gigabytes.
    expect(r.stderr.length).toBeLessThan(count * 1000);
    expect(Math.max(...r.stderr.split('\n').map((l) => l.length))).toBeLessThan(300);
  });

  it('a 10 MB line renders its finding at the end of the line as a window', () => {
    const text = `group "g" = email_domain("example.com")${' '.repeat(10_000_000)}@\n`;
    mkdirSync(join(dir, 'ten'));
    writeFileSync(join(dir, 'ten', 'ten-mb.acl'), text);
    const r = sh('node "$CLI" compile ten/ten-mb.acl');
    expect(r.status).toBe(1);
    noStackTrace(r.stderr);
    expect(r.stderr).toMatch(/ten-mb\.acl:1:10000040/);
    expect(r.stderr.length).toBeLessThan(5000);
  });
});

describe('many files', () => {
  it('a folder of 20,000 `.acl` files is read whole', () => {
    const folder = join(dir, 'many');
    mkdirSync(folder);
    for (let i = 0; i < 20_000; i++)
      writeFileSync(
        join(folder, `f${String(i).padStart(5, '0')}.acl`),
        `group "g${i}" = email("u${i}@example.com")\n`,
      );
    const fmt = sh('node "$CLI" fmt --check many');
    expect(fmt.status).toBe(0);
    // The account allows 300 groups: the error counts every group, so no file was skipped.
    const compile = sh('node "$CLI" compile many');
    expect(compile.status).toBe(1);
    expect(compile.stderr).toContain('the project compiles to 20000 groups');
    // Lint reads and analyses them all: every group is reported unused, none is skipped.
    const lint = sh('node "$CLI" lint many --format json');
    expect(lint.status).toBe(0);
    const found = JSON.parse(lint.stdout).diagnostics as { rule: string }[];
    expect(found.filter((d) => d.rule === 'unused-group')).toHaveLength(20_000);
    expect(found.filter((d) => d.rule === 'analysis-incomplete')).toEqual([]);
  }, 240_000);
});

describe('a long human report (written in pieces)', () => {
  // 3,000 findings, about 700 K characters: several pieces of the report.
  beforeAll(() => {
    mkdirSync(join(dir, 'many-findings'));
    const groups = Array.from({ length: 3000 }, (_, i) => `group "unused ${i}" = email("u${i}@example.com")`);
    writeFileSync(join(dir, 'many-findings', 'p.acl'), `${groups.join('\n')}\n`);
  });

  it('reaches a slow reader whole, byte for byte what a file gets', () => {
    const toFile = sh('node "$CLI" lint many-findings > report.txt; cat report.txt | wc -c');
    const slow = sh('node "$CLI" lint many-findings | (sleep 1; cat) | cmp - report.txt && echo same');
    expect(Number(toFile.stdout.trim())).toBeGreaterThan(500_000);
    expect(slow.stdout.trim()).toBe('same');
  });

  it('`aclc lint | head -c 100` ends quietly, not with exit 0', () => {
    const r = sh('node "$CLI" lint many-findings | head -c 100 > /dev/null');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toBe('');
    noStackTrace(r.stderr);
  });
});
