/**
 * The starter project `aclc init` writes: a configuration, one `.acl` file and an emulator seed holding the account
 * objects the `.acl` file refers to, so `lint`, `compile` and a deploy to `aclc emulator --seed` work at once.
 * Pure: file names and texts out.
 */

export const INIT_FILES = ['aclc.config.json', 'policies.acl', 'emulator-seed.json'] as const;

/** The identity provider the starter policies name; the seed holds it under this display name. */
const IDP = { id: '9d6f3c2e-7b1a-4e58-a0c4-1f2e3d4c5b6a', name: 'One-time PIN', type: 'onetimepin' };

const CONFIG = `// aclc configuration: JSON with comments. Keys, rules and editor set-up: docs/configuration.md
{
  "$schema": "./node_modules/aclc/schemas/config.schema.json",
  // Rule name → "off" | "info" | "warning" | "error" (aclc rule --all lists them).
  "rules": {},
  // Apps whose allow policies must require MFA ("*" matches any run of characters).
  "sensitiveApps": [],
  // Files skipped when a folder is linted.
  "ignore": []
}
`;

const POLICIES = `# Starter policies written by \`aclc init\`. Change the domains and names to yours.
# aclc lint      check them (exact semantic checks)
# aclc compile   see the JSON the Cloudflare API receives

# An identity provider of the account, by its display name.
idp pin: onetimepin = "${IDP.name}"

group "Staff" = email_domain("example.com")

app "Wiki" {
  domain "wiki.example.com"
  session_duration 8h
  deny "Sanctioned countries" if country in ("KP", "IR", "SY", "CU")
  allow "Staff" if group("Staff") and login_method(pin)
}
`;

const SEED = {
  $schema: './node_modules/aclc/schemas/emulator-seed.schema.json',
  identity_providers: [{ ...IDP, config: {} }],
};

/** The starter files, by name. */
export function starterFiles(): Record<(typeof INIT_FILES)[number], string> {
  return {
    'aclc.config.json': CONFIG,
    'policies.acl': POLICIES,
    'emulator-seed.json': `${JSON.stringify(SEED, null, 2)}\n`,
  };
}

/** What to run next, for the folder as the user named it. */
export function nextSteps(folder: string): string {
  const cd = folder === '.' ? '' : `cd ${folder}\n  `;
  return `next:
  ${cd}npx aclc lint
  npx aclc compile
  # deploy to a local emulator of the Cloudflare API (another terminal):
  npx aclc emulator --seed emulator-seed.json --token dev-token
  # then, with the two exports it prints and CLOUDFLARE_API_TOKEN=dev-token:
  npx aclc plan && npx aclc apply
`;
}
