// `npm run bench`: measures aclc and prints a table. Figures are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'aclc-bench-'));
const cli = join(root, 'dist', 'aclc.js');

await build({
  entryPoints: [
    'worker.ts',
    'generate.ts',
    'lint-worker.ts',
    'deploy-worker.ts',
    'lsp-worker.ts',
    'test-worker.ts',
    'access-diff-worker.ts',
  ].map((f) => join(root, 'scripts', 'bench', f)),
  outdir: work,
  bundle: true,
  // As in the CLI's build: only `aclc import --from-terraform` of `.tf` files loads it (no worker does), and it reads
  // its WebAssembly next to its own files, so it cannot be bundled.
  external: ['@cdktf/hcl2json'],
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: {
    // Bundled CommonJS dependencies (write-file-atomic among them) expect require and __filename, as in dist/.
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fu } from 'node:url';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fu(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join('\n'),
  },
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timeCommand(args, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0 && r.status !== 1)
      throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}
const row = (cells) => `| ${cells.join(' | ')} |`;
const fmt = (n, digits = 1) => n.toFixed(digits);

const { generateProject } = await import(join(work, 'generate.js'));
const small = join(work, 'small.acl');
writeFileSync(small, generateProject(10, 10));

const runs = 15;
const nodeBaseline = timeCommand(['-e', '0'], runs);
const coldCompile = timeCommand([cli, 'compile', small, '-o', join(work, 'out.json')], runs);
const coldLint = timeCommand([cli, 'lint', small], runs);
const coldTest = timeCommand([cli, 'test', join(root, 'examples', 'admin-portal')], runs);
const large = join(work, 'large.acl');
writeFileSync(large, generateProject(10000, 10));
const coldFmtWrite = timeCommand([cli, 'fmt', large], 1); // rewrites the generated file into canonical form
const coldFmt = timeCommand([cli, 'fmt', '--check', large], 5);

const lines = [];
lines.push('## Cold start (median of 15 runs)', '');
lines.push(row(['command', 'ms', 'ratio to `node -e 0`', 'target']), row(['---', '---:', '---:', '---']));
lines.push(row(['`node -e 0`', fmt(nodeBaseline), '1.00', '']));
lines.push(
  row(['`aclc compile` one small file', fmt(coldCompile), fmt(coldCompile / nodeBaseline, 2), '≤ 2.5×']),
  row(['`aclc lint` one small file', fmt(coldLint), fmt(coldLint / nodeBaseline, 2), '≤ 2.5×']),
  row([
    '`aclc test` one small project (examples/admin-portal)',
    fmt(coldTest),
    fmt(coldTest / nodeBaseline, 2),
    '',
  ]),
  row(['`aclc fmt` 10,000 policies, rewriting (whole CLI)', fmt(coldFmtWrite), '', '< 500 ms']),
  row(['`aclc fmt --check` 10,000 formatted policies (whole CLI)', fmt(coldFmt), '', '< 500 ms']),
);

lines.push('', '## Parse, resolve + compile (one process per size)', '');
lines.push(
  row(['policies', 'source MB', 'parse ms', 'resolve+compile ms', 'total ms', 'policies/s', 'peak RSS MB']),
  row(['---:', '---:', '---:', '---:', '---:', '---:', '---:']),
);
const notes = new Set();
for (const n of [1000, 10000, 100000]) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', join(work, 'worker.js'), String(n)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    lines.push(row([String(n), 'failed', r.stderr.split('\n')[0] ?? '', '', '', '', '']));
    continue;
  }
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  if (m.errors)
    notes.add(`N = ${n}: ${m.firstError} (reported by the compiler; the measurement covers the whole run)`);
  lines.push(
    row([
      String(n),
      fmt(m.bytes / 1e6, 2),
      fmt(m.parseMs),
      fmt(m.compileMs),
      fmt(m.totalMs),
      String(Math.round((n / m.totalMs) * 1000)),
      fmt(m.maxRssMb),
    ]),
  );
}
if (notes.size > 0) lines.push('', ...[...notes].map((n) => `Note: ${n}`));
lines.push(
  '',
  'Targets: 10,000 policies parsed and compiled in < 300 ms with < 300 MB peak RSS; time linear in N.',
);

