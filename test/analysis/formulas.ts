import type { AtomValue, Formula, RefKind } from '../../src/model/formula.js';

/** Small builders for the analysis tests (canonical argument shapes, as the resolver produces them). */
export const atom = (sel: string, args: Record<string, AtomValue> = {}): Formula => ({
  op: 'atom',
  atom: { sel, args },
});
const ref = (kind: RefKind, name: string) => ({ kind, name });

export const everyone = atom('everyone');
export const email = (address: string) => atom('email', { email: address });
export const domain = (d: string) => atom('email_domain', { domain: d });
export const country = (code: string) => atom('country', { country_code: code });
export const ip = (cidr: string) => atom('ip', { ip: cidr });
export const login = (idp: string) => atom('login_method', { id: ref('idp', idp) });
export const azure = (idp: string, group: string) =>
  atom('azure_group', { identity_provider_id: ref('idp', idp), id: group });
export const okta = (idp: string, group: string) =>
  atom('okta_group', { identity_provider_id: ref('idp', idp), name: group });
export const github = (idp: string, org: string, team?: string) =>
  atom('github_org', {
    identity_provider_id: ref('idp', idp),
    name: org,
    ...(team !== undefined ? { team } : {}),
  });
export const saml = (idp: string, name: string, value: string) =>
  atom('saml', { identity_provider_id: ref('idp', idp), attribute_name: name, attribute_value: value });
export const oidc = (idp: string, name: string, value: string) =>
  atom('oidc', { identity_provider_id: ref('idp', idp), claim_name: name, claim_value: value });
export const authContext = (idp: string, id: string) =>
  atom('auth_context', { identity_provider_id: ref('idp', idp), id, ac_id: `c-${id}` });
export const risk = (...levels: string[]) => atom('user_risk_score', { user_risk_score: levels });
export const anyToken = atom('any_service_token');
export const token = (name: string) => atom('service_token', { token_id: ref('service_token', name) });
export const certificate = atom('certificate');
export const commonName = (cn: string) => atom('common_name', { common_name: cn });
export const accessGroup = (name: string) => atom('group', { id: ref('group', name) });
export const emailList = (name: string) => atom('email_list', { id: ref('email_list', name) });
export const ipList = (name: string) => atom('ip_list', { id: ref('ip_list', name) });
export const posture = (name: string) =>
  atom('device_posture', { integration_uid: ref('device_posture', name) });
export const authMethod = (m: string) => atom('auth_method', { auth_method: m });
export const linkedApp = (name: string) => atom('linked_app_token', { app_uid: ref('app', name) });
export const external = (url: string) =>
  atom('external_evaluation', { evaluate_url: url, keys_url: 'https://keys.example.com' });
export const accountMember = atom('cloudflare_account_member');

export const and = (...args: Formula[]): Formula => ({ op: 'and', args });
export const or = (...args: Formula[]): Formula => ({ op: 'or', args });
export const not = (arg: Formula): Formula => ({ op: 'not', arg });
export const group = (name: string): Formula => ({ op: 'group', name });
export const TRUE: Formula = { op: 'const', value: true };
export const FALSE: Formula = { op: 'const', value: false };
