import type { ParamSpec, SelectorSpec } from '../selectors/table.js';
import type { ValueKind } from '../selectors/values.js';

/** Example arguments for the usage line of a selector, as written in source; keyed `selector.field`. */
const EXAMPLES: Readonly<Record<string, string>> = {
  'email_list.id': '"Contractors"',
  'ip_list.id': '"Office networks"',
  'group.id': '"Engineers"',
  'service_token.token_id': '"CI"',
  'common_name.common_name': '"client.example.com"',
  'device_posture.integration_uid': '"Disk encryption"',
  'azure_group.id': '"0b4a6a3f-8d0e-4c1b-9a57-7c1e5f1d2a90"',
  'github_org.name': '"acme"',
  'github_org.team': '"platform"',
  'gsuite_group.email': '"admins@example.com"',
  'okta_group.name': '"engineering"',
  'saml.attribute_name': '"department"',
  'saml.attribute_value': '"engineering"',
  'oidc.claim_name': '"groups"',
  'oidc.claim_value': '"admins"',
  'auth_context.id': '"c1a2b3c4-0000-4000-8000-000000000001"',
  'auth_context.ac_id': '"c1"',
  'external_evaluation.evaluate_url': '"https://eval.example.com/allow"',
  'external_evaluation.keys_url': '"https://eval.example.com/keys"',
  'linked_app_token.app_uid': '"Partner portal"',
  'user_risk_score.user_risk_score': '"high"',
};

const BY_KIND: Readonly<Record<ValueKind, string>> = {
  email: '"alice@example.com"',
  domain: '"example.com"',
  cidr: '"192.0.2.0/24"',
  country: '"US"',
  text: '"…"',
  url: '"https://example.com"',
  auth_method: '"mfa"',
  risk_level: '"high"',
};

/** The name an example IdP of a given type gets. */
const IDP_NAMES: Readonly<Record<string, string>> = { google_workspace: 'google' };

function example(spec: SelectorSpec, param: ParamSpec): string {
  const known = EXAMPLES[`${spec.name}.${param.field}`];
  if (known) return known;
  switch (param.type.kind) {
    case 'value':
      return BY_KIND[param.type.value];
    case 'ref':
      return '"Name"';
    case 'idp': {
      const type = spec.idpTypes?.[0] ?? 'okta';
      return IDP_NAMES[type] ?? type;
    }
  }
}

/** How a selector is written, e.g. `email("alice@example.com")` or `everyone`. */
export function selectorUsage(spec: SelectorSpec): string {
  if (spec.params.length === 0) return spec.name;
  return `${spec.name}(${spec.params.map((p) => example(spec, p)).join(', ')})`;
}

/** What a selector takes, for "`x` takes …" messages. */
export function expectedArguments(spec: SelectorSpec): string {
  const n = spec.params.length;
  if (n === 0) return 'no arguments';
  const labels = spec.params.map((p) => (p.optional ? `[${p.label}]` : p.label)).join(', ');
  const min = spec.params.filter((p) => !p.optional).length;
  if (spec.repeat) {
    return `${min === 1 ? 'one or more arguments' : `at least ${min} arguments`} (${labels}, …)`;
  }
  if (min === n) return `${n === 1 ? 'one argument' : `${n} arguments`} (${labels})`;
  return `${min} or ${n} arguments (${labels})`;
}

export function argumentCount(n: number): string {
  return n === 0 ? 'no arguments' : n === 1 ? '1 argument' : `${n} arguments`;
}
