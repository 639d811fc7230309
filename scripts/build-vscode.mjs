// Build the VS Code extension in editors/vscode: bundle its client (vscode-languageclient included, `vscode` left to
// the editor) with esbuild, then package a `.vsix` with @vscode/vsce. Prints the path of the `.vsix`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extension = join(root, 'editors', 'vscode');
const out = join(extension, 'dist');
const manifest = JSON.parse(readFileSync(join(extension, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(extension, 'src', 'extension.ts')],
  outfile: join(out, 'extension.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const vsix = join(out, `${manifest.name}-${manifest.version}.vsix`);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsix], {
  cwd: extension,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (result.status !== 0) {
  process.stderr.write(result.stdout + result.stderr);
  process.exit(1);
}
process.stdout.write(`${vsix}\n`);
