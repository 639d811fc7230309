import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';

/**
 * The edge that reads a git revision for `aclc diff`: the `.acl` files and `aclc.config.json` files of a commit,
 * written into a temporary folder laid out like the repository (a `.git` folder marks its root, as project
 * discovery expects), so the same discovery rules find the same projects there as in the working tree.
 */

/** A revision checked out for reading: `cwd` is the caller's folder inside it. */
export interface Checkout {
  root: string;
  cwd: string;
  dispose(): void;
}

const MAX_BUFFER = 1 << 30;

function git(
  args: string[],
  cwd: string,
  input?: Buffer,
): { ok: true; out: Buffer } | { ok: false; reason: string } {
  const r = spawnSync('git', args, {
    cwd,
    maxBuffer: MAX_BUFFER,
    ...(input ? { input } : {}),
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (r.error)
    return {
      ok: false,
      reason: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : r.error.message,
    };
  if (r.status !== 0) {
    const text = r.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    return { ok: false, reason: text.replace(/^fatal: /, '') || `git exited with code ${r.status}` };
  }
  return { ok: true, out: r.stdout };
}

/** Whether a path of the tree is one discovery reads. */
const wanted = (path: string): boolean => path.endsWith('.acl') || basename(path) === 'aclc.config.json';

/** Check out what discovery needs of `rev` (a commit, branch or tag); `{ error }` says why it cannot. */
export function checkoutRevision(rev: string, cwd: string): Checkout | { error: string } {
  if (rev.startsWith('-')) return { error: 'a revision cannot start with `-`' };
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) return { error: top.reason };
  const toplevel = top.out.toString('utf8').trim();
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd);
  if (!commit.ok) return { error: `\`${rev}\` is not a commit, branch or tag of this repository` };
  const hash = commit.out.toString('utf8').trim();
  const tree = git(['ls-tree', '-r', '-z', '--full-tree', hash], toplevel);
  if (!tree.ok) return { error: tree.reason };
  const blobs: { path: string; object: string }[] = [];
  for (const entry of tree.out.toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, object] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    // Regular files only: a link or submodule in a commit is not followed.
    if (type === 'blob' && (mode === '100644' || mode === '100755') && object && wanted(path))
      blobs.push({ path, object });
  }
  const root = mkdtempSync(join(tmpdir(), 'aclc-diff-'));
  const dispose = () => rmSync(root, { recursive: true, force: true });
  try {
    mkdirSync(join(root, '.git'));
    if (blobs.length > 0) {
      const batch = git(
        ['cat-file', '--batch'],
        toplevel,
        Buffer.from(blobs.map((b) => `${b.object}\n`).join('')),
      );
      if (!batch.ok) {
        dispose();
        return { error: batch.reason };
      }
      let at = 0;
      const out = batch.out;
      for (const blob of blobs) {
        const eol = out.indexOf(10, at);
        const header = out.subarray(at, eol).toString('utf8').split(' ');
        const size = Number(header[2]);
        const body = out.subarray(eol + 1, eol + 1 + size);
        at = eol + 1 + size + 1;
        const file = join(root, ...blob.path.split('/'));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, body);
      }
    }
  } catch (e) {
    dispose();
    return { error: (e as Error).message };
  }
  const inside = relative(realpathSync(toplevel), realpathSync(cwd));
  const here = inside === '' ? root : join(root, ...inside.split(sep));
  mkdirSync(here, { recursive: true });
  return { root, cwd: here, dispose };
}
