import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Account, aclc, BASE } from './harness.js';

/**
 * Where the ledger lives in CI (docs/deploy.md): committed with the code, as examples/ci/deploy.yml does after each
 * apply. Two fresh checkouts of the repository, two "runners", share what aclc created: the second one can prune
 * what the first one created and updates it without a take-over; a checkout without the ledger cannot.
 */

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A bare "GitHub" repository holding the policies, and fresh clones of it, as each CI run checks it out. */
function repository() {
  const root = mkdtempSync(join(tmpdir(), 'aclc-ci-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const origin = join(root, 'origin.git');
  git(root, 'init', '--bare', '-b', 'main', origin);
  const seedDir = join(root, 'seed');
  git(root, 'clone', '-q', origin, seedDir);
  mkdirSync(join(seedDir, 'policies'));
  writeFileSync(join(seedDir, 'policies', 'main.acl'), BASE);
  git(seedDir, 'add', '.');
  git(seedDir, 'commit', '-qm', 'policies');
  git(seedDir, 'push', '-q', 'origin', 'HEAD:main');
  let n = 0;
  return {
    /** A fresh checkout: a new runner. */
    checkout(): string {
      const dir = join(root, `runner-${++n}`);
      git(root, 'clone', '-q', origin, dir);
      return dir;
    },
    /** A pull request merged: the code changes on main. */
    merge(text: string): void {
      const dir = this.checkout();
      writeFileSync(join(dir, 'policies', 'main.acl'), text);
      git(dir, 'commit', '-qam', 'change the policies');
      git(dir, 'push', '-q', 'origin', 'HEAD:main');
    },
    /** The workflow's last step: commit the ledger back. */
    commitLedger(dir: string): void {
      git(dir, 'add', 'policies/.aclc/state.json');
      git(dir, 'commit', '-qm', 'aclc: record the applied state [skip ci]');
      git(dir, 'pull', '-q', '--rebase', 'origin', 'main');
      git(dir, 'push', '-q', 'origin', 'HEAD:main');
    },
  };
}

describe('the ledger committed with the code', () => {
  it('is shared by two fresh checkouts: the second prunes and updates what the first created', async () => {
    const account = await Account.start();
    cleanup.push(() => account.close());
    const env = account.env();
    const repo = repository();

    // Runner 1: plan on merge, apply the saved plan as the workflow does, commit the ledger back.
    const first = repo.checkout();
    expect((await aclc(['plan', 'policies', '--out', 'plan.json'], env, first)).code).toBe(0);
    const applied = await aclc(['apply', 'plan.json', '--state', 'policies/.aclc/state.json'], env, first);
    expect(applied.code).toBe(0);
    repo.commitLedger(first);

    // A merge drops the Contractors policy and changes a group; runner 2 is a fresh checkout.
    const code = BASE.replace('  use "Contractors"\n', '')
      .replace(/policy "Contractors".*\n/, '')
      .replace('country in ("KP", "IR")', 'country in ("KP", "IR", "SY")');
    repo.merge(code);
    const second = repo.checkout();
    expect(existsSync(join(second, 'policies', '.aclc', 'state.json'))).toBe(true);
    const plan = await aclc(
      ['plan', 'policies', '--prune', '--out', 'plan.json', '--width', '200'],
      env,
      second,
    );
    expect(plan.code).toBe(0);
    expect(plan.out).toContain('- policy "Contractors"');
    expect(plan.out).toContain('~ group "Sanctioned"');
    expect(plan.err).not.toContain('ACL0832'); // no take-over: runner 1 created it
    const pruned = await aclc(['apply', 'plan.json', '--state', 'policies/.aclc/state.json'], env, second);
    expect(pruned.code).toBe(0);
    expect(account.names('policies')).not.toContain('Contractors');
    repo.commitLedger(second);

    // A checkout that lost the ledger proves nothing: it deletes nothing and would have to take objects over.
    repo.merge(code.replace('"SY")', '"SY", "CU")'));
    const third = repo.checkout();
    rmSync(join(third, 'policies', '.aclc'), { recursive: true });
    const blind = await aclc(['plan', 'policies', '--prune'], env, third);
    expect(blind.code).toBe(0);
    expect(blind.err).toContain('warning[ACL0832]: group `Sanctioned`');
  });
});
