// `aclc import --from-terraform` on a generated `terraform show -json` (v5 dialect): groups that use groups, reusable
// policies, apps with three policies each. Prints Markdown rows; run alone with `node scripts/bench/terraform-import.mjs`
// after `npm run build`. Figures are reported, never asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'aclc.js');
const uid = (n) => `0a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`;
const KEYS = ['email', 'email_domain', 'geo', 'ip', 'group', 'okta'];
const rule = (key, value) => Object.fromEntries(KEYS.map((k) => [k, k === key ? value : null]));

/** A configuration of `apps` apps, three times as many policies and as many groups (chains of up to 4). */
function configuration(apps) {
  const groups = apps;
  const policies = apps * 3;
  const resources = [
    {
      address: 'data.cloudflare_zero_trust_access_identity_provider.okta',
      mode: 'data',
      type: 'cloudflare_zero_trust_access_identity_provider',
      name: 'okta',
      values: { id: uid(1), name: 'Okta', type: 'okta' },
    },
  ];
  const resource = (type, name, i, values) => ({
    address: `${type}.${name}["${i}"]`,
    mode: 'managed',
    type,
    name,
    index: String(i),
    values,
  });
  for (let g = 0; g < groups; g++) {
    const include = [
      rule('email', { email: `u${g}@example.com` }),
      rule('okta', { name: `team${g}`, identity_provider_id: uid(1) }),
    ];
    if (g % 4) include.push(rule('group', { id: uid(1000 + g - 1) }));
    const require = g % 5 === 0 ? [rule('geo', { country_code: ['US', 'DE', 'FR'][g % 3] })] : null;
    resources.push(
      resource('cloudflare_zero_trust_access_group', 'g', g, {
        id: uid(1000 + g),
        name: `Group ${g}`,
        include,
        exclude: null,
        require,
      }),
    );
  }
  for (let p = 0; p < policies; p++)
    resources.push(
      resource('cloudflare_zero_trust_access_policy', 'p', p, {
        id: uid(100000 + p),
        name: `Policy ${p}`,
        decision: ['allow', 'deny', 'bypass'][p % 3],
        include: [
          rule('group', { id: uid(1000 + (p % groups)) }),
          rule('ip', { ip: `10.${p % 250}.0.0/16` }),
        ],
        exclude: [rule('email_domain', { domain: `d${p % 7}.example.com` })],
        require: null,
      }),
    );
  for (let a = 0; a < apps; a++)
    resources.push(
      resource('cloudflare_zero_trust_access_application', 'a', a, {
        id: uid(200000 + a),
        name: `App ${a}`,
        domain: `app${a}.example.com`,
        type: 'self_hosted',
        policies: [0, 1, 2].map((i) => ({ id: uid(100000 + ((a * 3 + i) % policies)), precedence: i + 1 })),
      }),
    );
  return { format_version: '1.0', values: { root_module: { resources } } };
}

const work = mkdtempSync(join(tmpdir(), 'aclc-bench-tf-'));
const rows = [
  '| configuration | resources | wall ms | identities checked | target |',
  '| --- | ---: | ---: | ---: | --- |',
];
for (const apps of [10, 100]) {
  const file = join(work, `tf-${apps}.json`);
  const config = configuration(apps);
  writeFileSync(file, JSON.stringify(config));
  const out = join(work, `out-${apps}`);
  const t = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [cli, 'import', '--from-terraform', file, '--out', out, '--handover', `${out}.tf`],
    {
      encoding: 'utf8',
    },
  );
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const checked = /on (\d+) identities/.exec(r.stdout)?.[1] ?? `exit ${r.status}`;
  rows.push(
    `| ${apps} apps, ${apps * 3} policies, ${apps} groups | ${config.values.root_module.resources.length} | ${ms.toFixed(0)} | ${checked} | seconds, not minutes |`,
  );
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${rows.join('\n')}\n`);
