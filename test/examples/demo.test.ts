import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

// The README's first command: every example project deploys to one emulated account side by side (no two declare
// the same app, domain, group or list a neighbour or the seed already has), and a second plan finds nothing.
describe('npm run demo', () => {
  it('deploys every example project to one account and ends with No changes', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'demo.mjs')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stdout).not.toContain('unexpected exit code');
    expect(run.stdout).toMatch(
      /All \d+ example projects are deployed and the account matches the code: No changes\./,
    );
    expect(run.status).toBe(0);
  }, 150_000);
});
