import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverProjects } from '../../src/cli/projects.js';
import { type FileSystem, nodeFileSystem } from '../../src/files/file-system.js';
import { Account, CLI, ensureBuilt, spawnAclc } from '../integration/harness.js';

/**
 * Issue #15.2 and the loader's part of #12: whatever aclc meets and cannot read is an error, never a quiet omission;
 * links are followed (loops detected); non-regular files are refused, never read; `--prune` never runs on a project
 * read in part. Tests run as root, where permissions stop nothing: "permission denied" is injected through the
 * FileSystem layer, and the real CLI meets paths longer than the system allows (PATH_MAX), which stop root too.
 */

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aclc-unread-'));
});
// rm -rf walks down relative to each folder, so it removes paths longer than PATH_MAX (Node's rmSync cannot).
afterAll(() => {
  spawnSync('rm', ['-rf', dir]);
});

const run = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** A folder chain under `parent` whose absolute path is longer than PATH_MAX (4,096 on Linux); returns the deepest. */
function tooDeep(parent: string): string {
  const name = 'd'.repeat(200);
  let rel = '';
  for (let i = 0; i < 22; i++) {
    rel = rel ? `${rel}/${name}` : name;
    // mkdir -p walks down relative to its own working folder, so it is not limited by PATH_MAX.
  }
  const r = spawnSync('mkdir', ['-p', rel], { cwd: parent });
  expect(r.status).toBe(0);
  return join(parent, rel);
}

/** Move `name` (in `root`) below folders so deep that its absolute path is past PATH_MAX; each move stays short. */
function bury(root: string, name: string): void {
  const chain = (c: string) => Array.from({ length: 11 }, () => c.repeat(200)).join('/');
  const sh = (...args: string[]) =>
    expect(spawnSync(args[0] as string, args.slice(1), { cwd: root }).status).toBe(0);
  sh('mkdir', '-p', chain('x'));
  sh('mv', name, `${chain('x')}/`);
  sh('mkdir', '-p', chain('y'));
  sh('mv', 'x'.repeat(200), `${chain('y')}/`);
}

/** Node's file system, failing with `code` for the paths `when` picks. */
function failing(code: string, when: (call: keyof FileSystem, path: string) => boolean): FileSystem {
  const boom = () => Object.assign(new Error(code), { code });
  return {
    readdir: (p) =>
      when('readdir', p)
        ? (() => {
            throw boom();
          })()
        : nodeFileSystem.readdir(p),
    stat: (p) =>
      when('stat', p)
        ? (() => {
            throw boom();
          })()
        : nodeFileSystem.stat(p),
    realpath: (p) =>
      when('realpath', p)
        ? (() => {
            throw boom();
          })()
        : nodeFileSystem.realpath(p),
    readFile: (p, l) =>
      when('readFile', p)
        ? (() => {
            throw boom();
          })()
        : nodeFileSystem.readFile(p, l),
  };
}

const codes = (found: ReturnType<typeof discoverProjects>) => [
  ...found.diagnostics.map((d) => `${d.code} ${d.message}`),
  ...found.projects.flatMap((p) => p.diagnostics.map((d) => `${d.code} ${d.message}`)),
];

describe('nothing unreadable is skipped quietly (injected failures)', () => {
  let root: string;
  beforeAll(() => {
    root = join(dir, 'injected');
    mkdirSync(join(root, 'apps', 'locked'), { recursive: true });
    writeFileSync(join(root, 'aclc.config.json'), '{}');
    writeFileSync(join(root, 'a.acl'), 'group "a" = everyone\n');
    writeFileSync(join(root, 'apps', 'b.acl'), 'group "b" = everyone\n');
    writeFileSync(join(root, 'apps', 'locked', 'c.acl'), 'group "c" = everyone\n');
  });

  it.each([
    ['EACCES', 'permission denied'],
    ['EIO', 'input/output error'],
    ['EMFILE', 'too many open files'],
    ['ENAMETOOLONG', 'the path is longer than the system allows'],
  ])('a subfolder that cannot be listed (%s) is an error of its project', (code, words) => {
    const fs = failing(code, (call, p) => call === 'readdir' && p.endsWith('locked'));
    const found = discoverProjects(['a.acl'], root, { fs });
    expect(codes(found)).toEqual([`ACL0007 cannot read the folder \`apps/locked\`: ${words}`]);
    expect(found.projects[0]?.files.map((f) => f.path)).toEqual(['a.acl', 'apps/b.acl']);
  });

  it('a file that cannot be read is an error, asked for or not', () => {
    const fs = failing('EACCES', (call, p) => call === 'readFile' && p.endsWith('b.acl'));
    expect(codes(discoverProjects(['a.acl'], root, { fs }))).toEqual([
      'ACL0002 cannot read `apps/b.acl`: permission denied',
    ]);
  });

  it('a folder whose configuration cannot be checked is an error, not a guess', () => {
    const fs = failing(
      'EACCES',
      (call, p) => call === 'stat' && p.endsWith(join('locked', 'aclc.config.json')),
    );
    expect(codes(discoverProjects(['a.acl'], root, { fs }))).toEqual([
      'ACL0002 cannot read `apps/locked/aclc.config.json`: permission denied',
    ]);
  });

  it('a folder named on the command line that cannot be listed is an error', () => {
    const fs = failing('EACCES', (call, p) => call === 'readdir' && p.endsWith('apps'));
    const found = discoverProjects(['apps'], root, { fs });
    expect(codes(found)).toContain('ACL0007 cannot read the folder `apps`: permission denied');
  });

  it('a folder matched by `ignore` is not read, so it cannot fail', () => {
    writeFileSync(join(root, 'aclc.config.json'), '{ "ignore": ["apps/locked/**"] }');
    const fs = failing('EACCES', (call, p) => call === 'readdir' && p.endsWith('locked'));
    expect(codes(discoverProjects(['a.acl'], root, { fs }))).toEqual([]);
    writeFileSync(join(root, 'aclc.config.json'), '{}');
  });
});

