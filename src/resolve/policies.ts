import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DECISION_KEYWORDS, type Decision } from '../model/decision.js';
import type { IdpDef, ListDef, PolicyDef } from '../model/project.js';
import type { DecisionKw, ExternGroupDecl, GroupDecl, InlinePolicy, PolicyDecl } from '../parser/ast.js';
import { POLICY_SETTINGS } from '../settings/policy-settings.js';
import { resolveSettings } from '../settings/schema.js';
import { resolveExpr } from './expressions.js';

/** The names a policy condition may use. */
export interface PolicyScope {
  diagnostics: Diagnostic[];
  idps: ReadonlyMap<string, IdpDef>;
  groups: ReadonlyMap<string, GroupDecl | ExternGroupDecl>;
  lists?: ReadonlyMap<string, ListDef>;
}

/**
 * The API decision of a keyword. The parser has already reported keywords it does not know (ACL0205) and kept
 * the node; such a policy is treated as `deny` so that nothing is granted by mistake.
 */
export function resolveDecision(kw: DecisionKw): Decision {
  return (Object.hasOwn(DECISION_KEYWORDS, kw.keyword) ? DECISION_KEYWORDS[kw.keyword] : undefined) ?? 'deny';
}

/** A top-level `policy` or an app's inline policy → `PolicyDef` (the caller decides the reusable name). */
export function resolvePolicy(
  decl: PolicyDecl | InlinePolicy,
  name: string,
  scope: PolicyScope,
  inlineIn?: string,
): PolicyDef {
  const decision = resolveDecision(decl.decision);
  const formula = resolveExpr(decl.expr, {
    diagnostics: scope.diagnostics,
    idps: scope.idps,
    groups: scope.groups,
    ...(scope.lists ? { lists: scope.lists } : {}),
    decision,
  });
  const settings = decl.settings
    ? resolveSettings(POLICY_SETTINGS, decl.settings.settings, scope, {
        name: decl.name.value,
        span: decl.name.span,
      })
    : {};
  // `inlineIn` written in the literal (last, as if added after) rather than added later: one object shape each way.
  if (inlineIn !== undefined) {
    return {
      name,
      displayName: decl.name.value,
      decision,
      formula,
      settings,
      span: decl.span,
      nameSpan: decl.name.span,
      exprSpan: decl.expr.span,
      inlineIn,
    };
  }
  return {
    name,
    displayName: decl.name.value,
    decision,
    formula,
    settings,
    span: decl.span,
    nameSpan: decl.name.span,
    exprSpan: decl.expr.span,
  };
}
