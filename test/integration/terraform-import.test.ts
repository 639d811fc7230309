import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTerraform } from '../../src/import/terraform/import-terraform.js';
import { readShowJson, type TfDocument } from '../../src/import/terraform/show-json.js';
import { Account, aclc, closeAfterEach, ensureBuilt, Project, spawnAclc, TOKEN } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'import', 'terraform', 'fixtures');

/**
 * The objects Terraform had created, as the API holds them: the account the configuration describes (checked
 * against the configuration by the unit tests' goldens), loaded into the emulator as its starting account.
 */
function createdByTerraform(json: unknown): Record<string, unknown> {
  const doc = readShowJson(json).value as TfDocument;
  return importTerraform(doc, 'terraform.json').value.account;
}

const open = closeAfterEach();

describe('aclc import --from-terraform, against the account Terraform made', () => {
  /** The v4 fixture without its app-scoped policies: every policy reusable, as provider 4.4x configurations have them. */
  const reusableOnly = (json: {
    values: { root_module: { resources: { values: Record<string, unknown> }[] } };
  }) => {
    const resources = json.values.root_module.resources.filter((r) => !r.values.application_id);
    return { ...json, values: { root_module: { resources } } };
  };

  for (const dialect of ['v4', 'zero-trust-v4', 'v5']) {
    it(`${dialect}: import, hand-over, then plan has no changes`, async () => {
      const read = JSON.parse(readFileSync(join(FIXTURES, dialect, 'terraform.json'), 'utf8'));
      const json = dialect === 'v4' ? reusableOnly(read) : read;
      const account = await Account.start({ seed: createdByTerraform(json) });
      const project = new Project();
      open.push({ account, project });
      writeFileSync(join(project.dir, 'terraform.json'), JSON.stringify(json));

      // Reading a Terraform configuration needs no credentials.
      const imported = await aclc(
        ['import', '--from-terraform', 'terraform.json', '--out', 'policies', '--handover', 'handover.tf'],
        {},
        project.dir,
      );
      expect([imported.code, imported.err]).toEqual([0, '']);
      expect(imported.out).toMatch(
        /checked: (\d) of \1 app\(s\) decide as the Terraform configuration: \1 proved for every request by the analysis engine, and all of them on \d+ identities with both evaluators/,
      );
      const handover = readFileSync(join(project.dir, 'handover.tf'), 'utf8');
      expect(handover).toMatch(/removed \{\n {2}from = cloudflare_(zero_trust_)?access_policy/);
      expect(handover).toContain('    destroy = false');
      // The configuration's IP and email lists are declared with their items and handed over too.
      const list = { v4: 'cloudflare_teams_list.hooks', v5: 'cloudflare_zero_trust_list.offices' }[dialect];
      if (list) {
        expect(handover).toContain(`removed {\n  from = ${list}\n`);
        expect(readFileSync(join(project.dir, 'policies', 'lists.acl'), 'utf8')).toMatch(/^list "/m);
      }

      const mark = account.mark();
      const plan = await aclc(['plan', 'policies', '--detailed-exitcode'], account.env(), project.dir);
      expect([plan.code, plan.out, plan.err]).toEqual([0, 'No changes. The account matches the code.\n', '']);
      expect(account.writesSince(mark)).toEqual([]);
      expect(JSON.stringify([imported, plan])).not.toContain(TOKEN);
      expect(JSON.stringify([imported, plan])).not.toContain('never-printed');
    });
  }

  for (const dialect of ['zones-v4', 'zones-zero-trust-v4', 'zones-v5']) {
    it(`${dialect}: zone-level apps and groups are imported with their zone, then plan has no changes`, async () => {
      const json = JSON.parse(readFileSync(join(FIXTURES, dialect, 'terraform.json'), 'utf8'));
      const seed = createdByTerraform(json);
      expect(Object.keys(seed.zones as object)).toEqual(['fedcba9876543210fedcba9876543210']);
      const account = await Account.start({ seed });
      const project = new Project();
      open.push({ account, project });
      writeFileSync(join(project.dir, 'terraform.json'), JSON.stringify(json));
      const imported = await aclc(
        ['import', '--from-terraform', 'terraform.json', '--out', 'policies', '--handover', 'handover.tf'],
        {},
        project.dir,
      );
      expect([imported.code, imported.err]).toEqual([0, '']);
      expect(imported.out).toContain('checked: 2 of 2 app(s) decide as the Terraform configuration');
      const apps = readFileSync(join(project.dir, 'policies', 'apps.acl'), 'utf8');
      expect(apps).toContain('app "Wiki" {\n  zone id("fedcba9876543210fedcba9876543210")');
      expect(apps).toContain('deny "Contractors" if email_domain("contractor.example.net")');
      expect(readFileSync(join(project.dir, 'policies', 'groups.acl'), 'utf8')).toContain(
        'group "Wiki editors" in zone id("fedcba9876543210fedcba9876543210") =',
      );
      const handover = readFileSync(join(project.dir, 'handover.tf'), 'utf8');
      expect(handover).toMatch(/removed \{\n {2}from = cloudflare_(zero_trust_)?access_application\.wiki\n/);

      const mark = account.mark();
      const plan = await aclc(['plan', 'policies', '--detailed-exitcode'], account.env(), project.dir);
      expect([plan.code, plan.out, plan.err]).toEqual([0, 'No changes. The account matches the code.\n', '']);
      expect(account.writesSince(mark)).toEqual([]);
      // The zone was read through its own endpoints, and only it.
      const reads = account.log.slice(mark).filter((l) => l.includes('/zones/'));
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.every((l) => l.includes('/zones/fedcba9876543210fedcba9876543210/access/'))).toBe(true);
    });
  }

  it('v4 with app-scoped policies: the first plan only converts them to reusable ones', async () => {
    const json = JSON.parse(readFileSync(join(FIXTURES, 'v4', 'terraform.json'), 'utf8'));
    const account = await Account.start({ seed: createdByTerraform(json) });
    const project = new Project();
    open.push({ account, project });
    writeFileSync(join(project.dir, 'terraform.json'), JSON.stringify(json));
    const imported = await aclc(
      ['import', '--from-terraform', 'terraform.json', '--out', 'policies'],
      {},
      project.dir,
    );
    expect([imported.code, imported.err]).toEqual([0, '']);
    expect(imported.out).toContain('removed {\n  from = cloudflare_access_policy.wiki_partners');
    expect(imported.out).toContain("terraform state rm 'cloudflare_access_group.staff'");
    const plan = await aclc(['plan', 'policies', '--detailed-exitcode'], account.env(), project.dir);
    expect(plan.out).toContain('Plan: 0 to create, 4 to update, 0 to delete.');
    expect(plan.out.match(/converted from a legacy policy/g)?.length).toBe(4);
    // They were made outside aclc (by Terraform): the apply that changes them takes them over with --adopt.
    expect(plan.out).toContain('Made outside aclc');
    const applied = await aclc(
      ['apply', 'policies', '--auto-approve', '--adopt'],
      account.env(),
      project.dir,
    );
    expect(applied.code, applied.err).toBe(0);
    const again = await aclc(['plan', 'policies', '--detailed-exitcode'], account.env(), project.dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);
  });

  it('writes nothing and says why when the configuration cannot be read', async () => {
    const project = new Project();
    open.push({ account: await Account.start(), project });
    writeFileSync(join(project.dir, 'state.tfstate'), JSON.stringify({ version: 4, resources: [] }));
    const r = await aclc(['import', '--from-terraform', 'state.tfstate', '--out', 'out'], {}, project.dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error[ACL0740]: cannot read the Terraform configuration `state.tfstate`: this is a raw state file',
    );
    const missing = await aclc(['import', '--from-terraform', 'nope.json'], {}, project.dir);
    expect(missing.err).toContain('`nope.json`: no such file or folder');
    const both = await aclc(['import', '--from', 'a.json', '--from-terraform', 'b.json'], {}, project.dir);
    expect([both.code, both.err]).toEqual([
      2,
      expect.stringContaining(
        '`--from` reads an aclc export and `--from-terraform` a Terraform configuration',
      ),
    ]);
    const alone = await aclc(['import', '--from', 'a.json', '--handover', 'h.tf'], {}, project.dir);
    expect([alone.code, alone.err]).toEqual([2, expect.stringContaining('it goes with `--from-terraform`')]);
    // An existing hand-over file is refused before anything is written.
    writeFileSync(join(project.dir, 'terraform.json'), readFileSync(join(FIXTURES, 'v5', 'terraform.json')));
    writeFileSync(join(project.dir, 'handover.tf'), '# mine\n');
    const taken = await aclc(
      ['import', '--from-terraform', 'terraform.json', '--out', 'fresh', '--handover', 'handover.tf'],
      {},
      project.dir,
    );
    expect([taken.code, existsSync(join(project.dir, 'fresh'))]).toEqual([1, false]);
    expect(taken.err).toContain('cannot write `handover.tf`: the file exists');
    expect(readFileSync(join(project.dir, 'handover.tf'), 'utf8')).toBe('# mine\n');
  });

  it('reads .tf files with literal values through the built CLI (the HCL parser loads from node_modules)', async () => {
    ensureBuilt();
    const project = new Project();
    open.push({ account: await Account.start(), project });
    cpSync(join(FIXTURES, 'tf-files'), join(project.dir, 'terraform'), { recursive: true });
    const r = await spawnAclc(
      ['import', '--from-terraform', 'terraform', '--out', 'policies'],
      {},
      project.dir,
    );
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain(
      'checked: 1 of 1 app(s) decide as the Terraform configuration: 1 proved for every request',
    );
    expect(readFileSync(join(project.dir, 'policies', 'groups.acl'), 'utf8')).toBe(
      readFileSync(join(FIXTURES, 'tf-files', 'expected', 'groups.acl'), 'utf8').replace(
        '`tf-files`',
        '`terraform`',
      ),
    );
    const bad = await spawnAclc(
      ['import', '--from-terraform', join(FIXTURES, 'tf-needs-terraform'), '--out', 'x'],
      { NO_COLOR: '1' },
      project.dir,
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('error[ACL0744]: `for_each` needs Terraform to evaluate it');
    expect(bad.err).toContain('main.tf:8:3');
  });
});
