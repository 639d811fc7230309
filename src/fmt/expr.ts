import { quoteString } from '../lexer/strings.js';
import type { Arg, Expr } from '../parser/ast.js';

/** The column limit the formatter breaks long conditions at. */
export const WIDTH = 100;

export function printArg(arg: Arg): string {
  switch (arg.kind) {
    case 'String':
      return quoteString(arg.value);
    case 'Ident':
      return arg.name;
    case 'Id':
      return `id(${quoteString(arg.value)})`;
    case 'Number':
      return arg.text;
  }
}

/**
 * Whether `child` must be parenthesised under an operator of kind `parent` for the text to parse back to the same
 * tree. Trees from the parser already carry their `Paren` nodes; this only matters for trees built by hand.
 */
function needsParens(child: Expr, parent: 'Or' | 'And' | 'Not'): boolean {
  if (child.kind === 'Or') return true;
  if (child.kind === 'And') return parent !== 'Or';
  return false;
}

function operand(child: Expr, parent: 'Or' | 'And' | 'Not'): Expr {
  return needsParens(child, parent) ? { kind: 'Paren', span: child.span, expr: child } : child;
}

/** A condition on one line, canonically spaced: `a and not (b or c)`, `country in ("US", "CA")`. */
export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'Or':
    case 'And': {
      const kind = expr.kind;
      return expr.operands.map((o) => printExpr(operand(o, kind))).join(kind === 'Or' ? ' or ' : ' and ');
    }
    case 'Not': {
      // Iterative over a chain of `not`s, which may be long.
      let nots = 0;
      let e: Expr = expr;
      while (e.kind === 'Not') {
        nots++;
        e = operand(e.operand, 'Not');
      }
      return 'not '.repeat(nots) + printExpr(e);
    }
    case 'Paren':
      return `(${printExpr(expr.expr)})`;
    case 'Selector': {
      const name = expr.name.name;
      if (expr.form === 'bare' || !expr.args) return name;
      const args = expr.args.map(printArg).join(', ');
      return expr.form === 'in' ? `${name} in (${args})` : `${name}(${args})`;
    }
  }
}

function breakable(expr: Expr): boolean {
  if (expr.kind === 'Or' || expr.kind === 'And') return true;
  if (expr.kind === 'Paren') return breakable(expr.expr);
  if (expr.kind === 'Not') return breakable(expr.operand);
  return false;
}

/**
 * A condition laid out from column `col`: on one line if it fits in `WIDTH` (and `force` is not set), else broken
 * before `or`/`and`. The first line is returned without indentation (it continues the caller's line); the others
 * are indented, continuation lines of this expression at `indent` and of nested ones deeper.
 */
export function layoutExpr(expr: Expr, col: number, indent: number, force = false): string[] {
  const flat = printExpr(expr);
  if ((!force && col + flat.length <= WIDTH) || !breakable(expr)) return [flat];
  switch (expr.kind) {
    case 'Or':
    case 'And': {
      const kind = expr.kind;
      const keyword = kind === 'Or' ? 'or ' : 'and ';
      const out: string[] = [];
      expr.operands.forEach((o, i) => {
        const child = operand(o, kind);
        if (i === 0) {
          for (const line of layoutExpr(child, col, indent + 2)) out.push(line);
          return;
        }
        const lines = layoutExpr(child, indent + keyword.length, indent + 2);
        out.push(`${' '.repeat(indent)}${keyword}${lines[0]}`);
        for (let k = 1; k < lines.length; k++) out.push(lines[k] as string);
      });
      return out;
    }
    case 'Paren': {
      const lines = layoutExpr(expr.expr, col + 1, indent, force);
      lines[0] = `(${lines[0]}`;
      lines[lines.length - 1] = `${lines[lines.length - 1]})`;
      return lines;
    }
    case 'Not': {
      const lines = layoutExpr(operand(expr.operand, 'Not'), col + 4, indent, force);
      lines[0] = `not ${lines[0]}`;
      return lines;
    }
    default:
      return [flat];
  }
}
