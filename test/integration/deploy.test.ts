import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Account, aclc, BASE, CLI, ensureBuilt, Project, spawnAclc, TOKEN, transcript } from './harness.js';

/**
 * The real CLI (in-process through `main`, and the built bundle in a child process) against the emulator on
 * 127.0.0.1, as CI would run it.
 */

const open: { account?: Account; project?: Project }[] = [];
async function setup(options: Parameters<typeof Account.start>[0] = {}) {
  const account = await Account.start(options);
  const project = new Project().write('main.acl', BASE);
  open.push({ account, project });
  return { account, project, env: account.env(), dir: project.dir };
}
const filesWritten: string[] = [];
afterEach(async () => {
  for (const { account, project } of open.splice(0)) {
    await account?.close();
    if (project) {
      for (const f of project.files()) filesWritten.push(f.text);
      project.remove();
    }
  }
});
beforeAll(() => ensureBuilt());

describe('aclc plan / apply against the emulator', () => {
  it('creates everything on the first apply, then reports no changes and makes zero writes', async () => {
    const { account, env, dir } = await setup();
    const first = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(first.err).toBe(
      first.err
        .split('\n')
        .filter((l) => /^\[\s*\d+\/9\] created /.test(l) || l === '')
        .join('\n'),
    );
    expect(first.code).toBe(0);
    expect(first.out).toContain('Plan: 9 to create, 0 to update, 0 to delete.');
    expect(first.out).toContain('Apply complete! 9 created, 0 updated, 0 deleted.');
    expect(account.names('groups')).toEqual(['Engineers', 'Sanctioned']);
    expect(account.names('apps')).toEqual(['CI', 'Wiki']);
    expect(account.names('policies')).toEqual([
      'Block sanctioned',
      'CI / Engineers',
      'CI / Runners',
      'Contractors',
      'Wiki / Engineers',
    ]);

    const mark = account.mark();
    const second = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(second.code).toBe(0);
    expect(second.out).toBe('No changes. The account matches the code.\n');
    expect(account.writesSince(mark)).toEqual([]);
    // Reads are paginated at the largest page size: one page per collection here.
    expect(account.log.slice(mark).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(
      expect.arrayContaining([
        `GET /client/v4/accounts/${account.emu.accountId}/access/groups?page=1&per_page=1000`,
        `GET /client/v4/accounts/${account.emu.accountId}/access/policies?page=1&per_page=1000`,
        `GET /client/v4/accounts/${account.emu.accountId}/access/apps?page=1&per_page=1000`,
      ]),
    );

    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect(plan.code).toBe(0);
  });

  it('updates only the policy that changed', async () => {
    const { account, project, env, dir } = await setup();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    project.write('main.acl', BASE.replace('country in ("KP", "IR")', 'country in ("KP", "IR", "SY")'));
    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('~ group "Sanctioned"');
    expect(plan.out).toContain('+ country("SY")');
    expect(plan.out).toContain('after:  country("KP", "IR", "SY")');
    expect(plan.out).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    const mark = account.mark();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    const id = account.emu.state().groups.find((g) => g.name === 'Sanctioned')?.id;
    expect(account.writesSince(mark).map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      `PUT /client/v4/accounts/${account.emu.accountId}/access/groups/${id} 200`,
    ]);
  });

  it('deletes a removed policy only with --prune', async () => {
    const { account, project, env, dir } = await setup();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    project.write(
      'main.acl',
      BASE.replace('  use "Contractors"\n', '').replace(/policy "Contractors".*\n/, ''),
    );
    const without = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(without.code).toBe(0);
    expect(without.out).toContain('Plan: 0 to create, 1 to update, 0 to delete.');
    expect(without.out).toContain(
      'are no longer in the code; kept (--prune deletes them):\n  policy "Contractors"',
    );
    expect(account.names('policies')).toContain('Contractors');
    const pruned = await aclc(['apply', '.', '--auto-approve', '--prune'], env, dir);
    expect(pruned.code).toBe(0);
    expect(pruned.out).toContain('- policy "Contractors"');
    expect(pruned.out).toContain('Plan: 0 to create, 0 to update, 1 to delete.');
    expect(account.names('policies')).not.toContain('Contractors');
  });

  it('never touches objects created by hand in the account, even with --prune', async () => {
    const { account, env, dir } = await setup();
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const base = `${account.emu.url}/accounts/${account.emu.accountId}`;
    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
      ).json()) as {
        result: { id: string };
      };
    const group = await post('/access/groups', { name: 'Hand group', include: [{ everyone: {} }] });
    const policy = await post('/access/policies', {
      name: 'Hand policy',
      decision: 'allow',
      include: [{ group: { id: group.result.id } }],
    });
    await post('/access/apps', {
      name: 'Hand app',
      type: 'self_hosted',
      domain: 'hand.example.com',
      policies: [{ id: policy.result.id, precedence: 1 }],
    });
    const before = JSON.stringify(account.emu.state());
    const handMade = (s: ReturnType<typeof account.emu.state>) =>
      JSON.stringify([
        s.groups.filter((g) => g.name === 'Hand group'),
        s.policies.filter((p) => p.name === 'Hand policy'),
        s.apps.filter((a) => a.name === 'Hand app'),
      ]);
    const first = await aclc(['apply', '.', '--auto-approve', '--prune'], env, dir);
    expect(first.code).toBe(0);
    expect(first.out).not.toContain('Hand');
    const again = await aclc(['apply', '.', '--auto-approve', '--prune'], env, dir);
    expect(again.out).toBe('No changes. The account matches the code.\n');
    expect(handMade(account.emu.state())).toBe(handMade(JSON.parse(before)));
  });

  it('converges under a 30 % failure rate and a rate limit', async () => {
    // A seeded fault sequence: the same failures on every run, so the test does not depend on luck.
    let seed = 0x2f6b3a1d;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const { account, env, dir } = await setup({
      failRate: 0.3,
      failMode: 'mixed',
      rateLimit: { requests: 8, windowMs: 1000 },
      random,
    });
    let last = { code: -1, out: '', err: '' };
    for (let attempt = 0; attempt < 20 && last.code !== 0; attempt++) {
      last = await aclc(['apply', '.', '--auto-approve'], env, dir);
    }
    expect(last.code).toBe(0);
    const statuses = account.log.map((l) => l.split(' ')[2]);
    expect(statuses).toContain('429');
    expect(statuses).toContain('500');
    for (const kind of ['groups', 'policies', 'apps'] as const) {
      const names = account.names(kind);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(account.names('policies')).toHaveLength(5);
    // The emulator still fails 30 % of requests: a plan may give up after its retries (exit 1), never report a
    // change (exit 2).
    let final = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    for (let i = 0; i < 5 && final.code === 1; i++)
      final = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    const { code, out } = final;
    expect([code, out]).toEqual([0, 'No changes. The account matches the code.\n']);
  }, 180_000);

  it('converges without duplicates after the built CLI is killed in the middle of an apply', async () => {
    const { account, env, dir } = await setup({ latencyMs: 60 });
    const child = spawn(process.execPath, [CLI, 'apply', '.', '--auto-approve', '--parallelism', '1'], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (account.writesSince(0).length >= 4) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((r) => child.once('exit', r));
    transcript.push(output);
    const created = account.writesSince(0).length;
    expect(created).toBeGreaterThanOrEqual(4);
    expect(created).toBeLessThan(9);
    const ledger = JSON.parse(readFileSync(join(dir, '.aclc', 'state.json'), 'utf8'));
    expect(ledger.accounts[account.emu.accountId].pending.length).toBeGreaterThan(0);

    const again = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(again.code).toBe(0);
    // Objects created under their marker before the kill are found by it and renamed (updates), never re-created.
    expect(again.out).toMatch(/Plan: [1-7] to create, [0-4] to update, 0 to delete\./);
    for (const kind of ['groups', 'policies', 'apps'] as const) {
      const names = account.names(kind);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(account.names('policies')).toHaveLength(5);
    const after = JSON.parse(readFileSync(join(dir, '.aclc', 'state.json'), 'utf8'));
    expect(after.accounts[account.emu.accountId].objects).toHaveLength(9);
    // Creates of the killed run that never reached the API stay pending for an hour (a request may still land);
    // none of them names an object that exists.
    const live = new Set(['groups', 'policies', 'apps'].flatMap((k) => account.names(k as 'groups')));
    for (const p of after.accounts[account.emu.accountId].pending) expect(live.has(p.marker)).toBe(false);
    const plan = await spawnAclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect([plan.code, plan.out]).toEqual([0, 'No changes. The account matches the code.\n']);
  }, 30_000);

  it('fails with a clear message and exit code 1 on a wrong token', async () => {
    const { env, dir } = await setup();
    const r = await aclc(['plan', '.'], { ...env, CLOUDFLARE_API_TOKEN: 'wrong-token-0123456789' }, dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /^error\[ACL0811\]: the API rejected the credentials for `GET \/accounts\/[0-9a-f]{32}\/access\/(groups|policies|apps)/,
    );
    expect(r.err).toMatch(/\((groups|policies|apps)\)`: 10000 Authentication error/);
    expect(r.err).toContain('help: check that the token is valid');
    expect(r.err).not.toContain('wrong-token-0123456789');
  });

  it('refuses a saved plan when the account changed since', async () => {
    const { account, project, env, dir } = await setup();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    project.write('main.acl', BASE.replace('session_duration 2h', 'session_duration 4h'));
    const saved = await aclc(['plan', '.', '--out', 'plan.json'], env, dir);
    expect(saved.code).toBe(0);
    expect(saved.err).toContain('saved the plan to plan.json');
    const planText = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(JSON.parse(planText)).toMatchObject({
      format: 'aclc-plan',
      version: 1,
      accountId: account.emu.accountId,
      summary: { update: 1 },
    });

    // Someone edits the account between plan and apply.
    const group = account.emu.state().groups.find((g) => g.name === 'Engineers');
    await fetch(`${account.emu.url}/accounts/${account.emu.accountId}/access/groups/${group?.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Engineers', include: [{ everyone: {} }] }),
    });
    const mark = account.mark();
    const stale = await aclc(['apply', 'plan.json', '--auto-approve'], env, dir);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('error[ACL0853]: the account changed since the plan was made');
    expect(stale.err).toContain('help: make a new plan with `aclc plan --out plan.json` and review it');
    expect(account.writesSince(mark)).toEqual([]);

    // A fresh plan applies.
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, dir)).code).toBe(0);
    const fresh = await aclc(['apply', 'plan.json', '--auto-approve'], env, dir);
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain('Apply complete! 0 created, 2 updated, 0 deleted.');
  });

  it('asks before applying on a terminal, and refuses without one', async () => {
    const { account, env, dir } = await setup();
    const refused = await aclc(['apply', '.'], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      'error[ACL0857]: refusing to apply without confirmation: the input is not a terminal',
    );
    expect(account.writesSince(0)).toEqual([]);
    const questions: string[] = [];
    const declined = await aclc(['apply', '.'], env, dir, {
      confirm: async (q) => {
        questions.push(q);
        return false;
      },
    });
    expect([declined.code, declined.err]).toEqual([1, 'apply cancelled; nothing was changed\n']);
    expect(questions).toEqual(['Do you want to perform these actions? Only `yes` will be accepted: ']);
    const accepted = await aclc(['apply', '.'], env, dir, { confirm: async () => true });
    expect(accepted.code).toBe(0);
  });

  it('refuses lock-out and fail-open plans unless allowed', async () => {
    const { project, env, dir } = await setup();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    project.write(
      'main.acl',
      BASE.replace('service_auth "Runners" if service_token("ci")', 'bypass "Runners" if everyone'),
    );
    const plan = await aclc(['plan', '.'], env, dir);
    expect(plan.code).toBe(0);
    expect(plan.err).toContain(
      'warning[ACL0856]: the plan opens app `CI` to everyone through bypass policy `CI / Runners`',
    );
    const refused = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('error[ACL0856]');
    const allowed = await aclc(['apply', '.', '--auto-approve', '--allow-everyone'], env, dir);
    expect(allowed.code).toBe(0);
  });

  it('reports an account object that does not exist at its reference', async () => {
    const { project, env, dir } = await setup();
    project.write('main.acl', 'policy "P" allow if email_list("Contractorz")\n');
    const r = await aclc(['plan', '.'], env, dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      [
        'error[ACL0850]: email list `Contractorz` does not exist in the account (deploy)',
        '  --> main.acl:1:21',
        '    |',
        '  1 | policy "P" allow if email_list("Contractorz")',
        '    |                     ^^^^^^^^^^^^^^^^^^^^^^^^^',
        '  = help: did you mean `Contractors`? create it in the account or fix the name; refer to an object by id with `id("…")`',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });
});

afterAll(() => {
  // The token never appears in any output or any file the CLI wrote (ledgers, saved plans).
  const everything = [...transcript, ...filesWritten].join('\n');
  expect(transcript.length).toBeGreaterThan(0);
  expect(everything).not.toContain(TOKEN);
});
