import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, ensureBuilt, Project, SEED } from './harness.js';

/** Zone-scoped and account-scoped objects in one project, applied to the emulator over HTTP, then planned again. */
const ZONE_ID = '0123456789abcdef0123456789abcdef';
const OTHER_ZONE = 'fedcba9876543210fedcba9876543210';

const PROJECT = `
group "Staff" = email_domain("example.com")
group "Zone staff" in zone "example.com" = email_domain("corp.example.com") or group("Staff")
group "Shop admins" in zone id("${OTHER_ZONE}") = email("admin@shop.example.net")

policy "Staff only" allow if group("Staff")

app "Portal" {
  domain "portal.example.org"
  use "Staff only"
}

app "Wiki" {
  zone "example.com"
  domain "wiki.example.com"
  allow "Zone staff" if group("Zone staff")
  deny "Contractors" if email_domain("contractor.example.net")
}

app "Shop admin" {
  zone id("${OTHER_ZONE}")
  domain "admin.shop.example.net"
  allow "Admins" if group("Shop admins") and country("DE")
}
`;

const open = closeAfterEach();
beforeAll(() => ensureBuilt());

/** An app in the zone that aclc did not make. */
const HAND_MADE = {
  id: 'c0ffee00-0000-4000-8000-0000000000ff',
  name: 'Hand made',
  type: 'self_hosted',
  domain: 'hand.example.com',
  policies: [],
};

async function start(): Promise<{ account: Account; project: Project; env: Record<string, string> }> {
  const account = await Account.start({
    seed: { ...SEED, zone_names: { [ZONE_ID]: 'example.com' }, zones: { [ZONE_ID]: { apps: [HAND_MADE] } } },
  });
  const project = new Project().write('main.acl', PROJECT);
  open.push({ account, project });
  return { account, project, env: account.env() };
}

const names = (recs: readonly Record<string, unknown>[] | undefined): string[] =>
  (recs ?? []).map((r) => String(r.name)).sort();

