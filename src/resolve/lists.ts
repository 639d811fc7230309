import { diagnostic } from '../diagnostics/catalog.js';
import type { ListDef } from '../model/project.js';
import type { ListDecl } from '../parser/ast.js';
import { resolveExpr } from './expressions.js';
import type { PolicyScope } from './policies.js';

/**
 * `list "Name" = ip("…", …)` → `ListDef`: the members are resolved as the selector call they are written as (so a
 * bad CIDR or email gets its usual diagnostic), then the shape is checked: one `ip(…)` or one `email(…)` call.
 */
export function resolveList(decl: ListDecl, scope: PolicyScope): ListDef {
  const formula = resolveExpr(decl.expr, {
    diagnostics: scope.diagnostics,
    idps: scope.idps,
    groups: scope.groups,
  });
  const def: ListDef = {
    name: decl.name.value,
    type: 'ip',
    members: [],
    span: decl.span,
    nameSpan: decl.name.span,
  };
  const atoms = formula.op === 'or' ? formula.args : [formula];
  const sels = new Set<string>();
  const members: string[] = [];
  let shapeOk = decl.expr.kind === 'Selector' && decl.expr.form === 'call';
  for (const f of atoms) {
    if (f.op === 'const' && !f.value) continue; // a value already reported
    if (f.op !== 'atom' || (f.atom.sel !== 'ip' && f.atom.sel !== 'email')) {
      shapeOk = false;
      break;
    }
    sels.add(f.atom.sel);
    members.push(String(f.atom.args[f.atom.sel]));
  }
  if (!shapeOk || sels.size > 1) {
    const found = decl.expr.kind === 'Selector' ? `\`${decl.expr.name.name}\`` : 'a condition';
    scope.diagnostics.push(diagnostic('ACL0760', decl.expr.span, { name: def.name, found }));
    return def;
  }
  if (sels.has('email')) def.type = 'email';
  def.members = [...new Set(members)];
  return def;
}
