import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planDigest } from '../../src/deploy/saved-plan.js';
import {
  Account,
  aclc,
  BASE,
  closeAfterEach,
  ensureBuilt,
  Project,
  SEED,
  spawnAclc,
  startAclc,
  TOKEN,
} from './harness.js';

/**
 * Issue 8, the plan's side, over real HTTP against the emulator: changes made outside aclc shown apart, take-overs
 * refused without --adopt, orphans counted by --detailed-exitcode, usage errors exit 1 under it, a saved plan
 * applied off a terminal without a prompt and shown with `aclc show`, and Ctrl-C in the middle of an apply.
 */

const open = closeAfterEach();
beforeAll(() => ensureBuilt());

async function setup(options: Parameters<typeof Account.start>[0] = {}, code = BASE) {
  const account = await Account.start(options);
  const project = new Project().write('main.acl', code);
  open.push({ account, project });
  return { account, project, env: account.env(), dir: project.dir };
}

/** A change made in the dashboard: a `PUT` of the whole object, as the dashboard sends it. */
async function dashboardPut(
  account: Account,
  kind: 'groups' | 'policies' | 'apps',
  id: string,
  body: object,
) {
  const url = `${account.emu.url}/accounts/${account.emu.accountId}/access/${kind}/${id}`;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

const ledgerOf = (dir: string, accountId: string) =>
  JSON.parse(readFileSync(join(dir, '.aclc', 'state.json'), 'utf8')).accounts[accountId];

describe('sections that set changes apart', () => {
  it('shows a dashboard edit in its own section, and not a change of the code', async () => {
    const { account, env, dir, project } = await setup();
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    const group = account.emu.state().groups.find((g) => g.name === 'Engineers');
    expect(group).toBeDefined();
    // Someone widens the group in the dashboard.
    await dashboardPut(account, 'groups', String(group?.id), {
      name: 'Engineers',
      include: [{ email_domain: { domain: 'gmail.com' } }],
      exclude: [],
      require: [],
    });
    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain(
      `Changed outside aclc since aclc last applied them:\n  ~ group "Engineers" (id ${group?.id})\n`,
    );
    expect(plan.out).toContain(
      '# changed outside aclc since aclc last applied it; this update overrides that\n',
    );
    // The live side in the language, with names.
    expect(plan.out).toContain('before: email_domain("gmail.com")');
    expect(plan.out).toContain('after:  okta_group(okta, "eng") or email_domain("eng.example.com")');

    // Applying restores what the code says; the next plan has nothing to say, and no drift.
    expect((await aclc(['apply', '.', '--auto-approve'], env, dir)).code).toBe(0);
    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);

    // A change of the code is an ordinary update, not a change made outside aclc.
    project.write('main.acl', BASE.replace('"eng.example.com"', '"engineering.example.com"'));
    const code = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect(code.code).toBe(2);
    expect(code.out).toContain('~ group "Engineers"');
    expect(code.out).not.toContain('outside aclc');
  });

  it('refuses to take over a hand-made object with a declared name unless --adopt, then owns it', async () => {
    const handMade = {
      id: 'c0ffee00-0000-4000-8000-0000000000e7',
      name: 'Sanctioned',
      include: [{ geo: { country_code: 'KP' } }],
      exclude: [],
      require: [],
    };
    const { account, env, dir, project } = await setup({ seed: { ...SEED, groups: [handMade] } });
    const plan = await aclc(['plan', '.'], env, dir);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(
      `Made outside aclc with a name the code declares (taken over only with --adopt):\n  ~ group "Sanctioned" (id ${handMade.id})\n`,
    );
    expect(plan.err).toContain('warning[ACL0832]');

    const mark = account.mark();
    const refused = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      `error[ACL0832]: group \`Sanctioned\` (${handMade.id}) exists in the account but was not created by aclc: applying would take it over`,
    );
    expect(refused.err).toContain('main.acl:5:7');
    expect(account.writesSince(mark)).toEqual([]);
    expect(account.emu.state().groups.find((g) => g.id === handMade.id)?.include).toEqual(handMade.include);

    const adopted = await aclc(['apply', '.', '--auto-approve', '--adopt'], env, dir);
    expect(adopted.code).toBe(0);
    const ledger = ledgerOf(dir, account.emu.accountId);
    expect(ledger.objects.map((o: { id: string }) => o.id)).toContain(handMade.id);
    // Taken over: the next change of it needs no --adopt.
    project.write('main.acl', BASE.replace('country in ("KP", "IR")', 'country in ("KP", "IR", "SY")'));
    const next = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect([next.code, next.err]).toEqual([0, expect.not.stringContaining('ACL0832')]);
  });

  it('applies a saved plan with a take-over only when the plan was made with --adopt', async () => {
    const handMade = {
      id: 'c0ffee00-0000-4000-8000-0000000000e8',
      name: 'Sanctioned',
      include: [{ geo: { country_code: 'KP' } }],
      exclude: [],
      require: [],
    };
    const { account, env, dir } = await setup({ seed: { ...SEED, groups: [handMade] } });
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, dir)).code).toBe(0);
    const mark = account.mark();
    const refused = await aclc(['apply', 'plan.json'], env, dir);
    expect([refused.code, refused.err]).toEqual([
      1,
      expect.stringContaining('error[ACL0832]: group `Sanctioned`'),
    ]);
    expect(account.writesSince(mark)).toEqual([]);
    const approved = await aclc(['plan', '.', '--adopt', '--out', 'plan.json'], env, dir);
    expect([approved.code, approved.err]).toEqual([0, expect.not.stringContaining('ACL0832')]);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).adopt).toBe(true);
    const applied = await aclc(['apply', 'plan.json'], env, dir);
    expect(applied.code).toBe(0);
    expect(ledgerOf(dir, account.emu.accountId).objects.map((o: { id: string }) => o.id)).toContain(
      handMade.id,
    );
  });

  it('counts an orphaned bypass app under --detailed-exitcode, unless --ignore-orphans', async () => {
    const code = `${BASE}
app "Status" {
  domain "status.example.com"
  bypass "Anyone" if everyone
}
`;
    const { account, env, dir, project } = await setup({}, code);
    expect((await aclc(['apply', '.', '--auto-approve', '--allow-everyone'], env, dir)).code).toBe(0);
    const status = account.emu.state().apps.find((a) => a.name === 'Status');
    project.write('main.acl', BASE);

    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('No longer in the code, but still deciding access (orphans):\n');
    const wide = await aclc(['plan', '.', '--width', '200'], env, dir);
    expect(wide.out).toContain(
      `  - app "Status" (id ${status?.id}): still guards status.example.com with bypass "Status / Anyone"; delete it with --prune\n`,
    );
    // Its bypass policy still decides for it too.
    expect(wide.out).toContain('  - policy "Status / Anyone" (id ');
    expect(wide.out).toContain('): bypass policy still used by app "Status"; delete it with --prune\n');
    expect(plan.out).toContain('No changes to apply. 2 orphaned object(s) still decide access (see above).');
    const ignored = await aclc(['plan', '.', '--detailed-exitcode', '--ignore-orphans'], env, dir);
    expect(ignored.code).toBe(0);
    const json = await aclc(['plan', '.', '--format', 'json'], env, dir);
    expect(JSON.parse(json.out).view.orphans).toEqual([
      expect.objectContaining({ kind: 'app', name: 'Status', id: status?.id, owned: true }),
      expect.objectContaining({ kind: 'policy', name: 'Status / Anyone', owned: true }),
    ]);

    // --prune deletes it (aclc created it), after which nothing is orphaned.
    expect((await aclc(['apply', '.', '--auto-approve', '--prune'], env, dir)).code).toBe(0);
    const after = await aclc(['plan', '.', '--detailed-exitcode'], env, dir);
    expect([after.code, after.out]).toEqual([0, 'No changes. The account matches the code.\n']);
  });
});

