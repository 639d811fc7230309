/** The API's decision values. `non_identity` is written `service_auth` in the language. */
export type Decision = 'allow' | 'deny' | 'bypass' | 'non_identity';

export const DECISIONS: readonly Decision[] = ['allow', 'deny', 'bypass', 'non_identity'];

/** Language keyword → API decision (aliases included). */
export const DECISION_KEYWORDS: Readonly<Record<string, Decision>> = {
  allow: 'allow',
  deny: 'deny',
  block: 'deny',
  bypass: 'bypass',
  service_auth: 'non_identity',
  non_identity: 'non_identity',
};

/** The keyword the formatter and messages print for a decision. */
export const DECISION_DISPLAY: Readonly<Record<Decision, string>> = {
  allow: 'allow',
  deny: 'deny',
  bypass: 'bypass',
  non_identity: 'service_auth',
};

/**
 * Access evaluates Bypass and Service Auth policies before Allow and Block, whatever their precedence
 * (https://developers.cloudflare.com/cloudflare-one/policies/access/#order-of-execution).
 */
export function evaluatedFirst(decision: Decision): boolean {
  return decision === 'bypass' || decision === 'non_identity';
}
