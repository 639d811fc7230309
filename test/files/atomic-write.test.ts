import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempsOf, WriteError, writeAtomic } from '../../src/files/atomic-write.js';
import { CLI, ensureBuilt } from '../integration/harness.js';

/** Issue #15.3: writes never clobber what is not a regular file, keep links links, and clean up after a kill. */

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aclc-write-'));
  writeFileSync(join(dir, 'a.acl'), 'group "g" = everyone\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], cwd = dir) => {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** A character device like /dev/full (1,7), made in the temporary folder; undefined where mknod is not allowed. */
function device(name: string): string | undefined {
  const path = join(dir, name);
  const r = spawnSync('mknod', [path, 'c', '1', '7']);
  return r.status === 0 ? path : undefined;
}

describe('writeAtomic', () => {
  it('writes a new file and replaces an existing one, keeping its mode', async () => {
    const p = join(dir, 'plain.txt');
    await writeAtomic(p, 'one');
    expect(readFileSync(p, 'utf8')).toBe('one');
    spawnSync('chmod', ['640', p]);
    await writeAtomic(p, 'two');
    expect(readFileSync(p, 'utf8')).toBe('two');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(tempsOf(p)).toEqual([]);
  });

  it.each([
    ['a FIFO', (p: string) => spawnSync('mkfifo', [p]).status === 0, 'a FIFO (named pipe)'],
    ['a folder', (p: string) => mkdirSync(p) === undefined, 'a directory'],
  ])('refuses %s and leaves it as it was', async (_what, make, kind) => {
    const p = join(dir, `special-${kind.length}`);
    expect(make(p)).toBe(true);
    const before = lstatSync(p);
    const error = (await writeAtomic(p, 'x').catch((e: unknown) => e)) as WriteError;
    expect(error).toBeInstanceOf(WriteError);
    expect(error.code).toBe('ENOTREG');
    expect(error.reason).toContain(kind);
    expect(lstatSync(p).ino).toBe(before.ino);
    expect(lstatSync(p).mode).toBe(before.mode);
  });

  it('refuses a socket', async () => {
    const p = join(dir, 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(p, resolve));
    const error = (await writeAtomic(p, 'x').catch((e: unknown) => e)) as WriteError;
    expect(error.reason).toContain('a socket');
    expect(lstatSync(p).isSocket()).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('writes through a symbolic link, also a chain of them and one whose target does not exist yet', async () => {
    const target = join(dir, 'real.json');
    writeFileSync(target, 'old');
    symlinkSync('real.json', join(dir, 'link1.json'));
    symlinkSync(join(dir, 'link1.json'), join(dir, 'link2.json'));
    await writeAtomic(join(dir, 'link2.json'), 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(lstatSync(join(dir, 'link1.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'link2.json')).isSymbolicLink()).toBe(true);
    symlinkSync('later.json', join(dir, 'dangling.json'));
    await writeAtomic(join(dir, 'dangling.json'), 'made');
    expect(readlinkSync(join(dir, 'dangling.json'))).toBe('later.json');
    expect(readFileSync(join(dir, 'later.json'), 'utf8')).toBe('made');
  });

  it('refuses a loop of links', async () => {
    // In a folder of their own: the CLI tests below would report the loop as unreadable (as they should).
    const loops = join(dir, 'loops');
    mkdirSync(loops);
    symlinkSync('loop-b', join(loops, 'loop-a'));
    symlinkSync('loop-a', join(loops, 'loop-b'));
    const error = (await writeAtomic(join(loops, 'loop-a'), 'x').catch((e: unknown) => e)) as WriteError;
    expect(error.code).toBe('ELOOP');
    expect(lstatSync(join(loops, 'loop-a')).isSymbolicLink()).toBe(true);
  });

  it('removes the temporary file a killed write left, once its process is gone, and only that', async () => {
    const p = join(dir, 'killed.json');
    // A process that exits at once: its pid is then free (a stale temporary file's owner).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const stale = join(dir, `.killed.json.aclc-${dead.stdout}-0badc0de.tmp`);
    const live = join(dir, `.killed.json.aclc-${process.pid}-0000beef.tmp`);
    const other = join(dir, `.other.json.aclc-${dead.stdout}-0badc0de.tmp`);
    for (const t of [stale, live, other]) writeFileSync(t, 'half');
    await writeAtomic(p, 'whole');
    expect(readFileSync(p, 'utf8')).toBe('whole');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});

describe('through dist/aclc.js', () => {
  it('compile -o to a device refuses it and leaves the device node in place', () => {
    const dev = device('full');
    if (!dev) return expect(process.getuid?.()).not.toBe(0); // only root can make a device node
    const r = run(['compile', 'a.acl', '-o', dev]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[ACL0702]');
    expect(r.err).toContain('a character device, not a regular file');
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
  });

  it('compile -o to a FIFO refuses it without blocking', () => {
    const fifo = join(dir, 'out.fifo');
    spawnSync('mkfifo', [fifo]);
    const r = run(['compile', 'a.acl', '-o', fifo]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a FIFO (named pipe), not a regular file');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('compile -o and fmt write through a symbolic link and keep it a link', () => {
    mkdirSync(join(dir, 'linked'));
    writeFileSync(join(dir, 'linked', 'real.acl'), 'group   "g"=everyone\n');
    symlinkSync('real.acl', join(dir, 'linked', 'view.acl'));
    const fmt = run(['fmt', 'linked/view.acl']);
    expect(fmt.code).toBe(0);
    expect(lstatSync(join(dir, 'linked', 'view.acl')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'linked', 'real.acl'), 'utf8')).toBe('group "g" = everyone\n');
    symlinkSync('compiled.json', join(dir, 'out-link.json'));
    const compile = run(['compile', 'a.acl', '-o', 'out-link.json']);
    expect(compile.code).toBe(0);
    expect(lstatSync(join(dir, 'out-link.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'compiled.json'), 'utf8')).groups).toHaveLength(1);
  });
});