describe('scriptable to the letter', () => {
  it('exits 1 on any error under --detailed-exitcode, usage errors included', async () => {
    const { env, dir } = await setup();
    const cases: string[][] = [
      ['plan', '.', '--detailed-exitcode', '--no-such-flag'],
      ['plan', '.', '--detailed-exitcode', '--width', 'wide'],
      ['plan', 'missing-folder', '--detailed-exitcode'],
      ['plan', '.', '--detailed-exitcode', '--format', 'yaml'],
      ['plan', '--detailed-exitcode', '.', '--width'],
    ];
    for (const argv of cases) {
      expect([argv.join(' '), (await aclc(argv, env, dir)).code]).toEqual([argv.join(' '), 1]);
      // Without --detailed-exitcode, a usage error is 2, as everywhere else.
      const plain = argv.filter((a) => a !== '--detailed-exitcode');
      expect([plain.join(' '), (await aclc(plain, env, dir)).code]).toEqual([plain.join(' '), 2]);
    }
  });

  it('applies a saved plan off a terminal without --auto-approve, and shows it with `aclc show`', async () => {
    const { account, env, dir } = await setup();
    const plan = await aclc(['plan', '.', '--out', 'plan.json'], env, dir);
    expect(plan.code).toBe(0);

    const shown = await spawnAclc(['show', 'plan.json'], {}, dir);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`Saved plan plan.json for account ${account.emu.accountId}\n\n`);
    expect(shown.out).toContain(plan.out.slice(0, plan.out.indexOf('Access changes')));
    // The access diff saved with the plan is shown as `plan` showed it.
    expect(shown.out).toContain(plan.out.slice(plan.out.indexOf('Access changes')));
    const json = await spawnAclc(['show', 'plan.json', '--format', 'json'], {}, dir);
    expect(JSON.parse(json.out)).toEqual(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')));

    // The real CLI, stdin not a terminal, no --auto-approve: the saved plan was the review.
    const applied = await spawnAclc(['apply', 'plan.json'], env, dir);
    expect(applied.code).toBe(0);
    const creates = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).summary.create;
    expect(creates).toBeGreaterThan(0);
    expect(applied.out).toContain(`Apply complete! ${creates} created, 0 updated, 0 deleted.`);
    expect(account.names('apps')).toContain('Wiki');
    // A plan made from the code still asks (and refuses off a terminal).
    expect((await spawnAclc(['apply', '.'], env, dir)).code).toBe(0); // nothing to do: no question
  });

  it('refuses to show a saved plan changed after it was written', async () => {
    const { env, dir } = await setup();
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, dir)).code).toBe(0);
    const path = join(dir, 'plan.json');
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    saved.changes[0].name = 'Edited';
    writeFileSync(path, JSON.stringify(saved));
    const edited = await aclc(['show', 'plan.json'], {}, dir);
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('error[ACL0874]');
    // A view that is not what the renderer reads is refused, digest or not (the digest is not a signature).
    saved.changes[0].name = JSON.parse(readFileSync(path, 'utf8')).changes[0].name;
    saved.view.apps = 'everything';
    saved.digest = planDigest({ ...saved, digest: undefined });
    writeFileSync(path, JSON.stringify(saved));
    const malformed = await aclc(['show', 'plan.json'], {}, dir);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toContain('is not a usable aclc plan: its `view` is malformed');
    const missing = await aclc(['show', 'nope.json'], {}, dir);
    expect([missing.code, missing.err]).toEqual([1, expect.stringContaining('error[ACL0858]')]);
  });
});

