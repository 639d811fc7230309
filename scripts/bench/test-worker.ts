// `aclc test` at scale, in one process: a generated project of 1,000 apps × 10 policies with 10,000 example tests
// (expectations taken from the compiled evaluator, so they pass) and 100 invariants (a quarter on every app).
// Prints one JSON line. The project is past Cloudflare's 500-app limit, which the CLI would refuse; the limits are
// not what is measured here.
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import type { Identity } from '../../src/model/identity.js';
import { renderWitnessTest } from '../../src/testing/emit.js';
import { SuiteRunner } from '../../src/testing/run.js';
import { prepareSuite } from '../../src/testing/suite.js';
import { generateProject } from './generate.js';

const apps = 1000;
const text = generateProject(apps * 10, 10);
const source = new SourceFile('bench.acl', text);

// Examples: 10 identities per app, expectations from the compiled evaluator (untimed).
const first = prepareSuite([source], [], { accountLimits: false }).prepared;
if (!first) throw new Error('the generated project does not compile');
const countries = ['US', 'DE', 'KP', 'FR'];
const tests: string[] = [];
for (let a = 0; a < apps; a++) {
  const app = `Service ${a}`;
  for (let k = 0; k < 10; k++) {
    const id: Identity = { email: k % 3 === 0 ? `owner-${a}-3@example.com` : `u${k}@eng.example.com` };
    id.country = countries[k % countries.length] as string;
    if (k % 2 === 0) id.authMethods = ['mfa'];
    if (k % 4 === 1) id.accessGroups = ['Employees'];
    if (k === 5) id.ip = `198.51.${a % 256}.1`;
    if (k === 7) {
      id.serviceToken = `ci-${a}`;
      id.ip = '203.0.113.9';
    }
    const d = evaluateCompiledApp(first.model.doc, app, id);
    const policy = d.policy ? first.index.policy(d.policy)?.displayName : undefined;
    tests.push(
      renderWitnessTest(
        {
          name: `${app} #${k}`,
          identity: id,
          expects: [{ app, outcome: d.decision, ...(policy ? { policy } : {}) }],
        },
        first.project,
      ),
    );
  }
}
for (let i = 0; i < 25; i++) {
  tests.push(`never allow group("Sanctioned") on app "Service ${i * 37}"`);
  tests.push(`every bypass on app "Service ${i * 41}" requires ip("198.51.0.0/16")`);
  tests.push(`never allow user_risk_score("high") on app "Service ${i * 39}"`);
  tests.push(
    i % 2 === 0
      ? 'every allow on every app requires not group("Sanctioned")'
      : 'every service_auth on every app requires ip("203.0.113.0/24")',
  );
}
const testFile = new SourceFile('bench.acltest', tests.join('\n'));
if (process.env.DUMP) (await import('node:fs')).writeFileSync(process.env.DUMP, testFile.text);

const t0 = performance.now();
const { prepared } = prepareSuite([source], [testFile], { accountLimits: false });
if (!prepared) throw new Error('the generated project does not compile');
const t1 = performance.now();
const out = new SuiteRunner(prepared).run();
const t2 = performance.now();
const examples = out.results.filter((r) => r.kind === 'example');
const invariants = out.results.filter((r) => r.kind === 'invariant');
console.log(
  JSON.stringify({
    apps,
    policies: apps * 10,
    examples: examples.length,
    invariants: invariants.length,
    examplesPassed: examples.filter((r) => r.status === 'pass').length,
    invariantsPassed: invariants.filter((r) => r.status === 'pass').length,
    errors: out.results.filter((r) => r.status === 'error').length,
    prepareMs: t1 - t0,
    runMs: t2 - t1,
    totalMs: t2 - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
