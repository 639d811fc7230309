/**
 * Terraform's Access condition blocks (`include`, `exclude`, `require`) as the API's rule lists. Pure.
 *
 * v4 (`cloudflare_access_*` and v4's `cloudflare_zero_trust_access_*`): each block holds lists of values, one API
 * rule per value; several values in a block and several blocks of one kind all land in the same API list, so they are
 * OR'd in `include` / `exclude` and AND'd in `require`. Field names and expansion per the v4 provider's
 * `BuildAccessGroupCondition` (terraform-provider-cloudflare `internal/sdkv2provider/resource_cloudflare_access_group.go`)
 * and the v4 state model in `internal/services/zero_trust_access_group/migration/v500/model.go` (`github` → one
 * `github-organization` rule per team, `azure` → `azureAD`, `common_names` → several `common_name` rules).
 *
 * v5 (`cloudflare_zero_trust_access_*`, lists of objects): each object is one API rule whose single non-null
 * attribute is the rule; names follow the API except `azure_ad` (`azureAD`) and `github_organization`
 * (`github-organization`) — same sources, `TargetV5ZeroTrustAccessGroupIncludeModel`.
 */

type Rule = Record<string, Record<string, unknown>>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** v4 list fields: one rule per value, `{ <key>: { <field>: value } }`. */
const V4_LISTS: readonly [tf: string, key: string, field: string][] = [
  ['email', 'email', 'email'],
  ['email_domain', 'email_domain', 'domain'],
  ['email_list', 'email_list', 'id'],
  ['ip', 'ip', 'ip'],
  ['ip_list', 'ip_list', 'id'],
  ['service_token', 'service_token', 'token_id'],
  ['group', 'group', 'id'],
  ['geo', 'geo', 'country_code'],
  ['login_method', 'login_method', 'id'],
  ['device_posture', 'device_posture', 'integration_uid'],
  ['common_names', 'common_name', 'common_name'],
];
const V4_FLAGS = ['everyone', 'any_valid_service_token', 'certificate'] as const;
const V4_KNOWN = new Set([
  ...V4_LISTS.map(([tf]) => tf),
  ...V4_FLAGS,
  'common_name',
  'auth_method',
  'okta',
  'gsuite',
  'github',
  'azure',
  'saml',
  'oidc',
  'external_evaluation',
  'auth_context',
]);

/** Whether a condition block is written in v5's shape (every attribute an object or null). */
export function isV5Block(block: Record<string, unknown>): boolean {
  const set = Object.values(block).filter((v) => v !== null && v !== undefined);
  return set.length > 0 && set.every(isRecord);
}

/** The nested blocks of a v4 block attribute (`okta { … }` is a list of one object in state). */
const nested = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** One v4 block as API rules; `unknown` receives attributes that hold a value this importer does not read. */
function v4Block(block: Record<string, unknown>, unknown: (field: string) => void): Rule[] {
  const rules: Rule[] = [];
  for (const flag of V4_FLAGS) if (block[flag] === true) rules.push({ [flag]: {} });
  for (const [tf, key, field] of V4_LISTS)
    for (const v of strings(block[tf])) rules.push({ [key]: { [field]: v } });
  const cn = text(block.common_name);
  if (cn) rules.push({ common_name: { common_name: cn } });
  const am = text(block.auth_method);
  if (am) rules.push({ auth_method: { auth_method: am } });
  const idp = (b: Record<string, unknown>) => text(b.identity_provider_id);
  const withIdp = (b: Record<string, unknown>, body: Record<string, unknown>) => {
    const id = idp(b);
    return id ? { ...body, identity_provider_id: id } : body;
  };
  for (const b of nested(block.okta))
    for (const name of strings(b.name)) rules.push({ okta: withIdp(b, { name }) });
  for (const b of nested(block.gsuite))
    for (const email of strings(b.email)) rules.push({ gsuite: withIdp(b, { email }) });
  for (const b of nested(block.azure))
    for (const id of strings(b.id)) rules.push({ azureAD: withIdp(b, { id }) });
  for (const b of nested(block.github)) {
    const name = text(b.name);
    if (!name) continue;
    const teams = strings(b.teams);
    if (teams.length === 0) rules.push({ 'github-organization': withIdp(b, { name }) });
    for (const team of teams) rules.push({ 'github-organization': withIdp(b, { name, team }) });
  }
  for (const b of nested(block.saml))
    rules.push({
      saml: withIdp(b, {
        attribute_name: text(b.attribute_name) ?? '',
        attribute_value: text(b.attribute_value) ?? '',
      }),
    });
  for (const b of nested(block.oidc))
    rules.push({
      oidc: withIdp(b, { claim_name: text(b.claim_name) ?? '', claim_value: text(b.claim_value) ?? '' }),
    });
  for (const b of nested(block.external_evaluation))
    rules.push({
      external_evaluation: { evaluate_url: text(b.evaluate_url) ?? '', keys_url: text(b.keys_url) ?? '' },
    });
  for (const b of nested(block.auth_context))
    rules.push({ auth_context: withIdp(b, { id: text(b.id) ?? '', ac_id: text(b.ac_id) ?? '' }) });
  for (const [k, v] of Object.entries(block)) if (!V4_KNOWN.has(k) && hasValue(v)) unknown(k);
  return rules;
}

/** Whether a state value says something: not null, `false`, `""`, `[]` or `{}` of such. */
export function hasValue(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return false;
  if (Array.isArray(v)) return v.some(hasValue);
  if (isRecord(v)) return Object.keys(v).length === 0 ? false : Object.values(v).some(hasValue);
  return true;
}

const V5_KEYS: Readonly<Record<string, string>> = {
  azure_ad: 'azureAD',
  github_organization: 'github-organization',
};

/** One v5 object as API rules (one, unless the object sets several attributes). */
function v5Object(obj: Record<string, unknown>): Rule[] {
  const rules: Rule[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (!isRecord(v)) continue;
    const body: Record<string, unknown> = {};
    for (const [f, x] of Object.entries(v)) if (x !== null && x !== undefined && x !== '') body[f] = x;
    rules.push({ [V5_KEYS[k] ?? k]: body });
  }
  return rules;
}

/**
 * A condition attribute (`include`, `exclude` or `require`) of either dialect as one API rule list, in the order
 * the configuration wrote it. `unknown(field)` is called for v4 attributes with a value this importer cannot read.
 */
export function conditionRules(raw: unknown, unknown: (field: string) => void): Rule[] {
  const blocks = Array.isArray(raw) ? raw.filter(isRecord) : [];
  return blocks.flatMap((b) => (isV5Block(b) ? v5Object(b) : v4Block(b, unknown)));
}
