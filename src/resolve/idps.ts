import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IdpDef, IdpType } from '../model/project.js';
import type { IdpDecl } from '../parser/ast.js';
import { closestOr, isPlaceholder, orList } from './values.js';

// Keyed by every member of `IdpType`, so adding a type to the model without adding it here fails to compile.
const TYPES: Record<IdpType, true> = {
  azure: true,
  github: true,
  google_workspace: true,
  google: true,
  okta: true,
  saml: true,
  oidc: true,
  onetimepin: true,
  onelogin: true,
  pingone: true,
  centrify: true,
  facebook: true,
  linkedin: true,
  yandex: true,
  cloudflare: true,
};

/** The IdP types `idp NAME: TYPE = …` accepts. */
export const IDP_TYPES: readonly IdpType[] = Object.keys(TYPES) as IdpType[];

export function isIdpType(name: string): name is IdpType {
  return Object.hasOwn(TYPES, name);
}

/** `idp NAME [: TYPE] = "Display"` → ref by name; `= id("…")` → ref by id. */
export function resolveIdp(decl: IdpDecl, diagnostics: Diagnostic[]): IdpDef {
  const def: IdpDef = { name: decl.name.name, ref: { kind: 'idp' }, span: decl.span };
  if (decl.type && !isPlaceholder(decl.type)) {
    if (isIdpType(decl.type.name)) def.type = decl.type.name;
    else {
      const known = orList(IDP_TYPES);
      const help = closestOr(decl.type.name, IDP_TYPES, `known types: ${known}`);
      diagnostics.push(diagnostic('ACL0311', decl.type.span, { type: decl.type.name, known }, { help }));
    }
  }
  const value = decl.value;
  if (value.kind === 'Id') {
    if (value.value.trim() === '')
      diagnostics.push(diagnostic('ACL0412', value.span, { value: value.value }));
    def.ref = { kind: 'idp', id: value.value };
  } else {
    if (value.value === '' && !isPlaceholder(value))
      diagnostics.push(
        diagnostic('ACL0406', value.span, {}, { help: 'write the IdP’s name as shown in the account' }),
      );
    def.ref = { kind: 'idp', name: value.value };
  }
  return def;
}
