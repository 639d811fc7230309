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
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  define: { ACLC_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __aclcCreateRequire } from 'node:module';\nconst require = __aclcCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
