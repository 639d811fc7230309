import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-fmt-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const messy = 'policy   "Staff"  allow if email_domain( "example.com" )\n\n\n# note\ngroup "G"=everyone';
const clean = 'policy "Staff" allow if email_domain("example.com")\n\n# note\ngroup "G" = everyone\n';

describe('aclc fmt', () => {
  it('rewrites files in place and lists them', async () => {
    mkdirSync(join(dir, 'p'));
    writeFileSync(join(dir, 'p', 'a.acl'), messy);
    writeFileSync(join(dir, 'p', 'b.acl'), clean);
    expect(await main(['fmt', 'p'], io())).toBe(0);
    expect(readFileSync(join(dir, 'p', 'a.acl'), 'utf8')).toBe(clean);
    expect(out).toBe('formatted p/a.acl\n');
    expect(await main(['fmt', 'p'], io())).toBe(0);
  });

  it('--check prints a diff, changes nothing and exits 1', async () => {
    writeFileSync(join(dir, 'a.acl'), messy);
    expect(await main(['fmt', '--check', 'a.acl'], io())).toBe(1);
    expect(readFileSync(join(dir, 'a.acl'), 'utf8')).toBe(messy);
    expect(out).toBe(
      [
        '--- a/a.acl',
        '+++ b/a.acl',
        '@@ -1,5 +1,4 @@',
        '-policy   "Staff"  allow if email_domain( "example.com" )',
        '+policy "Staff" allow if email_domain("example.com")',
        ' ',
        '-',
        ' # note',
        '-group "G"=everyone',
        '\\ No newline at end of file',
        '+group "G" = everyone',
        '',
      ].join('\n'),
    );
    expect(err).toBe('1 file would be reformatted; run `aclc fmt`\n');
  });

  it('--check exits 0 on formatted files', async () => {
    writeFileSync(join(dir, 'a.acl'), clean);
    expect(await main(['fmt', '--check'], io())).toBe(0);
    expect(out).toBe('');
  });

  it('leaves a file that does not parse alone and reports why', async () => {
    writeFileSync(join(dir, 'bad.acl'), 'policy "X" allow email("a@example.com")\n');
    expect(await main(['fmt', 'bad.acl'], io())).toBe(1);
    expect(readFileSync(join(dir, 'bad.acl'), 'utf8')).toBe('policy "X" allow email("a@example.com")\n');
    expect(err).toContain('error[ACL0201]');
  });

  it('exits 2 when there is nothing to format', async () => {
    expect(await main(['fmt', 'missing'], io())).toBe(2);
    expect(err).toContain('`missing` does not exist');
  });
});
