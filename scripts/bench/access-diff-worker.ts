// The access diff at scale, in one process: a generated project of 500 apps × 5 policies, and a copy in which 50
// of its policies change (half let more requests in, half fewer). Times `accessDiff` (pure: no files, no network),
// median of 5 runs. Prints one JSON line.
import { accessDiff } from '../../src/access-diff/engine.js';
import { compileProject } from '../../src/compiler/compile.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { CompiledProject } from '../../src/model/compiled.js';
import { analyzeSources } from '../../src/pipeline.js';
import { generateProject } from './generate.js';

const APPS = 500;
const analyzed = analyzeSources([new SourceFile('bench.acl', generateProject(APPS * 5, 5))]);
const before = compileProject(analyzed.project).value.document;
if (before.apps.length !== APPS) throw new Error(`generated ${before.apps.length} apps, not ${APPS}`);

/** 50 policies of one app each changed, spread over the project: even ones also admit France, odd ones now require MFA. */
const after: CompiledProject = structuredClone(before);
const uses = new Map<string, number>();
for (const app of after.apps)
  for (const link of app.policies) uses.set(link.id, (uses.get(link.id) ?? 0) + 1);
const own = after.policies.filter((p) => uses.get(`$ref:policy:${p.name}`) === 1 && p.decision === 'allow');
const stride = Math.max(1, Math.floor(own.length / 50));
let changed = 0;
for (let k = 0; k < 50; k++) {
  const p = own[k * stride];
  if (!p) continue;
  if (k % 2 === 0) p.include = [...p.include, { geo: { country_code: 'FR' } }];
  else p.require = [...p.require, { auth_method: { auth_method: 'mfa' } }];
  changed++;
}

const times: number[] = [];
let last: ReturnType<typeof accessDiff> | undefined;
for (let run = 0; run < 5; run++) {
  const t = process.hrtime.bigint();
  last = accessDiff({ before, after });
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
times.sort((a, b) => a - b);
const s = last?.summary;
process.stdout.write(
  `${JSON.stringify({
    medianMs: times[2],
    firstMs: times[0],
    apps: before.apps.length,
    policies: before.policies.length,
    changedPolicies: changed,
    analysed: s?.analysed,
    identical: s?.identical,
    gains: s?.gains,
    losses: s?.losses,
    undecided: s?.undecided,
    maxRssMb: process.memoryUsage().rss / 1024 / 1024,
  })}\n`,
);
