// Lint and fmt measurements, each in a fresh process so peak RSS belongs to it. Prints one JSON line.
// Usage:
//   node lint-worker.js full [policies=10000] [perApp=10]   parse + resolve + full lint of one project
//   node lint-worker.js scaling                             lint time of one app with 10, 100, 1,000 policies
//   node lint-worker.js fmt [policies=10000]                formatSource on 1/10 and all of `policies`
//   node lint-worker.js shape <name> <size>                 parse + resolve + full lint of one hang shape
import { SourceFile } from '../../src/diagnostics/source.js';
import { formatSource } from '../../src/fmt/print.js';
import { lintProject } from '../../src/lint/run.js';
import { analyzeSources } from '../../src/pipeline.js';
import { generateProject } from './generate.js';
import { bigApp, equivalentPolicies, groupChain, manyPolicies, nestedGroups, orChain } from './shapes.js';

const mode = process.argv[2] ?? 'full';
const rss = () => process.resourceUsage().maxRSS / 1024;

function lintOnce(text: string) {
  const t0 = performance.now();
  const analyzed = analyzeSources([new SourceFile('bench.acl', text)]);
  const t1 = performance.now();
  let engine: { steps: number; questions: number } | undefined;
  const result = lintProject(
    {
      files: analyzed.files,
      asts: analyzed.asts,
      project: analyzed.project,
      diagnostics: analyzed.diagnostics,
    },
    {},
    { onStats: (s) => (engine = { steps: s.steps, questions: s.questions }) },
  );
  const t2 = performance.now();
  const counts: Record<string, number> = {};
  for (const d of result.diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
  return { frontMs: t1 - t0, lintMs: t2 - t1, totalMs: t2 - t0, findings: counts, engine };
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}

let out: Record<string, unknown>;
if (mode === 'full') {
  const policies = Number(process.argv[3] ?? 10_000);
  const perApp = Number(process.argv[4] ?? 10);
  const text = generateProject(policies, perApp);
  const r = lintOnce(text);
  out = { mode, policies, perApp, bytes: text.length, ...r, maxRssMb: rss() };
} else if (mode === 'scaling') {
  // One app of n policies (plus the generator's shared groups and reusable policies); median of a few runs.
  const points = [10, 100, 1000].map((n) => {
    const text = generateProject(n, n);
    const runs = n >= 1000 ? 3 : 7;
    const times = Array.from({ length: runs }, () => lintOnce(text).lintMs);
    return { policiesPerApp: n, lintMs: median(times) };
  });
  const [a, b, c] = points as [(typeof points)[0], (typeof points)[0], (typeof points)[0]];
  // Growth exponent between successive sizes: 1 is linear, 2 quadratic.
  const exponent = (x: number, y: number) => Math.log(y / x) / Math.log(10);
  out = {
    mode,
    points,
    exponent10to100: exponent(a.lintMs, b.lintMs),
    exponent100to1000: exponent(b.lintMs, c.lintMs),
    maxRssMb: rss(),
  };
} else if (mode === 'fmt') {
  const policies = Number(process.argv[3] ?? 10_000);
  const points = [Math.round(policies / 10), policies].map((n) => {
    const file = new SourceFile('bench.acl', generateProject(n, 10));
    formatSource(file); // warm-up
    const times = Array.from({ length: 5 }, () => {
      const t = performance.now();
      formatSource(new SourceFile('bench.acl', file.text));
      return performance.now() - t;
    });
    return { policies: n, bytes: file.text.length, fmtMs: median(times) };
  });
  const [small, large] = points as [(typeof points)[0], (typeof points)[0]];
  out = { mode, points, exponent: Math.log(large.fmtMs / small.fmtMs) / Math.log(10), maxRssMb: rss() };
} else if (mode === 'shape') {
  const shapes: Record<string, (n: number) => string> = {
    nested: nestedGroups,
    'big-app': bigApp,
    chain: groupChain,
    policies: manyPolicies,
    'or-chain': orChain,
    equivalent: equivalentPolicies,
  };
  const name = process.argv[3] ?? 'nested';
  const size = Number(process.argv[4] ?? 10);
  const make = shapes[name];
  if (!make) throw new Error(`unknown shape \`${name}\``);
  const text = make(size);
  out = { mode, name, size, bytes: text.length, ...lintOnce(text), maxRssMb: rss() };
} else {
  process.stderr.write(`lint-worker: unknown mode \`${mode}\` (full, scaling, fmt, shape)\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