describe('Ctrl-C during apply', () => {
  it('finishes the requests in flight, records them, releases both locks and exits 130', async () => {
    const groups = Array.from({ length: 12 }, (_, i) => `group "G${i}" = email("u${i}@example.com")`).join(
      '\n',
    );
    const { account, env, dir } = await setup({ latencyMs: 150 }, `${groups}\n`);
    const run = startAclc(['apply', '.', '--auto-approve', '--parallelism', '2'], env, dir);
    // Interrupt once the first change is done, while others are in flight.
    while (run.child.exitCode === null && !/\[ ?\d+\/12\] created/.test(run.stderr()))
      await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGINT');
    const { code, err } = await run.done;
    expect(code).toBe(130);
    expect(err).toContain('interrupted: finishing the requests in flight');
    expect(err).toMatch(/error\[ACL0834\]: apply interrupted: \d+ of 12 changes were made/);
    // Stopped part-way: some groups exist, not all.
    const made = account.emu.state().groups.filter((g) => /^G\d+$/.test(String(g.name)));
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(12);
    // Every object the API made is in the ledger (nothing left under a marker name), and the locks are gone.
    const ledger = ledgerOf(dir, account.emu.accountId);
    expect(ledger.objects.map((o: { id: string }) => o.id).sort()).toEqual(made.map((g) => g.id).sort());
    expect(account.emu.state().groups.some((g) => String(g.name).startsWith('aclc~new~'))).toBe(false);
    expect(existsSync(join(dir, '.aclc', 'state.json.lock'))).toBe(false);
    expect(account.tags()).toEqual([]);
    // The next apply finishes the job.
    const rest = await aclc(['apply', '.', '--auto-approve'], env, dir);
    expect(rest.code).toBe(0);
    expect(account.names('groups').filter((n) => /^G\d+$/.test(n))).toHaveLength(12);
  });

  it('ends a wait for another apply’s account lock at once, leaving that lock alone', async () => {
    const foreign = 'aclc-lock 2099-01-01T00:00:00.000Z 0123456789ab.1 4242@elsewhere';
    const { account, env, dir } = await setup({ seed: { ...SEED, tags: [{ name: foreign }] } });
    const run = startAclc(['apply', '.', '--auto-approve', '--lock-timeout', '5m'], env, dir);
    // Waiting: the account is locked by the apply on `elsewhere` until 2099; the waiting apply keeps looking.
    const looks = () => account.log.filter((l) => l.startsWith('GET ') && l.includes('/access/tags')).length;
    while (run.child.exitCode === null && looks() < 3) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGINT');
    const { code, err } = await run.done;
    expect(code).toBe(130);
    expect(err).toContain('apply interrupted; nothing was changed');
    expect(err).not.toContain('ACL0876');
    expect(account.tags()).toEqual([foreign]);
    expect(account.names('groups')).toEqual([]);
    expect(existsSync(join(dir, '.aclc', 'state.json.lock'))).toBe(false);
  });
});