function worker(file, args) {
  const r = spawnSync(process.execPath, [join(work, file), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) return { error: (r.stderr || 'failed').split('\n')[0] };
  // Workers print one JSON document (on one line or pretty-printed) as their last output.
  const text = r.stdout.trim();
  return JSON.parse(text.startsWith('{') ? text : text.slice(text.lastIndexOf('\n{') + 1));
}
const full = worker('lint-worker.js', ['full', '10000', '10']);
const scaling = worker('lint-worker.js', ['scaling']);
const fmtRun = worker('lint-worker.js', ['fmt', '10000']);
lines.push('', '## Lint and fmt (one process each)', '');
lines.push(row(['measure', 'result', 'target']), row(['---', '---', '---']));
lines.push(
  row([
    '10,000 policies / 1,000 apps: parse + resolve + full lint',
    full.error
      ? `failed: ${full.error}`
      : `${fmt(full.totalMs)} ms (front ${fmt(full.frontMs)} + lint ${fmt(full.lintMs)}), peak RSS ${fmt(full.maxRssMb)} MB`,
    '< 1,500 ms, < 500 MB',
  ]),
  row([
    'lint time of one app at 10 / 100 / 1,000 policies',
    scaling.error
      ? `failed: ${scaling.error}`
      : `${scaling.points.map((p) => fmt(p.lintMs)).join(' / ')} ms (growth exponent ${fmt(scaling.exponent10to100, 2)}, ${fmt(scaling.exponent100to1000, 2)})`,
    'exponent ≤ 2',
  ]),
  row([
    '`formatSource` at 1,000 / 10,000 policies (warm)',
    fmtRun.error
      ? `failed: ${fmtRun.error}`
      : `${fmtRun.points.map((p) => fmt(p.fmtMs)).join(' / ')} ms (growth exponent ${fmt(fmtRun.exponent, 2)})`,
    '< 500 ms, linear',
  ]),
);

// Shapes that once hung the linter or overflowed its stack (issue 12, issue 15): each size in a fresh process.
lines.push('', '## Lint of pathological shapes (parse + resolve + full lint, one process each)', '');
lines.push(
  row(['shape', 'size', 'front ms', 'lint ms', 'engine questions / BDD steps', 'findings']),
  row(['---', '---:', '---:', '---:', '---:', '---']),
);
for (const [name, label, sizes] of [
  ['nested', 'groups each using the one below twice (depth)', [10, 20, 30, 60, 120]],
  ['big-app', 'one app, mixed decisions, `everyone` early (policies)', [1000, 5000, 10000]],
  ['chain', 'chain of groups each using the next (groups)', [1000, 5000]],
  ['policies', '`equivalent-policies` over reusable policies (policies)', [1000, 10000]],
  ['equivalent', 'reusable policies all equivalent, written two ways (policies)', [1000, 10000]],
  ['or-chain', '`or` of email terms (terms)', [10000, 50000, 130000]],
]) {
  for (const size of sizes) {
    const m = worker('lint-worker.js', ['shape', name, String(size)]);
    const found = m.error
      ? `failed: ${m.error}`
      : Object.entries(m.findings)
          .map(([code, n]) => `${code} ×${n}`)
          .join(', ');
    lines.push(
      row([
        label,
        String(size),
        m.error ? '' : fmt(m.frontMs),
        m.error ? '' : fmt(m.lintMs),
        m.engine ? `${m.engine.questions} / ${m.engine.steps}` : '',
        found,
      ]),
    );
  }
}
lines.push(
  '',
  'Target: every shape, at every size, linted within seconds (findings or an `analysis-incomplete` note).',
);

// The language server over stdio, as an editor drives it.
const lsp = worker('lsp-worker.js', [cli, '1000']);
lines.push('', '## Language server (`aclc lsp` over stdio, one project of 1,000 policies in one file)', '');
lines.push(row(['measure', 'result', 'target']), row(['---', '---', '---']));
if (lsp.error) lines.push(row(['language server', `failed: ${lsp.error}`, '']));
else
  lines.push(
    row([
      'server start to first diagnostics (spawn, initialize, open)',
      `${fmt(lsp.startToFirstMs)} ms (full analysis ${fmt(lsp.startToFullMs)} ms)`,
      '< 500 ms',
    ]),
    row([
      'syntax diagnostics after an edit (median of 15, each after a pause)',
      `${fmt(lsp.syntaxMs)} ms`,
      '< 30 ms',
    ]),
    row([
      `full semantic diagnostics after an edit, ${lsp.findings} findings (median of 15, each after a pause: analysed at once)`,
      `${fmt(lsp.semanticMs)} ms`,
      '< 300 ms',
    ]),
    row([
      'full semantic diagnostics after the last of 6 edits 50 ms apart (median of 9, 150 ms debounce included)',
      `${fmt(lsp.typingSemanticMs)} ms`,
      '< 300 ms',
    ]),
    row(['completion after `if ` (median of 20)', `${fmt(lsp.completionMs)} ms`, '< 20 ms']),
    row(['hover (median of 10)', `${fmt(lsp.hoverMs)} ms`, '']),
    row([
      'heap after the first edit / after 1,000 more',
      `${fmt(lsp.heapAfterFirstMb)} / ${fmt(lsp.heapAfter1000Mb)} MB (RSS ${fmt(lsp.rssAfterFirstMb)} / ${fmt(lsp.rssAfter1000Mb)} MB; ${lsp.fullRunsFor1000Edits} full runs for 1,000 edits)`,
      'no growth',
    ]),
  );

// `aclc test` at scale (one process): 1,000 apps × 10 policies, 10,000 examples, 100 invariants.
const testRun = worker('test-worker.js', []);
lines.push('', '## aclc test', '');
lines.push(row(['measure', 'result', 'target']), row(['---', '---', '---']));
lines.push(
  row([
    '1,000 apps × 10 policies, 10,000 examples + 100 invariants: parse, compile, run',
    testRun.error
      ? `failed: ${testRun.error}`
      : `${fmt(testRun.totalMs)} ms (front + compile + test parse ${fmt(testRun.prepareMs)}, tests ${fmt(testRun.runMs)}); ` +
        `${testRun.examplesPassed}/${testRun.examples} examples, ${testRun.invariantsPassed}/${testRun.invariants} invariants pass; peak RSS ${fmt(testRun.maxRssMb)} MB`,
    '< 3,000 ms',
  ]),
);

// The access diff (issue 8): 500 apps × 5 policies, 50 of them changed; the engine alone, in one process.
const diffRun = worker('access-diff-worker.js', []);
lines.push('', '## Access diff', '');
lines.push(row(['measure', 'result', 'target']), row(['---', '---', '---']));
lines.push(
  row([
    '500 apps × 5 policies, 50 policies changed: who gains / loses access, with descriptions and checked witnesses',
    diffRun.error
      ? `failed: ${diffRun.error}`
      : `${fmt(diffRun.medianMs)} ms median of 5 (first ${fmt(diffRun.firstMs)} ms); ${diffRun.analysed} apps analysed, ` +
        `${diffRun.identical} identical; ${diffRun.gains} gains, ${diffRun.losses} losses, ${diffRun.undecided} undecided; peak RSS ${fmt(diffRun.maxRssMb)} MB`,
    '< 2,000 ms',
  ]),
);

// Large inputs through the whole CLI (issues #12 and #15): one long line, one huge line, many files.
function measureCli(args, cwd) {
  const t = process.hrtime.bigint();
  // GNU time, where installed, adds the peak RSS.
  const [command, prefix] = existsSync('/usr/bin/time')
    ? ['/usr/bin/time', ['-f', '%M', process.execPath]]
    : [process.execPath, []];
  const r = spawnSync(command, [...prefix, cli, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  // GNU time prints the peak RSS (KB) as the last line of stderr; without it, no figure.
  const lastLine = r.stderr.trimEnd().split('\n').pop() ?? '';
  const rssMb = /^\d+$/.test(lastLine) ? Number(lastLine) / 1024 : undefined;
  const output =
    (r.stdout?.length ?? 0) + (r.stderr?.length ?? 0) - (rssMb === undefined ? 0 : lastLine.length + 1);
  return { ms, exit: r.status, output, rssMb };
}
const largeDir = (name) => {
  const d = join(work, name);
  mkdirSync(d);
  return d;
};
const oneLine = largeDir('one-line');
{
  const terms = Array.from({ length: 9000 }, (_, i) => `group("x${i}")`).join(' or ');
  writeFileSync(
    join(oneLine, 'p.acl'),
    `${`policy "p" allow if ${terms}`.slice(0, 100_000).replace(/ or [^ ]*$/, '')}\n`,
  );
}
const hugeLine = largeDir('ten-mb-line');
writeFileSync(join(hugeLine, 'p.acl'), `group "g" = email_domain("example.com")${' '.repeat(10_000_000)}@\n`);
const many = largeDir('many');
for (let i = 0; i < 20_000; i++)
  writeFileSync(
    join(many, `f${String(i).padStart(5, '0')}.acl`),
    `group "g${i}" = email("u${i}@example.com")\n`,
  );
const fiveMb = largeDir('five-mb-policies');
writeFileSync(join(fiveMb, 'p.acl'), generateProject(60_000, 10)); // about 5 MB
const tenMb = largeDir('ten-mb-policies');
writeFileSync(join(tenMb, 'p.acl'), generateProject(120_000, 10)); // about 10 MB
// 20,000 groups, each under a suppression: one it needs (a finding to match) and one it does not (a fix to apply).
const suppressedGroups = (rule) =>
  Array.from(
    { length: 20_000 },
    (_, i) => `# aclc-disable-next-line ${rule} -- bench\ngroup "g${i}" = email("u${i}@example.com")\n`,
  ).join('');
const suppressed = largeDir('suppressed');
writeFileSync(join(suppressed, 'p.acl'), suppressedGroups('unused-group'));
const unusedSuppressions = largeDir('unused-suppressions');
writeFileSync(join(unusedSuppressions, 'p.acl'), suppressedGroups('shadowed-policy'));
// 10,000 unknown groups among 10,000 declared ones ("did you mean" for each).
const misspelt = largeDir('misspelt');
writeFileSync(
  join(misspelt, 'p.acl'),
  `${Array.from({ length: 10_000 }, (_, i) => `group "team-${i}" = country("US")`).join('\n')}\npolicy "p" allow if ${Array.from({ length: 10_000 }, (_, i) => `group("tem-${i}")`).join(' or ')}\n`,
);
// 5,000 files under a configuration of 200 `ignore` globs, none of which matches.
const globbed = largeDir('globbed');
writeFileSync(
  join(globbed, 'aclc.config.json'),
  JSON.stringify({
    ignore: Array.from({ length: 200 }, (_, i) => (i % 2 ? `vendor${i}/**/*.acl` : `**/gen${i}/*.acl`)),
  }),
);
for (let i = 0; i < 5_000; i++)
  writeFileSync(
    join(globbed, `f${String(i).padStart(4, '0')}.acl`),
    `group "g${i}" = email("u${i}@example.com")\n`,
  );
// An account export at a quarter of the account limits whose rules name 10 lists of 1,000 items (`aclc import`'s
// proof checks every identity's membership in them).
const bigLists = largeDir('big-lists');
{
  const uuid = (k, n) => `00000000-0000-4000-8000-${(k * 1e6 + n).toString(16).padStart(12, '0')}`;
  const lists = Array.from({ length: 10 }, (_, l) => ({
    id: uuid(4, l),
    name: `List ${l}`,
    type: l % 2 ? 'IP' : 'EMAIL',
    items: Array.from({ length: 1000 }, (_, i) => ({
      value: l % 2 ? `10.${l}.${(i >> 8) & 255}.${i & 255}/32` : `u${i}@l${l}.example.com`,
    })),
  }));
  const groups = Array.from({ length: 75 }, (_, g) => ({
    id: uuid(1, g),
    name: `Team ${g}`,
    include: [
      { email_domain: { domain: `t${g}.example.com` } },
      { email_list: { id: uuid(4, (2 * g) % 10) } },
    ],
    exclude: [],
    require: [],
  }));
  const policies = Array.from({ length: 125 }, (_, p) => ({
    id: uuid(2, p),
    name: `Policy ${p}`,
    decision: p % 10 ? 'allow' : 'deny',
    include: [{ group: { id: uuid(1, p % 75) } }],
    exclude: [],
    require: [{ ip_list: { id: uuid(4, (2 * p + 1) % 10) } }],
  }));
  const apps = Array.from({ length: 125 }, (_, a) => ({
    id: uuid(3, a),
    name: `App ${a}`,
    domain: `app${a}.example.com`,
    type: 'self_hosted',
    policies: Array.from({ length: 5 }, (_, k) => ({ id: uuid(2, (a * 5 + k) % 125), precedence: k + 1 })),
  }));
  writeFileSync(join(bigLists, 'export.json'), JSON.stringify({ lists, groups, policies, apps }));
}
const largeRows = [
  [
    'export of 125 apps naming 10 lists of 1,000 items: `aclc import --from` (with its proof)',
    ['import', '--from', 'export.json', '-o', 'out', '--force'],
    bigLists,
  ],
  ['10,000 unknown groups among 10,000 ("did you mean"): `aclc compile`', ['compile', 'p.acl'], misspelt],
  ['5,000 files under 200 `ignore` globs: `aclc lint`', ['lint', '.'], globbed],
  ['20,000 findings, each matched by its suppression: `aclc lint`', ['lint', 'p.acl'], suppressed],
  ['20,000 unused suppressions removed: `aclc lint --fix`', ['lint', '--fix', 'p.acl'], unusedSuppressions],
  ['100 KB one-line file, ~8,000 findings: `aclc compile` (human output)', ['compile', 'p.acl'], oneLine],
  ['one 10 MB line, finding at its end: `aclc compile`', ['compile', 'p.acl'], hugeLine],
  ['one 10 MB line: `aclc lint`', ['lint', 'p.acl'], hugeLine],
  ['20,000 `.acl` files: `aclc fmt --check`', ['fmt', '--check', '.'], many],
  ['20,000 `.acl` files: `aclc compile` (reads all, then ACL0602)', ['compile', '.'], many],
  ['20,000 `.acl` files: `aclc lint`', ['lint', '.'], many],
  ['5 MB of valid policies: `aclc lint`', ['lint', 'p.acl'], fiveMb],
  ['10 MB of valid policies: `aclc lint`', ['lint', 'p.acl'], tenMb],
];
lines.push('', '## Large inputs (whole CLI, one run each)', '');
lines.push(
  row(['input', 'wall ms', 'exit', 'output KB', 'peak RSS MB', 'target']),
  row(['---', '---:', '---:', '---:', '---:', '---']),
);
for (const [label, args, cwd] of largeRows) {
  const m = measureCli(args, cwd);
  lines.push(
    row([
      label,
      fmt(m.ms, 0),
      String(m.exit),
      fmt(m.output / 1024),
      m.rssMb === undefined ? 'n/a' : fmt(m.rssMb),
      'within seconds',
    ]),
  );
}

// Deploy: plan / apply against the emulator, without and with a (time-scaled) 1,200 requests / 5 minutes limit.
const deploy = worker('deploy-worker.js', []);
lines.push(
  '',
  '## Deploy against the emulator (500 apps × 5 policies, 500 reusable policies, 300 groups)',
  '',
);
if (deploy.error) lines.push(`failed: ${deploy.error}`);
else
  for (const run of deploy.runs) {
    lines.push(`Limit: ${run.limit}. Total ${fmt(run.totalMs / 1000)} s, ${run.total429} × 429.`, '');
    lines.push(
      row(['step', 'exit', 'requests (minimum)', 'reads', 'writes', '429', '5xx', 'wall ms']),
      row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    );
    for (const st of run.steps)
      lines.push(
        row([
          st.step,
          String(st.exitCode),
          `${st.requests} (${st.minimum})`,
          String(st.reads),
          String(st.writes),
          String(st.status429),
          String(st.status5xx),
          String(st.ms),
        ]),
      );
    lines.push('');
  }
// Moving in from Terraform: import, proof and hand-over of a generated configuration (runs alone too).
const terraform = spawnSync(process.execPath, [join(root, 'scripts', 'bench', 'terraform-import.mjs')], {
  encoding: 'utf8',
});
lines.push('', '## `aclc import --from-terraform` (import, decision proof, hand-over)', '');
lines.push(terraform.status === 0 ? terraform.stdout.trimEnd() : `failed: ${terraform.stderr}`);
process.stdout.write(`${lines.join('\n')}\n`);
rmSync(work, { recursive: true, force: true });
