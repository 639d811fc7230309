import { type Diagnostic, type Result, sortDiagnostics } from '../diagnostics/diagnostic.js';
import type { AppDef, GroupDef, ListDef, PolicyDef, Project } from '../model/project.js';
import type { AstFile } from '../parser/ast.js';
import { resolveApp } from './apps.js';
import { checkGroupCycles } from './cycles.js';
import { collectDeclarations } from './declarations.js';
import { resolveExpr } from './expressions.js';
import { resolveList } from './lists.js';
import { type PolicyScope, resolvePolicy } from './policies.js';
import { checkZoneScopes, groupZone } from './zones.js';

export { inlinePolicyName } from './apps.js';
export { IDP_TYPES } from './idps.js';

/**
 * Bind every name and canonicalise every value of a project (all its files together; declarations may come in
 * any order across files). Never throws. Reports every error it can find in one run and returns as much of the
 * project as it could resolve: a selector that could not be resolved stands as `false` in its formula, a broken
 * `use` or duplicate is left out. When the diagnostics hold errors, the project is for tooling, not for deploying.
 */
export function resolveProject(files: AstFile[]): Result<Project> {
  const diagnostics: Diagnostic[] = [];
  const decls = collectDeclarations(files, diagnostics);
  const scope: PolicyScope = { diagnostics, idps: decls.idps, groups: decls.groups };
  const lists = new Map<string, ListDef>();
  for (const [name, decl] of decls.lists) lists.set(name, resolveList(decl, scope));
  if (lists.size > 0) scope.lists = lists;

  const groups = new Map<string, GroupDef>();
  for (const [name, decl] of decls.groups) {
    const def: GroupDef = {
      name,
      extern: decl.kind === 'ExternGroup',
      span: decl.span,
      nameSpan: decl.name.span,
    };
    if (decl.kind === 'Group') {
      const zone = groupZone(decl, diagnostics);
      if (zone) def.zone = zone;
      def.formula = resolveExpr(decl.expr, scope);
    }
    groups.set(name, def);
  }
  checkGroupCycles(groups, diagnostics);

  const policies = new Map<string, PolicyDef>();
  for (const [name, decl] of decls.policies) policies.set(name, resolvePolicy(decl, name, scope));
  const topLevel = new Set(policies.keys());

  const apps: AppDef[] = decls.apps.map((decl) => resolveApp(decl, scope, policies, topLevel));

  const project: Project = { idps: decls.idps, groups, policies, apps };
  if (lists.size > 0) project.lists = lists;
  checkZoneScopes(project, diagnostics);
  return { value: project, diagnostics: sortDiagnostics(diagnostics) };
}
