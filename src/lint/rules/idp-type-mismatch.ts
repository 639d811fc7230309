import { compilerRule } from '../compiler-rule.js';

/** A selector bound to an identity provider of the wrong type, or an unknown IdP type. */
export const idpTypeMismatch = compilerRule({
  id: 'idp-type-mismatch',
  summary: 'a selector needs an identity provider of another type, or an IdP type is unknown',
  covers: ['ACL0307', 'ACL0311'],
});