describe('through dist/aclc.js', () => {
  it('a folder past the path-length limit is an error for lint, compile and fmt', () => {
    const root = join(dir, 'long');
    mkdirSync(root);
    writeFileSync(join(root, 'aclc.config.json'), '{}');
    writeFileSync(join(root, 'a.acl'), 'group "a" = everyone\n');
    tooDeep(root);
    for (const args of [
      ['lint', '.'],
      ['compile', '.'],
      ['fmt', '--check', '.'],
    ]) {
      const r = run(args, root);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.out + r.err).toContain('error[ACL0007]');
      expect(r.out + r.err).toContain('the path is longer than the system allows');
    }
  });

  it('follows links to files and folders, reads each file once, and stops at loops', () => {
    const root = join(dir, 'links');
    const shared = join(dir, 'shared');
    mkdirSync(join(shared, 'nested'), { recursive: true });
    mkdirSync(root);
    writeFileSync(join(root, 'aclc.config.json'), '{}');
    writeFileSync(
      join(root, 'main.acl'),
      'app "Main" {\n  domain "main.example.com"\n  allow "All" if group("Shared")\n}\n',
    );
    writeFileSync(join(shared, 'nested', 'groups.acl'), 'group "Shared" = email_domain("example.com")\n');
    writeFileSync(join(shared, 'one.acl'), 'group "One" = email("one@example.com")\n');
    symlinkSync(join(shared, 'nested'), join(root, 'groups')); // a folder
    symlinkSync(join(shared, 'one.acl'), join(root, 'one.acl')); // a file
    symlinkSync(join(shared, 'one.acl'), join(root, 'again.acl')); // the same file by a second name
    symlinkSync('..', join(shared, 'nested', 'up')); // a loop back up
    symlinkSync('.', join(root, 'self')); // a loop onto itself
    const r = run(['compile', '.', '--format', 'json'], root);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.groups.map((g: { name: string }) => g.name).sort()).toEqual(['One', 'Shared']);
  });

  it('a broken link named `.acl` is an error', () => {
    const root = join(dir, 'broken');
    mkdirSync(root);
    writeFileSync(join(root, 'a.acl'), 'group "a" = everyone\n');
    symlinkSync('gone.acl', join(root, 'b.acl'));
    const r = run(['lint', '.'], root);
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain('error[ACL0002]: cannot read `b.acl`: broken symbolic link');
  });

  it.each(['/dev/zero', '/dev/urandom', 'fifo.acl'])(
    'refuses %s as a source without reading it',
    (source) => {
      const root = join(dir, 'special');
      mkdirSync(root, { recursive: true });
      if (source === 'fifo.acl') spawnSync('mkfifo', [join(root, 'fifo.acl')]);
      for (const command of ['lint', 'compile', 'fmt']) {
        const r = run([command, source], root);
        expect(r.code, command).not.toBe(0);
        expect(r.out + r.err).toContain('error[ACL0006]');
        expect(r.out + r.err).toMatch(/is a (character device|FIFO \(named pipe\)), not a regular file/);
      }
    },
  );

  it('apply --prune refuses a project that was not read completely, and deletes nothing', async () => {
    const account = await Account.start();
    const root = join(dir, 'prune');
    mkdirSync(join(root, 'team'), { recursive: true });
    writeFileSync(join(root, 'aclc.config.json'), '{}');
    writeFileSync(
      join(root, 'wiki.acl'),
      'app "Wiki" {\n  domain "wiki.example.com"\n  allow "All" if email_domain("example.com")\n}\n',
    );
    writeFileSync(
      join(root, 'team', 'ci.acl'),
      'app "CI" {\n  domain "ci.example.com"\n  allow "All" if email_domain("example.com")\n}\n',
    );
    try {
      const first = await spawnAclc(['apply', '--auto-approve'], account.env(), root);
      expect(first.code).toBe(0);
      expect(account.names('apps')).toEqual(['CI', 'Wiki']);
      // The folder declaring `CI` moves past the path-length limit: aclc can no longer read it.
      bury(root, 'team');
      const mark = account.mark();
      for (const command of [
        ['plan', '--prune', '--detailed-exitcode'],
        ['apply', '--prune', '--auto-approve'],
      ]) {
        const r = await spawnAclc(command, account.env(), root);
        expect(r.code, command.join(' ')).toBe(1);
        expect(r.out + r.err).toContain('error[ACL0007]');
      }
      expect(account.writesSince(mark)).toEqual([]);
      expect(account.names('apps')).toEqual(['CI', 'Wiki']);
    } finally {
      await account.close();
    }
  });
});