describe('zone-scoped objects against the emulator', () => {
  it('applies account and zone objects side by side through their endpoints, then plans no changes', async () => {
    const { account, project, env } = await start();
    const mark = account.mark();
    const applied = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(applied.err.split('\n').filter((l) => /error|warning/i.test(l))).toEqual([]);
    expect(applied.code).toBe(0);

    // Account objects at account scope; zone objects in their zone, the name resolved through GET /zones.
    expect(account.names('groups')).toEqual(['Staff']);
    expect(account.names('policies')).toEqual(['Staff only']);
    expect(account.names('apps')).toEqual(['Portal']);
    const state = account.emu.state();
    expect(names(state.zones[ZONE_ID]?.groups)).toEqual(['Zone staff']);
    expect(names(state.zones[ZONE_ID]?.apps)).toEqual(['Hand made', 'Wiki']);
    expect(names(state.zones[OTHER_ZONE]?.groups)).toEqual(['Shop admins']);
    expect(names(state.zones[OTHER_ZONE]?.apps)).toEqual(['Shop admin']);
    expect(
      account.log
        .slice(mark)
        .some((l) => l.startsWith('GET /client/v4/zones?') && l.includes('name=example.com')),
    ).toBe(true);
    expect(account.writesSince(mark).some((l) => l.includes(`/zones/${ZONE_ID}/access/apps`))).toBe(true);

    // A zone app's policies are its own (app-scoped), in order, and use the zone group and the account group.
    const wiki = state.zones[ZONE_ID]?.app_policies ?? [];
    expect(wiki.map((p) => [p.name, p.decision, p.precedence])).toEqual([
      ['Zone staff', 'allow', 1],
      ['Contractors', 'deny', 2],
    ]);
    const zoneStaff = state.zones[ZONE_ID]?.groups[0];
    expect(wiki[0]?.include).toEqual([{ group: { id: zoneStaff?.id } }]);
    const staff = state.groups.find((g) => g.name === 'Staff');
    expect(zoneStaff?.include).toContainEqual({ group: { id: staff?.id } });

    // The ledger knows which zone each object lives in.
    const ledger = JSON.parse(readFileSync(join(project.dir, '.aclc', 'state.json'), 'utf8')) as {
      accounts: Record<string, { objects: { name: string; zone?: string }[] }>;
    };
    const objects = Object.values(ledger.accounts)[0]?.objects ?? [];
    expect(objects.find((o) => o.name === 'Wiki')?.zone).toBe(ZONE_ID);
    expect(objects.find((o) => o.name === 'Portal')?.zone).toBeUndefined();

    const again = account.mark();
    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(plan.out).toContain('No changes');
    expect(plan.code).toBe(0);
    expect(account.writesSince(again)).toEqual([]);
  });

  it('updates a zone app in place, shows it under its zone, and prunes only what it created there', async () => {
    const { account, project, env } = await start();
    expect((await aclc(['apply', '.', '--auto-approve'], env, project.dir)).code).toBe(0);
    const before = account.emu.state().zones[ZONE_ID]?.app_policies.map((p) => p.id);

    project.write('main.acl', PROJECT.replace('contractor.example.net', 'contractors.example.net'));
    const plan = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('app "Wiki" (zone example.com)');
    // What aclc last wrote to the zone app is what the zone answers: no change outside aclc is claimed.
    expect(plan.out).not.toContain('outside aclc');
    // A saved plan reads the same zones again (by id) and checks them against its fingerprint.
    expect((await aclc(['plan', '.', '--out', 'plan.json'], env, project.dir)).code).toBe(0);
    expect(plan.out).toContain('- 2: "Contractors" deny if email_domain("contractor.example.net")');
    expect(plan.out).toContain('+ 2: "Contractors" deny if email_domain("contractors.example.net")');
    const savedApply = await aclc(['apply', 'plan.json'], env, project.dir);
    expect(savedApply.err.split('\n').filter((l) => /error|warning/i.test(l))).toEqual([]);
    expect(savedApply.code).toBe(0);
    // The app-scoped policies keep their ids: updated, not replaced.
    expect(account.emu.state().zones[ZONE_ID]?.app_policies.map((p) => p.id)).toEqual(before);
    expect((await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir)).code).toBe(0);

    // A stranger's app in the zone (seeded) is never touched; the app aclc made is deleted with --prune.
    const withoutWiki = PROJECT.replace(/app "Wiki" \{[^}]*\}/, '');
    project.write('main.acl', withoutWiki);
    const orphaned = await aclc(['plan', '.'], env, project.dir);
    expect(orphaned.out).toContain('app "Wiki" (zone example.com) (id ');
    expect(orphaned.out).toContain('still guards wiki.example.com; delete it with --prune');
    const pruned = await aclc(['apply', '.', '--auto-approve', '--prune'], env, project.dir);
    expect(pruned.code).toBe(0);
    expect(names(account.emu.state().zones[ZONE_ID]?.apps)).toEqual(['Hand made']);
    expect((await aclc(['plan', '.', '--prune', '--detailed-exitcode'], env, project.dir)).code).toBe(0);
  });

  it('imports the zones named with --zone from the live account, proved, and plans no changes', async () => {
    const { account, project, env } = await start();
    expect((await aclc(['apply', '.', '--auto-approve'], env, project.dir)).code).toBe(0);
    const mark = account.mark();
    const imported = await aclc(
      ['import', '--zone', 'Example.com', '--zone', OTHER_ZONE, '--out', 'imported'],
      env,
      project.dir,
    );
    expect([imported.code, imported.err]).toEqual([0, '']);
    expect(imported.out).toMatch(/checked: (\d) of \1 app\(s\) decide as the account/);
    // Only the zones named are read: by name through GET /zones, by id directly.
    const zoneReads = account.log.slice(mark).filter((l) => l.includes('/zones'));
    expect(zoneReads.some((l) => l.includes('zones?') && l.includes('name=example.com'))).toBe(true);
    expect(
      zoneReads.every((l) => l.includes('zones?') || l.includes(ZONE_ID) || l.includes(OTHER_ZONE)),
    ).toBe(true);
    const apps = readFileSync(join(project.dir, 'imported', 'apps.acl'), 'utf8');
    expect(apps).toContain('app "Wiki" {\n  zone "example.com"');
    expect(apps).toContain(`app "Shop admin" {\n  zone id("${OTHER_ZONE}")`);
    expect(readFileSync(join(project.dir, 'imported', 'groups.acl'), 'utf8')).toContain(
      'group "Zone staff" in zone "example.com" =',
    );
    const plan = await aclc(['plan', 'imported', '--detailed-exitcode'], env, project.dir);
    expect([plan.code, plan.out]).toEqual([0, 'No changes. The account matches the code.\n']);

    // `aclc export --zone` carries the zones (by id, with their names); `import --from` reads them back.
    const exported = await aclc(
      ['export', '--zone', 'example.com', '--out', 'export.json'],
      env,
      project.dir,
    );
    expect(exported.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(project.dir, 'export.json'), 'utf8'));
    expect(doc.zone_names).toEqual({ [ZONE_ID]: 'example.com' });
    expect(Object.keys(doc.zones)).toEqual([ZONE_ID]);
    const fromExport = await aclc(
      ['import', '--from', 'export.json', '--out', 'from-export'],
      env,
      project.dir,
    );
    expect([fromExport.code, fromExport.err]).toEqual([0, '']);
    expect(readFileSync(join(project.dir, 'from-export', 'apps.acl'), 'utf8')).toContain(
      'app "Wiki" {\n  zone "example.com"',
    );

    // A zone the credentials do not see is an error, before anything is written.
    const missing = await aclc(['import', '--zone', 'nowhere.example', '--out', 'none'], env, project.dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error[ACL0655]: zone `nowhere.example` is not in the account');
  });

  it('reports a zone name the account does not have, at the zone in the source', async () => {
    const { project, env } = await start();
    project.write(
      'main.acl',
      'app "X" {\n  zone "nowhere.example"\n  domain "x.nowhere.example"\n  allow "A" if everyone\n}\n',
    );
    const plan = await aclc(['plan', '.'], env, project.dir);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('error[ACL0655]: zone `nowhere.example` is not in the account');
    expect(plan.err).toContain('main.acl:2:8');
  });
});
