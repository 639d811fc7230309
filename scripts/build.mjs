// Build: generate the standalone schema validators, then bundle the CLI with esbuild: `dist/aclc.js` (the bin) plus
// chunks in `dist/chunks/` that each command loads when it runs, so `aclc lint` or `aclc compile` never parses the
// HTTP client, the emulator, deploy or import code.
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// esbuild from the checkout, or from the side folder `scripts/prepare.mjs` installs it to for a git install.
const tools = process.env.ACLC_BUILD_TOOLS;
const { build } = tools
  ? await import(pathToFileURL(createRequire(join(tools, 'package.json')).resolve('esbuild')).href)
  : await import('esbuild');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dist = join(root, 'dist');

const generator = join(root, 'scripts', 'gen-validators.mjs');
if (existsSync(generator)) await import(generator);

// The entry is a few lines: it turns on Node's module compile cache (Node ≥ 22.1; a no-op elsewhere) before the
// rest of the CLI is loaded, so later runs skip most of V8's parsing and compiling.
const entry = `
import * as nodeModule from 'node:module';
try {
  nodeModule.enableCompileCache?.();
} catch {}
await import(${JSON.stringify(join(root, 'src', 'cli', 'bin.ts'))});
`;

// Chunk names carry a content hash: clear the old ones so the folder holds exactly one build.
rmSync(join(dist, 'chunks'), { recursive: true, force: true });

await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'aclc-entry.js', loader: 'js' },
  outdir: dist,
  entryNames: 'aclc',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  // Loaded from node_modules at run time: it reads its WebAssembly (main.wasm.gz) next to its own files, and only
  // `aclc import --from-terraform` with `.tf` files loads it.
  external: ['@cdktf/hcl2json'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Smaller code compiles faster: start-up time is a feature of a pre-commit hook.
  minify: true,
  keepNames: false,
  legalComments: 'none',
  define: { ACLC_VERSION: JSON.stringify(pkg.version) },
  banner: {
    // Bundled CommonJS dependencies expect require, __filename and __dirname (in every chunk: each is a module).
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

// `npm ci` links the bin before `prepare` builds it, so the file must be made executable here.
chmodSync(join(dist, 'aclc.js'), 0o755);
