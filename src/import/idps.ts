import type { IdentityProvider } from '../api/types.js';
import { identifierFor, idLiteral, quote } from './text.js';

/** API identity provider types → the language's. */
const IDP_TYPE: Readonly<Record<string, string>> = {
  azureAD: 'azure',
  'google-apps': 'google_workspace',
  google: 'google',
  github: 'github',
  okta: 'okta',
  saml: 'saml',
  oidc: 'oidc',
  onetimepin: 'onetimepin',
  onelogin: 'onelogin',
  pingone: 'pingone',
  centrify: 'centrify',
  facebook: 'facebook',
  linkedin: 'linkedin',
  yandex: 'yandex',
};

/**
 * The account's identity providers, each declared the first time a rule uses it (`ident`): `idp <name>: <type> = "…"`
 * by name when its name is unique, else by id. `decls` holds the declarations in the order of first use.
 */
export function idpDeclarations(idps: readonly IdentityProvider[]): {
  ident(id: string): string | undefined;
  decls: ReadonlyMap<string, string>;
} {
  const names = new Set<string>();
  const decls = new Map<string, string>();
  const idents = new Map<string, string>();
  const ident = (id: string): string | undefined => {
    const found = idps.find((i) => i.id === id);
    if (!found) return undefined;
    const done = idents.get(id);
    if (done) return done;
    // An IdP known only by id (a Terraform configuration that names it by id) is declared by id.
    const name = identifierFor(found.name || found.type || `idp ${found.id.slice(0, 8)}`, names);
    idents.set(id, name);
    const type = IDP_TYPE[found.type];
    const unique = found.name !== '' && idps.filter((i) => i.name === found.name).length === 1;
    decls.set(
      id,
      `idp ${name}${type ? `: ${type}` : ''} = ${unique ? quote(found.name) : idLiteral(found.id)}`,
    );
    return name;
  };
  return { ident, decls };
}
