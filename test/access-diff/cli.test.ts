import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aclc } from '../integration/harness.js';
import { WIKI_AFTER, WIKI_BEFORE } from './helpers.js';

/** A git repository whose HEAD holds WIKI_BEFORE and whose working tree holds WIKI_AFTER. */
const repo = mkdtempSync(join(tmpdir(), 'aclc-diff-'));
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });
git('init', '-q');
writeFileSync(join(repo, 'wiki.acl'), WIKI_BEFORE);
git('add', '.');
git('commit', '-qm', 'before');
writeFileSync(join(repo, 'wiki.acl'), WIKI_AFTER);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const ENV = { NO_COLOR: '1' };

describe('aclc diff', () => {
  for (const format of ['human', 'json', 'markdown', 'github'] as const) {
    it(`says who gains and loses access, HEAD against the working tree (${format})`, async () => {
      const r = await aclc(['diff', '--format', format], ENV, repo);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      await expect(r.out).toMatchFileSnapshot(
        `golden/wiki.${format === 'markdown' ? 'md' : `${format}.txt`}`,
      );
    });
  }

  it('fails on widening with --fail-on-widen, naming the app, a description and a witness', async () => {
    const r = await aclc(['diff', 'HEAD', '--fail-on-widen'], ENV, repo);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[ACL0893]: the change widens access to app `Wiki`');
    expect(r.err).toContain('e.g. `user@example.org` from FR');
    expect(r.err).toContain('--> wiki.acl:3:5');
  });

  it('does not fail on narrowing, and proves a revision against itself unchanged', async () => {
    const back = await aclc(['diff', 'HEAD', 'HEAD', '--fail-on-widen'], ENV, repo);
    expect(back.code).toBe(0);
    expect(back.out).toBe(
      'Access changes (HEAD → HEAD):\n\nNo access changes: every app is written alike in HEAD and HEAD.\n',
    );
  });

  it('fails on widening a sensitive app (sensitiveApps in aclc.config.json) without the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aclc-diff-dirs-'));
    try {
      const narrower = WIKI_BEFORE.replace('login_method(okta)', 'login_method(okta) and auth_method("mfa")');
      for (const [name, text] of [
        ['old', WIKI_BEFORE],
        ['new', WIKI_AFTER],
        ['mfa', narrower],
      ] as const) {
        mkdirSync(join(dir, name));
        writeFileSync(join(dir, name, 'wiki.acl'), text);
        writeFileSync(join(dir, name, 'aclc.config.json'), '{ "sensitiveApps": ["Wi*"] }\n');
      }
      const r = await aclc(['diff', 'old', 'new'], ENV, dir);
      expect(r.code).toBe(1);
      expect(r.out).toContain('Access changes (old → new):');
      expect(r.err).toContain('error[ACL0894]: the change widens access to sensitive app `Wiki`');
      const narrowing = await aclc(['diff', 'old', 'mfa'], ENV, dir);
      expect(narrowing.code).toBe(0);
      expect(narrowing.err).toBe('');
      expect(narrowing.out).toContain('who would lose access (allow → denied)');
      expect(narrowing.out).toMatch(/signs in without\s+`mfa`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a revision that does not exist as a usage error', async () => {
    const r = await aclc(['diff', 'no-such-rev'], ENV, repo);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error[ACL0890]: cannot read revision `no-such-rev`');
  });

  it('reports a side that does not compile, naming it', async () => {
    writeFileSync(join(repo, 'broken.acl'), 'app "X" {\n');
    try {
      const r = await aclc(['diff'], ENV, repo);
      expect(r.code).toBe(1);
      expect(r.err).toContain('error[ACL0891]: the project `.` has errors in `working tree`');
    } finally {
      rmSync(join(repo, 'broken.acl'));
    }
  });

  it('compares every project of the repository, shows those that compile and fails on one that does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aclc-diff-many-'));
    const run = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir });
    try {
      const file = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      run('init', '-q');
      file('wiki/wiki.acl', WIKI_BEFORE);
      file('broken/x.acl', 'app "X" {\n');
      file(
        'same/s.acl',
        'app "S" {\n  domain "s.example.com"\n  allow "Root" if email("root@example.com")\n}\n',
      );
      run('add', '.');
      run('commit', '-qm', 'before');
      file('wiki/wiki.acl', WIKI_AFTER);
      file('broken/x.acl', 'app "X" {\n  domain\n');
      file(
        'new/n.acl',
        'app "N" {\n  domain "n.example.com"\n  allow "Root" if email("root@example.com")\n}\n',
      );
      const r = await aclc(['diff'], ENV, dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain('error[ACL0891]: the project `broken` has errors in `HEAD`');
      expect(r.err).toContain('error[ACL0891]: the project `broken` has errors in `working tree`');
      expect(r.out).toContain('app "N" (in new) — new app');
      expect(r.out).toContain('app "Wiki" (in wiki)\n    + who would gain access (denied → allow):');
      expect(r.out).not.toContain('"S"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
