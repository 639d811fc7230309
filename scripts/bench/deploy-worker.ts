// Deploy benchmark: `aclc plan` / `aclc apply` for 500 apps × 5 policies against the emulator, without and with
// Cloudflare's rate limit (1,200 requests per 5 minutes, window scaled down so the run takes seconds, not minutes).
// Prints one JSON document. Run: bundle with esbuild (as scripts/bench.mjs does) and `node deploy-worker.js`.
// Options: `--apps N` (default 500), `--scale S` (window divisor for the limited run, default 30), `--only limited|unlimited`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { startEmulator } from '../../src/emulator/server.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const APPS = Number(opt('apps', '500'));
const PER_APP = 5;
const POLICIES = Math.min(500, APPS); // the account limit is 500 reusable policies: apps share them
// 300 groups (the account limit) make one apply larger than the 1,200-request window: the client must pace itself.
const GROUPS = Math.min(300, POLICIES);
const SCALE = Number(opt('scale', '30'));
const ONLY = opt('only', '');
const TOKEN = 'bench-token-0123456789abcdef';

/** The project: groups, reusable policies using them, apps linking five policies each. */
function project(variant: number): string {
  const lines: string[] = [];
  for (let g = 0; g < GROUPS; g++)
    lines.push(`group "Team ${g}" = email_domain("team${g}.example.com") or country("DE")`);
  for (let p = 0; p < POLICIES; p++) {
    const decision = p % 10 === 0 ? 'deny' : 'allow';
    const cond =
      decision === 'deny'
        ? `country("KP") and not email("p${p}@example.com")`
        : `group("Team ${p % GROUPS}") and auth_method("mfa")`;
    lines.push(
      `policy "Policy ${p}" ${decision} if ${cond} {\n  session_duration ${variant === 0 ? '8h' : '4h'}\n}`,
    );
  }
  for (let a = 0; a < APPS; a++) {
    const uses = Array.from({ length: PER_APP }, (_, k) => `  use "Policy ${(a * PER_APP + k) % POLICIES}"`);
    lines.push(`app "App ${a}" {\n  domain "app${a}.example.com"\n${[...new Set(uses)].join('\n')}\n}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The account lock of one apply: a list before the claim, one after it, one at release… */
const LOCK_READS = 3;
/** …and a claim and a held tag, each created and then deleted. */
const LOCK_WRITES = 4;

interface Step {
  step: string;
  exitCode: number;
  ms: number;
  requests: number;
  reads: number;
  writes: number;
  /**
   * Requests this design needs at least: one read per page of each collection; for an apply, the account lock
   * (`LOCK_READS` lists of the tags and `LOCK_WRITES` creates and deletes, src/deploy/account-lock.ts), two writes
   * per create (made under a unique marker name, renamed once the ledger records it: src/deploy/execute.ts) and one
   * per update or delete.
   */
  minimum: number;
  status429: number;
  status5xx: number;
  changes: number;
}

async function scenario(limited: boolean) {
  const windowMs = Math.round(300_000 / SCALE);
  const rateLimit = limited ? { requests: 1200, windowMs } : undefined;
  const log: string[] = [];
  const emu = await startEmulator({
    port: 0,
    token: TOKEN,
    ...(rateLimit ? { rateLimit } : {}),
    log: (l) => log.push(l),
  });
  const dir = mkdtempSync(join(tmpdir(), 'aclc-bench-deploy-'));
  const env: NodeJS.ProcessEnv = {
    ACLC_API_BASE: emu.url,
    CLOUDFLARE_ACCOUNT_ID: emu.accountId,
    CLOUDFLARE_API_TOKEN: TOKEN,
    NO_COLOR: '1',
    // Without a server limit, the client's pacing is lifted too, to measure the raw cost of plan and apply.
    ACLC_RATE_LIMIT: rateLimit ? `1200/${windowMs}ms` : '1000000/1000ms',
  };
  const io = (): { io: Io; out: () => string } => {
    let out = '';
    return {
      io: {
        out: (t) => {
          out += t;
        },
        err: () => undefined,
        stdoutIsTTY: false,
        stderrIsTTY: false,
        env,
        cwd: dir,
      },
      out: () => out,
    };
  };
  // Pages at the largest page size (1,000): groups, policies, apps.
  const pages = (n: number): number => Math.max(1, Math.ceil(n / 1000));
  const state = () => emu.state();
  const readMinimum = (): number =>
    pages(state().groups.length) + pages(state().policies.length) + pages(state().apps.length);
  const steps: Step[] = [];
  const run = async (name: string, argv: string[]): Promise<void> => {
    // Each step is a new process, which cannot know what an earlier one spent: with a limit, let the server's window
    // drain first, so what is measured is whether one run keeps itself under the limit.
    if (limited) await new Promise((r) => setTimeout(r, windowMs));
    const mark = log.length;
    const reads = readMinimum();
    const t0 = performance.now();
    const { io: cli, out } = io();
    const exitCode = await main(argv, cli);
    const ms = performance.now() - t0;
    const lines = log.slice(mark);
    const summary = /Plan: (\d+) to create, (\d+) to update, (\d+) to delete\./.exec(out());
    const [creates, updates, deletes] = summary ? [1, 2, 3].map((k) => Number(summary[k])) : [0, 0, 0];
    const changes = (creates ?? 0) + (updates ?? 0) + (deletes ?? 0);
    const isApply = argv[0] === 'apply';
    const applyMinimum = LOCK_READS + LOCK_WRITES + 2 * (creates ?? 0) + (updates ?? 0) + (deletes ?? 0);
    steps.push({
      step: name,
      exitCode,
      ms: Math.round(ms),
      requests: lines.length,
      reads: lines.filter((l) => l.startsWith('GET ')).length,
      writes: lines.filter((l) => !l.startsWith('GET ')).length,
      minimum: reads + (isApply ? applyMinimum : 0),
      status429: lines.filter((l) => l.split(' ')[2] === '429').length,
      status5xx: lines.filter((l) => /^5/.test(l.split(' ')[2] ?? '')).length,
      changes,
    });
  };

  writeFileSync(join(dir, 'main.acl'), project(0));
  await run('plan, empty account', ['plan', '.']);
  await run('apply, create everything', ['apply', '.', '--auto-approve']);
  await run('plan, no changes', ['plan', '.', '--detailed-exitcode']);
  await run('apply, no changes', ['apply', '.', '--auto-approve']);
  writeFileSync(join(dir, 'main.acl'), project(1));
  await run('apply, update every policy', ['apply', '.', '--auto-approve']);
  await run('plan, no changes', ['plan', '.', '--detailed-exitcode']);
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    limit: limited
      ? `1,200 requests per ${windowMs / 1000} s on both sides (Cloudflare's 1,200 per 5 min, window scaled down ${SCALE}×); the window drains between steps`
      : 'none (client pacing lifted as well)',
    totalMs: steps.reduce((n, s) => n + s.ms, 0),
    total429: steps.reduce((n, s) => n + s.status429, 0),
    steps,
  };
}

const runs = [];
if (ONLY !== 'limited') runs.push(await scenario(false));
if (ONLY !== 'unlimited') runs.push(await scenario(true));
process.stdout.write(
  `${JSON.stringify({ apps: APPS, policiesPerApp: PER_APP, reusablePolicies: POLICIES, groups: GROUPS, parallelism: 4, runs }, null, 2)}\n`,
);
