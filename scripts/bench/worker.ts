// One benchmark measurement in a fresh process, so peak RSS belongs to this size alone.
// Usage: node worker.js <policies> [perApp]; prints one JSON line.
import { compileProject } from '../../src/compiler/compile.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseFile } from '../../src/parser/index.js';
import { resolveProject } from '../../src/resolve/index.js';
import { generateProject } from './generate.js';

const policies = Number(process.argv[2] ?? 1000);
const perApp = Number(process.argv[3] ?? 10);
const text = generateProject(policies, perApp);
const file = new SourceFile('bench.acl', text);

const t0 = performance.now();
const parsed = parseFile(file);
const t1 = performance.now();
const resolved = resolveProject([parsed.value]);
const compiled = compileProject(resolved.value);
const t2 = performance.now();

const errors = [...parsed.diagnostics, ...resolved.diagnostics, ...compiled.diagnostics].filter(
  (d) => d.severity === 'error',
);
process.stdout.write(
  `${JSON.stringify({
    policies,
    bytes: text.length,
    parseMs: t1 - t0,
    compileMs: t2 - t1,
    totalMs: t2 - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    errors: errors.length,
    firstError: errors[0]?.message,
  })}\n`,
);
