// `npm run demo`: the whole loop on the example projects against a local emulator of the Cloudflare Access API:
// lint → compile → plan → apply → plan (no changes), for each project in examples/ (except broken/ and ci/).
// Works in a fresh clone after `npm ci` (which builds dist/aclc.js); builds it first when it is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'aclc.js');
const examples = join(root, 'examples');
// The demo's account (the emulator's state file) and ledgers stay in .aclc/demo/ (git-ignored) after it ends, so the
// user can start the emulator on them again and keep going; every run starts afresh.
const work = join(root, '.aclc', 'demo');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

if (!existsSync(cli)) {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(1);
}

// The account the examples deploy to already has the objects they refer to by name: identity providers, an
// extern group, an email list, device posture checks and service tokens.
const seed = {
  identity_providers: [
    { id: '0d5b1e6a-8f43-4c9e-b1a2-6a1f0c3e9d11', name: 'Okta (corporate)', type: 'okta', config: {} },
    { id: '5f3a8c2e-2b1d-4e6a-9f7c-1d2e3f4a5b6c', name: 'Okta (acquired)', type: 'okta', config: {} },
    { id: '1e2d3c4b-5a69-4788-9abc-def012345678', name: 'Google Workspace', type: 'google-apps', config: {} },
    { id: '2f3e4d5c-6b7a-4899-aabb-ccddeeff0011', name: 'One-time PIN', type: 'onetimepin', config: {} },
    { id: '3a4b5c6d-7e8f-4901-a2b3-c4d5e6f70812', name: 'Azure AD', type: 'azureAD', config: {} },
    { id: '4b5c6d7e-8f90-4a12-b3c4-d5e6f7081923', name: 'GitHub', type: 'github', config: {} },
  ],
  groups: [
    {
      id: '5c6d7e8f-9012-4b34-8c5d-6e7f8091a2b3',
      name: 'Employees',
      include: [{ email_domain: { domain: 'example.com' } }],
      exclude: [],
      require: [],
    },
  ],
  lists: [
    {
      id: '6d7e8f90-1234-4c56-9d7e-8f90a1b2c3d4',
      name: 'Contractors',
      type: 'EMAIL',
      items: [{ value: 'pat@contractor.example.net' }],
    },
  ],
  posture_rules: [
    {
      id: '7e8f9012-3456-4d78-8e9f-0a1b2c3d4e5f',
      name: 'Disk encryption',
      type: 'disk_encryption',
      match: [{ platform: 'mac' }],
    },
    {
      id: '8f901234-5678-4e9a-9f0a-1b2c3d4e5f60',
      name: 'WARP connected',
      type: 'warp',
      match: [{ platform: 'windows' }],
    },
  ],
  // A reusable policy the security team keeps in the dashboard; examples/infra-access attaches it with `use extern`.
  policies: [
    {
      id: 'b0a1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
      name: 'Break glass (dashboard)',
      decision: 'allow',
      include: [{ email: { email: 'oncall@example.com' } }],
      exclude: [],
      require: [],
    },
  ],
  service_tokens: [
    { id: '9012a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7', name: 'github-actions', client_id: '1111.access' },
    { id: 'a123b4c5-d6e7-4f80-91a2-b3c4d5e6f708', name: 'buildkite', client_id: '2222.access' },
  ],
};
const seedFile = join(work, 'seed.json');
writeFileSync(seedFile, JSON.stringify(seed, null, 2));

// A throwaway credential for the emulator (it is never printed).
const token = `demo-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

/** Start `aclc emulator` on a free port and wait for its URL. */
function startEmulator() {
  const child = spawn(
    process.execPath,
    [
      cli,
      'emulator',
      '--port',
      '0',
      '--seed',
      seedFile,
      '--state',
      join(work, 'account.json'),
      '--token',
      token,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the emulator did not start:\n${out}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      const account = /CLOUDFLARE_ACCOUNT_ID=(\S+)/.exec(out);
      if (m && account) {
        clearTimeout(timer);
        resolve({ child, url: m[1], accountId: account[1] });
      }
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code}:\n${out}`));
    });
  });
}

/** Run one aclc command with the emulator's credentials, echoing it and its output. */
function run(args, env, { expect = [0] } = {}) {
  process.stdout.write(`\n$ aclc ${args.join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let printed = false;
    child.stdout.on('data', (d) => {
      out += d;
      printed = true;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      printed = true;
      process.stdout.write(d);
    });
    child.once('close', (code) => {
      if (!printed) process.stdout.write(`(no findings, exit code ${code})\n`);
      if (!expect.includes(code)) process.stdout.write(`(unexpected exit code ${code})\n`);
      resolve({ code, out, ok: expect.includes(code) });
    });
  });
}

const projects = readdirSync(examples)
  .filter((name) => name !== 'broken' && name !== 'ci' && statSync(join(examples, name)).isDirectory())
  .sort();

let failed = 0;
const emulator = await startEmulator();
const env = {
  ACLC_API_BASE: emulator.url,
  CLOUDFLARE_ACCOUNT_ID: emulator.accountId,
  CLOUDFLARE_API_TOKEN: token,
  CLOUDFLARE_EMAIL: '',
  CLOUDFLARE_API_KEY: '',
};
process.stdout.write(`aclc emulator (Cloudflare Access API) listening on ${emulator.url}\n`);
process.stdout.write(`deploying ${projects.length} example projects: ${projects.join(', ')}\n`);

try {
  for (const name of projects) {
    const dir = join('examples', name);
    const state = join(work, `${name}.state.json`);
    process.stdout.write(`\n━━━━ examples/${name} ━━━━\n`);
    const steps = [
      await run(['lint', dir], env),
      await run(['compile', dir, '-o', join(work, `${name}.json`)], env),
      await run(['plan', dir, '--state', state], env),
      await run(['apply', dir, '--auto-approve', '--state', state], env),
    ];
    const again = await run(['plan', dir, '--state', state, '--detailed-exitcode'], env);
    steps.push(again);
    if (!again.out.includes('No changes.')) steps.push({ ok: false });
    failed += steps.filter((s) => !s.ok).length;
  }
  process.stdout.write('\n━━━━ every project, once more ━━━━\n');
  for (const name of projects) {
    const r = await run(
      ['plan', join('examples', name), '--state', join(work, `${name}.state.json`), '--detailed-exitcode'],
      env,
    );
    if (!r.ok || !r.out.includes('No changes.')) failed++;
  }
} finally {
  emulator.child.kill('SIGTERM');
  rmSync(seedFile, { force: true });
}

process.stdout.write(
  failed === 0
    ? `\nAll ${projects.length} example projects are deployed and the account matches the code: No changes.\n`
    : `\n${failed} step(s) failed.\n`,
);
if (failed === 0)
  process.stdout.write(
    [
      '',
      'Keep going: the account and the ledgers stay in .aclc/demo/. Start the emulator on them again',
      '  npx aclc emulator --state .aclc/demo/account.json     # in another terminal; it prints the variables to export',
      'then edit an example (say, widen examples/admin-portal) and see who gains or loses access:',
      '  npx aclc plan examples/admin-portal --state .aclc/demo/admin-portal.state.json',
      '  npx aclc diff -p examples/admin-portal                 # the same review offline, against git HEAD',
      '',
    ].join('\n'),
  );
process.exitCode = failed === 0 ? 0 : 1;
