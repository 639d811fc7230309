import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

// Installs the package the way users will: `npm pack`, then `npm install <tarball>` into an empty folder.
describe('the packed tarball installs and runs', () => {
  it('runs `npx aclc --version` and `npx aclc compile` from a clean folder', () => {
    const work = mkdtempSync(join(tmpdir(), 'aclc-pack-'));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
    // --ignore-scripts: `prepare` already ran in this tree (npm test builds first), so pack only archives dist/.
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work, ...quiet], {
      cwd: root,
      stdio: 'pipe',
    });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), '{"name":"consumer","private":true}');
    execFileSync(npm, ['install', join(work, tarball as string), ...quiet], {
      cwd: app,
      stdio: 'pipe',
      timeout: 240_000,
    });

    const version = spawnSync('npx', ['--no-install', 'aclc', '--version'], { cwd: app, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    writeFileSync(
      join(app, 'policies.acl'),
      'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if email_domain("Example.com")\n}\n',
    );
    const compiled = spawnSync('npx', ['--no-install', 'aclc', 'compile'], { cwd: app, encoding: 'utf8' });
    // npm itself may warn about the machine's npm configuration; aclc must print nothing on stderr.
    expect(compiled.stderr.split('\n').filter((l) => l && !l.startsWith('npm warn'))).toEqual([]);
    expect(compiled.status).toBe(0);
    const doc = JSON.parse(compiled.stdout);
    expect(doc.policies[0].include).toEqual([{ email_domain: { domain: 'example.com' } }]);
  }, 300_000);
});
