import type { Span } from '../diagnostics/diagnostic.js';
import type { Atom, Formula } from '../model/formula.js';
import type { Project } from '../model/project.js';
import type { AstFile, Expr, SelectorExpr } from '../parser/ast.js';

/** One selector occurrence met while walking a condition. */
export interface AtomVisit {
  atom: Atom;
  /** Where the selector (or the value of a multi-value selector) is written. */
  span: Span | undefined;
  /** False under an odd number of `not`s. */
  positive: boolean;
  /** The outermost `group("…")` reference it was reached through, when it sits in a code-defined group. */
  via?: { name: string; span: Span | undefined };
}

/**
 * Every selector of a condition, with its polarity; code-defined groups are expanded (each at most once per path,
 * so a cycle cannot loop).
 */
export function visitAtoms(formula: Formula, project: Project, visit: (v: AtomVisit) => void): void {
  const walk = (f: Formula, positive: boolean, via: AtomVisit['via'], open: Set<string>): void => {
    switch (f.op) {
      case 'const':
        return;
      case 'atom':
        visit(via ? { atom: f.atom, span: f.span, positive, via } : { atom: f.atom, span: f.span, positive });
        return;
      case 'group': {
        const body = project.groups.get(f.name)?.formula;
        if (!body || open.has(f.name)) return;
        open.add(f.name);
        walk(body, positive, via ?? { name: f.name, span: f.span }, open);
        open.delete(f.name);
        return;
      }
      case 'not':
        walk(f.arg, !positive, via, open);
        return;
      case 'and':
      case 'or':
        for (const arg of f.args) walk(arg, positive, via, open);
    }
  };
  walk(formula, true, undefined, new Set());
}

/** The names of the code-defined groups a condition refers to directly. */
export function groupRefs(formula: Formula, out: Set<string> = new Set()): Set<string> {
  switch (formula.op) {
    case 'group':
      out.add(formula.name);
      break;
    case 'not':
      groupRefs(formula.arg, out);
      break;
    case 'and':
    case 'or':
      for (const arg of formula.args) groupRefs(arg, out);
      break;
    default:
      break;
  }
  return out;
}

/** Every condition written in the files: group bodies, top-level and inline policies. */
export function conditionsOf(asts: readonly AstFile[]): Expr[] {
  const out: Expr[] = [];
  for (const file of asts) {
    for (const decl of file.decls) {
      if (decl.kind === 'Group' || decl.kind === 'Policy') out.push(decl.expr);
      else if (decl.kind === 'App')
        for (const item of decl.items) if (item.kind === 'InlinePolicy') out.push(item.expr);
    }
  }
  return out;
}

/** Every selector written in an expression. */
export function selectorsIn(expr: Expr, out: SelectorExpr[] = []): SelectorExpr[] {
  switch (expr.kind) {
    case 'Selector':
      out.push(expr);
      break;
    case 'Not':
      selectorsIn(expr.operand, out);
      break;
    case 'Paren':
      selectorsIn(expr.expr, out);
      break;
    case 'And':
    case 'Or':
      for (const e of expr.operands) selectorsIn(e, out);
      break;
  }
  return out;
}
