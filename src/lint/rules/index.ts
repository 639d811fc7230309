import type { AnyRule } from '../rule.js';
import { allowsEveryone } from './allows-everyone.js';
import { analysisIncomplete } from './analysis-incomplete.js';
import { bypassEveryone } from './bypass-everyone.js';
import { bypassServiceToken } from './bypass-service-token.js';
import { conflictingPolicies } from './conflicting-policies.js';
import { decisionRestrictedSelector } from './decision-restricted-selector.js';
import { duplicateGroup } from './duplicate-group.js';
import { duplicateName } from './duplicate-name.js';
import { duplicateValue } from './duplicate-value.js';
import { equivalentPolicies } from './equivalent-policies.js';
import { groupCycle } from './group-cycle.js';
import { identityInNonIdentity } from './identity-in-non-identity.js';
import { idpTypeMismatch } from './idp-type-mismatch.js';
import { invalidSetting } from './invalid-setting.js';
import { invalidSuppression } from './invalid-suppression.js';
import { invalidValue } from './invalid-value.js';
import { longSession } from './long-session.js';
import { missingInclude } from './missing-include.js';
import { missingMfa } from './missing-mfa.js';
import { noAllow } from './no-allow.js';
import { orderMisleading } from './order-misleading.js';
import { precedenceClash } from './precedence-clash.js';
import { publicEmailDomain } from './public-email-domain.js';
import { redundantTerm } from './redundant-term.js';
import { serviceTokenInAllow } from './service-token-in-allow.js';
import { shadowedPolicy } from './shadowed-policy.js';
import { undefinedReference } from './undefined-reference.js';
import { unsatisfiablePolicy } from './unsatisfiable-policy.js';
import { unusedGroup } from './unused-group.js';
import { unusedIdp } from './unused-idp.js';
import { unusedPolicy } from './unused-policy.js';
import { unusedSuppression } from './unused-suppression.js';

/** Every lint rule, in alphabetical order of id (a test checks the order and that ids are unique). */
export const RULES: readonly AnyRule[] = [
  allowsEveryone,
  analysisIncomplete,
  bypassEveryone,
  bypassServiceToken,
  conflictingPolicies,
  decisionRestrictedSelector,
  duplicateGroup,
  duplicateName,
  duplicateValue,
  equivalentPolicies,
  groupCycle,
  identityInNonIdentity,
  idpTypeMismatch,
  invalidSetting,
  invalidSuppression,
  invalidValue,
  longSession,
  missingInclude,
  missingMfa,
  noAllow,
  orderMisleading,
  precedenceClash,
  publicEmailDomain,
  redundantTerm,
  serviceTokenInAllow,
  shadowedPolicy,
  undefinedReference,
  unsatisfiablePolicy,
  unusedGroup,
  unusedIdp,
  unusedPolicy,
  unusedSuppression,
];

/** A rule by id. */
export function ruleById(id: string): AnyRule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
