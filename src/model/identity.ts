/**
 * Everything a selector can look at in one request. Used by both evaluators, the analysis engine's witnesses
 * and, later, `aclc test` / `aclc explain`. Absent fields mean "not present in the request".
 * Account objects (lists, extern groups, service tokens, posture checks, IdPs) are named by the same key the
 * policy uses: the name given in the `.acl` source, or the literal id when the source wrote `id("…")`.
 */
export interface Identity {
  /** The user's email, lower-case. */
  email?: string;
  /** ISO 3166-1 alpha-2 code of the request's origin, upper-case. */
  country?: string;
  /** Source IP address (v4 or v6, no prefix length). */
  ip?: string;
  /** The IdP the user logged in with (IdP display name or id, as the policy names it). */
  loginMethod?: string;
  /** Group memberships the IdP reported: Azure group ids, Google Workspace group emails, Okta group names. */
  idpGroups?: string[];
  /** GitHub memberships, each `org` or `org/team`. */
  githubTeams?: string[];
  /** SAML attributes the IdP sent. */
  samlAttributes?: Record<string, string[]>;
  /** OIDC claims the IdP sent. */
  oidcClaims?: Record<string, string[]>;
  /** Azure authentication context ids satisfied by the login. */
  authContexts?: string[];
  /** Authentication methods (RFC 8176 `amr` values) used at login, e.g. `mfa`, `pwd`, `hwk`. */
  authMethods?: string[];
  /** Whether the request presented a valid client certificate. */
  certificate?: boolean;
  /** Common name of the client certificate. */
  commonName?: string;
  /** The service token the request presented; set means this is a service-token (non-identity) request. */
  serviceToken?: string;
  /** Device posture checks that passed. */
  devicePosture?: string[];
  /** The user's risk score level. */
  riskScore?: 'low' | 'medium' | 'high' | 'unscored';
  /** Account Access groups (not defined in code) the identity belongs to. */
  accessGroups?: string[];
  /** Account email lists that contain the identity's email. */
  emailLists?: string[];
  /** Account IP lists that contain the identity's IP. */
  ipLists?: string[];
  /** External evaluation endpoints (`evaluate_url`) that answer "allow" for this request. */
  externalEvaluations?: string[];
  /** `app_uid` of the Access OIDC SaaS app that issued the request's OAuth token. */
  linkedAppToken?: string;
  /** Whether the user is a member of the Cloudflare account (Cloudflare IdP). */
  accountMember?: boolean;
}
