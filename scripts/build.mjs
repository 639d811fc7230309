// Build: generate the standalone schema validators, then bundle the CLI into one file with esbuild.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const generator = join(root, 'scripts', 'gen-validators.mjs');
if (existsSync(generator)) await import(generator);

await build({
  entryPoints: [join(root, 'src', 'cli', 'bin.ts')],
  outfile: join(root, 'dist', 'aclc.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Smaller code compiles faster: start-up time is a feature of a pre-commit hook.
  minify: true,
  keepNames: false,
  legalComments: 'none',
  define: { ACLC_VERSION: JSON.stringify(pkg.version) },
  banner: {
    // Bundled CommonJS dependencies expect require, __filename and __dirname.
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __aclcCreateRequire } from 'node:module';",
      "import { fileURLToPath as __aclcFileURLToPath } from 'node:url';",
      'const require = __aclcCreateRequire(import.meta.url);',
      'const __filename = __aclcFileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join('\n'),
  },
  logLevel: 'warning',
});
