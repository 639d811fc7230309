import type { TfResource } from './show-json.js';

/**
 * What the user runs so Terraform stops managing the imported objects without destroying them: `removed` blocks
 * with `lifecycle { destroy = false }` (Terraform ≥ 1.7; `from` takes a resource address without instance keys —
 * https://developer.hashicorp.com/terraform/language/state/remove), or `terraform state rm`
 * for older versions. Pure.
 */

/** `module.a["x"].module.b.cloudflare_x.y` → [`module.a.module.b`, `cloudflare_x.y`]. */
function split(configAddress: string): [module: string, resource: string] {
  const parts = configAddress.split('.');
  let i = 0;
  while (parts[i] === 'module' && i + 2 < parts.length) i += 2;
  return [parts.slice(0, i).join('.'), parts.slice(i).join('.')];
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The hand-over text for the resources the import took over. */
export function handoverText(adopted: readonly TfResource[], aclFolder: string): string {
  const byModule = new Map<string, Set<string>>();
  for (const r of adopted) {
    const [module, resource] = split(r.configAddress);
    const set = byModule.get(module) ?? new Set<string>();
    set.add(resource);
    byModule.set(module, set);
  }
  const lines: string[] = [
    '# Hand-over from Terraform to aclc: Terraform forgets these objects and destroys nothing.',
    '#',
    '# 1. Delete the resource blocks listed below from the Terraform configuration and add these `removed`',
    '#    blocks in their place (Terraform 1.7 or later); delete references to their attributes too',
    '#    (`terraform validate` finds them).',
    '',
  ];
  for (const [module, resources] of [...byModule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (module !== '') lines.push(`# In the code of ${module} (the module that declares them):`, '');
    for (const from of [...resources].sort())
      lines.push('removed {', `  from = ${from}`, '', '  lifecycle {', '    destroy = false', '  }', '}', '');
  }
  lines.push(
    '# 2. Run `terraform plan`: every object above "will no longer be managed by Terraform", nothing is',
    '#    destroyed. Then `terraform apply`.',
    '#',
    '#    With Terraform before 1.7, delete the resource blocks and run instead:',
    ...[...new Set(adopted.map((r) => r.address))]
      .sort()
      .map((a) => `#      terraform state rm ${shellQuote(a)}`),
    '#',
    `# 3. Run \`aclc plan ${aclFolder}\`: it reports no changes. From now on change these objects with aclc; they`,
    '#    were made outside aclc, so the first `aclc apply` that changes them takes them over with `--adopt`.',
    '',
  );
  return lines.join('\n');
}
