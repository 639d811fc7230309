import type { Identity } from '../../src/model/identity.js';

/**
 * The user-identity attributes a service-token request never carries (src/analysis/theory.ts assumes this of every
 * request): tests use it to make random identities possible, and to check witnesses are.
 */
export const USER_ONLY_ATTRIBUTES = [
  'email',
  'loginMethod',
  'authMethods',
  'riskScore',
  'idpGroups',
  'githubTeams',
] as const satisfies readonly (keyof Identity)[];
