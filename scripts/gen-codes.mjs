#!/usr/bin/env node
// Writes docs/codes.md from the diagnostics catalog and the lint rule registry (src/rule-docs). A test fails when the
// file is out of date. Usage: npm run docs:codes
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundled = await build({
  entryPoints: [join(root, 'src', 'rule-docs', 'index.ts')],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'warning',
});
const code = bundled.outputFiles[0].text;
const { renderCodesMarkdown } = await import(
  `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
);
writeFileSync(join(root, 'docs', 'codes.md'), renderCodesMarkdown());
process.stderr.write('docs:codes: wrote docs/codes.md\n');
