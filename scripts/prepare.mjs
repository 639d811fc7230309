// `npm prepare`: build dist/ from a checkout, wherever npm runs it. Prints nothing on stdout (pre-commit 3 reads the
// tarball name from `npm pack`'s stdout, and `prepare` runs inside `npm pack`).
//
// A git install (`npm install -g git+…`, which is what pre-commit ≥ 4 does for a `language: node` hook) runs
// `prepare` in a fresh clone with the caller's global configuration, so the clone has no node_modules and the build
// tools cannot be imported. Then this script installs what the build needs into the clone first (from the npm
// registry, scripts off) and builds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** Whether every package the build imports resolves from this checkout. */
function buildToolsPresent() {
  for (const name of ['esbuild', 'ajv', 'ajv-formats', 'chevrotain', 'commander']) {
    try {
      require.resolve(name);
    } catch {
      return false;
    }
  }
  return true;
}

/** Run npm in `cwd` for this checkout alone, its output on stderr; exit on failure. */
function npm(args, cwd) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // The caller's `-g` and `--omit=dev` must not apply to this local install.
    if (/^npm_config_(global|location|prefix|omit|production|only|include)$/i.test(key)) delete env[key];
  }
  const bin = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const common = ['--global=false', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const result = spawnSync(bin, [...args, ...common], {
    cwd,
    env,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    process.stderr.write(
      `aclc prepare: npm ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})\n`,
    );
    process.exit(1);
  }
}

if (!buildToolsPresent()) {
  // Only what the build needs: the locked runtime dependencies (bundled into dist/) and esbuild, which goes to a
  // side folder so the dev tools (TypeScript, vitest, biome) are never downloaded for an install.
  process.stderr.write('aclc prepare: installing the runtime dependencies and esbuild to build dist/\n');
  npm(
    existsSync(join(root, 'package-lock.json'))
      ? ['ci', '--omit=dev']
      : ['install', '--no-save', '--omit=dev'],
    root,
  );
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const tools = join(root, 'node_modules', '.aclc-build-tools');
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, 'package.json'), '{"private":true}\n');
  npm(['install', '--no-save', '--no-package-lock', `esbuild@${pkg.devDependencies.esbuild}`], tools);
  process.env.ACLC_BUILD_TOOLS = tools;
}

await import('./build.mjs');
