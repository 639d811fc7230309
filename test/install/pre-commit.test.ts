import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'aclc-pre-commit-'));

/** Run a command with no stdin; its output is returned and shown in the failure message when it fails. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 300_000) {
  const r = spawnSync(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout,
  });
  const output = `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  return { status: r.status, output };
}

function mustRun(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = run(cmd, args, cwd, env);
  if (r.status !== 0) throw new Error(`command failed (exit ${r.status}):\n${r.output}`);
  return r.output;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

// The hooks in .pre-commit-hooks.yaml, installed the way a user's machine does it: pre-commit from the Python
// registry in a fresh virtual environment, this repository (its committed HEAD) as the hook repository, a new git
// repository whose commits the hook checks. Not skippable: without python3 the test fails and says so.
describe('the pre-commit hook installs and runs', () => {
  it('fails a commit of a bad .acl file and passes a good one', () => {
    const python = run('python3', ['--version'], work);
    if (python.status !== 0)
      throw new Error(
        `python3 is needed to install pre-commit (the Python registry); install it:\n${python.output}`,
      );

    const venv = join(work, 'venv');
    mustRun('python3', ['-m', 'venv', venv], work);
    const pip = join(venv, 'bin', 'pip');
    mustRun(pip, ['install', '--disable-pip-version-check', '--quiet', 'pre-commit>=3'], work, {
      PIP_RETRIES: process.env.PIP_RETRIES ?? '1',
    });
    const preCommit = join(venv, 'bin', 'pre-commit');
    expect(mustRun(preCommit, ['--version'], work)).toMatch(/pre-commit [34]\./);

    const rev = mustRun('git', ['rev-parse', 'HEAD'], root).split('\n')[1]?.trim() as string;
    expect(rev).toMatch(/^[0-9a-f]{40}$/);
    const repo = join(work, 'repo');
    mkdirSync(repo);
    const env = { PRE_COMMIT_HOME: join(work, 'cache'), GIT_TERMINAL_PROMPT: '0' };
    const git = (...args: string[]) =>
      run('git', ['-c', 'user.name=aclc test', '-c', 'user.email=test@example.com', ...args], repo, env);
    mustRun('git', ['init', '--quiet'], repo);
    writeFileSync(
      join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${root}\n    rev: ${rev}\n    hooks:\n      - id: aclc-lint\n`,
    );
    mustRun(preCommit, ['install'], repo, env);
    mustRun(preCommit, ['install-hooks'], repo, env);

    writeFileSync(join(repo, 'policies.acl'), 'policy "Staff" allow if emial("a@example.com")\n');
    expect(git('add', '.').status).toBe(0);
    const bad = git('commit', '--quiet', '-m', 'bad');
    expect(bad.status, bad.output).not.toBe(0);
    expect(bad.output).toContain('aclc lint');
    expect(bad.output).toContain('unknown selector `emial`');

    writeFileSync(join(repo, 'policies.acl'), 'policy "Staff" allow if email("a@example.com")\n');
    expect(git('add', '.').status).toBe(0);
    const good = git('commit', '--quiet', '-m', 'good');
    expect(good.status, good.output).toBe(0);
    expect(git('log', '--oneline').output).toContain('good');
  }, 600_000);
});
