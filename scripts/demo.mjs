// `npm run demo`: compile every example project with the built CLI and show the output.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'aclc.js');
const examples = join(root, 'examples');

let failed = 0;
for (const name of readdirSync(examples).sort()) {
  const dir = join(examples, name);
  if (!statSync(dir).isDirectory() || name === 'broken' || name === 'ci') continue;
  process.stdout.write(`\n━━ aclc compile examples/${name} ━━\n`);
  const run = spawnSync(process.execPath, [cli, 'compile', join('examples', name)], {
    cwd: root,
    encoding: 'utf8',
  });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) failed++;
}
process.stdout.write(`\n━━ aclc compile examples/broken (expected to fail with diagnostics) ━━\n`);
const broken = spawnSync(process.execPath, [cli, 'compile', join('examples', 'broken', 'typos.acl')], {
  cwd: root,
  encoding: 'utf8',
});
process.stdout.write(broken.stderr);
process.stdout.write(`exit code ${broken.status}\n`);
process.exitCode = failed > 0 ? 1 : 0;
