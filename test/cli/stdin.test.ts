import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'aclc.js');
let dir: string;
let out: string;
let err: string;
const run = (stdin: string | undefined, ...args: string[]) => {
  const io: Io = {
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
    ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
  };
  return main(args, io);
};
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-stdin-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lint --stdin-filename', () => {
  it('lints the text as if it were saved at the path, with the rest of its project from disk', async () => {
    write('proj/aclc.config.json', '{ "rules": { "unused-group": "error" } }');
    write(
      'proj/groups.acl',
      'group "Eng" = email_domain("eng.example.com")\ngroup "Ops" = email("ops@example.com")\n',
    );
    write('proj/apps.acl', 'app "Wiki" {\n  domain "wiki.example.com"\n}\n');
    const text = 'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Eng" if group("Eng")\n}\n';
    const code = await run(text, 'lint', '--format', 'json', '--stdin-filename', 'proj/apps.acl');
    const found = JSON.parse(out).diagnostics as { code: string; span: { file: string } }[];
    // Findings are reported for the stdin file only; the disk text of apps.acl is not read.
    expect(found).toEqual([]);
    expect(code).toBe(0);
    // The unsaved text is what counts: an unknown group there is reported on the stdin file's path.
    out = '';
    const broken = await run(
      text.replace('"Eng")', '"Nope")'),
      'lint',
      '--format',
      'json',
      '--stdin-filename',
      'proj/apps.acl',
    );
    expect(broken).toBe(1);
    expect(
      JSON.parse(out).diagnostics.map((d: { code: string; span: { file: string } }) => [d.code, d.span.file]),
    ).toEqual([
      ['analysis-incomplete', join('proj', 'apps.acl')],
      ['ACL0302', join('proj', 'apps.acl')],
    ]);
    expect(readFileSync(join(dir, 'proj/apps.acl'), 'utf8')).not.toContain('allow');
  });

  it('works for a file that does not exist yet', async () => {
    const code = await run(
      'group "A" = email("a@example.com")\n',
      'lint',
      '--stdin-filename',
      'new/file.acl',
    );
    expect(err).toBe('');
    expect(out).toMatch(/warning\[unused-group\][\s\S]*--> new\/file\.acl:1:7/);
    expect(code).toBe(0);
  });

  it('refuses paths together with --stdin-filename, and --fix', async () => {
    expect(await run('', 'lint', '--stdin-filename', 'a.acl', 'b.acl')).toBe(2);
    expect(err).toMatch(/either paths or `--stdin-filename`/);
    err = '';
    expect(await run('', 'lint', '--fix', '--stdin-filename', 'a.acl')).toBe(2);
    expect(err).toMatch(/`--fix` cannot rewrite stdin/);
  });
});

describe('fmt --stdin-filename', () => {
  it('prints the formatted text to stdout and writes no file', async () => {
    const code = await run('group   "A"=email("a@example.com")\n', 'fmt', '--stdin-filename', 'a.acl');
    expect(code).toBe(0);
    expect(out).toBe('group "A" = email("a@example.com")\n');
    expect(() => readFileSync(join(dir, 'a.acl'))).toThrow();
  });

  it('--check prints a diff and exits 1; a text that does not parse exits 1 with diagnostics', async () => {
    expect(
      await run('group   "A"=email("a@example.com")\n', 'fmt', '--check', '--stdin-filename', 'a.acl'),
    ).toBe(1);
    expect(out).toContain('+group "A" = email("a@example.com")');
    out = '';
    expect(await run('group "A" = \n', 'fmt', '--stdin-filename', 'a.acl')).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/a\.acl:/);
  });
});

describe('through the built CLI', () => {
  it('reads stdin', () => {
    const r = spawnSync(process.execPath, [CLI, 'fmt', '--stdin-filename', 'x.acl'], {
      cwd: dir,
      input: 'group   "A"=email("a@example.com")\n',
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('group "A" = email("a@example.com")\n');
    expect(r.status).toBe(0);
    const l = spawnSync(process.execPath, [CLI, 'lint', '--stdin-filename', 'x.acl'], {
      cwd: dir,
      input: 'group "A" = email("a@example.com"',
      encoding: 'utf8',
    });
    expect(l.stdout).toMatch(/x\.acl:1:/);
    expect(l.status).toBe(1);
  });
});
