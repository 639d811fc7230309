import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTfFiles } from '../../../src/import/terraform/hcl.js';
import { importTerraform } from '../../../src/import/terraform/import-terraform.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe('zone-level objects in .tf files', () => {
  it('imports a literal zone id with the zone, proved, and hands the zone objects over', async () => {
    const read = await readTfFiles(join(FIXTURES, 'tf-zones'), 'tf-zones', true);
    expect(read.diagnostics).toEqual([]);
    if (!read.doc) throw new Error('no document');
    const ok = importTerraform(read.doc, 'tf-zones');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.value.proof?.differences).toEqual([]);
    expect(ok.value.proof?.apps).toBe(1);
    const text = ok.value.files.map((f) => f.text).join('\n');
    expect(text).toContain(
      'group "Wiki editors" in zone id("fedcba9876543210fedcba9876543210") = group("Staff")',
    );
    expect(text).toContain(
      'app "Wiki" {\n  zone id("fedcba9876543210fedcba9876543210")\n  domain "wiki.example.org"\n  allow "Editors" if group("Wiki editors")\n}',
    );
    expect(ok.value.adopted.map((r) => r.address).sort()).toEqual([
      'cloudflare_access_application.wiki',
      'cloudflare_access_group.editors',
      'cloudflare_access_group.staff',
      'cloudflare_access_policy.wiki_editors',
    ]);
  });

  it('points a zone only Terraform knows (a variable) at `terraform show -json`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aclc-tf-zone-'));
    try {
      writeFileSync(
        join(dir, 'shop.tf'),
        'resource "cloudflare_access_application" "shop" {\n  zone_id = var.shop_zone_id\n  name    = "Shop"\n  domain  = "shop.example.net"\n}\n',
      );
      const read = await readTfFiles(dir, 'shop', true);
      expect(read.doc).toBeUndefined();
      expect(read.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
        [
          'ACL0744',
          expect.stringContaining('var.shop_zone_id'),
          expect.stringContaining('terraform show -json'),
        ],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
