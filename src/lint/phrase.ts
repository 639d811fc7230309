import type { Identity } from '../model/identity.js';

const tick = (s: string) => `\`${s}\``;
const list = (items: readonly string[]) => items.map(tick).join(', ');

/**
 * A witness in words for a message, e.g. "`bob@eng.example.com` from KP": who (email, service token or "a
 * request"), then what else the witness needs (country, IP, IdP, groups, MFA, …). The full witness is also attached
 * to the diagnostic.
 */
export function describeWho(identity: Identity): string {
  let subject: string;
  if (identity.serviceToken !== undefined)
    subject = `a request with service token ${tick(identity.serviceToken)}`;
  else if (identity.email !== undefined) subject = tick(identity.email);
  else if (identity.accountMember) subject = 'a Cloudflare account member';
  else subject = 'a request';
  const parts: string[] = [subject];
  if (identity.country !== undefined) parts.push(`from ${identity.country}`);
  if (identity.ip !== undefined) parts.push(`at ${identity.ip}`);
  if (identity.ipLists?.length) parts.push(`from IP list ${list(identity.ipLists)}`);
  if (identity.loginMethod !== undefined) parts.push(`signed in with ${tick(identity.loginMethod)}`);
  if (identity.idpGroups?.length) parts.push(`in IdP group ${list(identity.idpGroups)}`);
  if (identity.githubTeams?.length) parts.push(`in GitHub ${list(identity.githubTeams)}`);
  for (const [kind, claims] of [
    ['SAML attribute', identity.samlAttributes],
    ['OIDC claim', identity.oidcClaims],
  ] as const) {
    for (const [name, values] of Object.entries(claims ?? {}))
      parts.push(`with ${kind} ${tick(`${name}=${values.join('|')}`)}`);
  }
  if (identity.authContexts?.length) parts.push(`with auth context ${list(identity.authContexts)}`);
  if (identity.authMethods?.length) parts.push(`using ${list(identity.authMethods)}`);
  if (identity.certificate) parts.push('with a client certificate');
  if (identity.commonName !== undefined) parts.push(`named ${tick(identity.commonName)} in its certificate`);
  if (identity.devicePosture?.length) parts.push(`on a device passing ${list(identity.devicePosture)}`);
  if (identity.riskScore !== undefined) parts.push(`with risk score ${tick(identity.riskScore)}`);
  if (identity.accessGroups?.length) parts.push(`in Access group ${list(identity.accessGroups)}`);
  if (identity.emailLists?.length) parts.push(`in email list ${list(identity.emailLists)}`);
  if (identity.externalEvaluations?.length) parts.push(`approved by ${list(identity.externalEvaluations)}`);
  if (identity.linkedAppToken !== undefined)
    parts.push(`with a token of app ${tick(identity.linkedAppToken)}`);
  if (identity.accountMember && subject !== 'a Cloudflare account member')
    parts.push('who is a Cloudflare account member');
  return parts.length === 1 && subject === 'a request' ? 'an anonymous request' : parts.join(' ');
}
