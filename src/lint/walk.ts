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
 * Every selector of a condition, with its polarity, in source order; code-defined groups are expanded. Iterative,
 * and each group is expanded at most once per polarity under each outermost reference (a visit reached again by
 * another path would be the same visit), so shared and nested groups cost their size once and a cycle cannot loop.
 */
export function visitAtoms(formula: Formula, project: Project, visit: (v: AtomVisit) => void): void {
  type Frame = { f: Formula; positive: boolean; via: AtomVisit['via'] };
  const stack: Frame[] = [{ f: formula, positive: true, via: undefined }];
  // Expanded groups under each outermost reference (by its via object), keyed by name and polarity.
  const expanded = new Map<AtomVisit['via'], Set<string>>();
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { f, positive, via } = top;
    switch (f.op) {
      case 'const':
        break;
      case 'atom':
        visit(via ? { atom: f.atom, span: f.span, positive, via } : { atom: f.atom, span: f.span, positive });
        break;
      case 'group': {
        const body = project.groups.get(f.name)?.formula;
        if (!body) break;
        const outer = via ?? { name: f.name, span: f.span };
        let seen = expanded.get(outer);
        if (!seen) {
          seen = new Set();
          expanded.set(outer, seen);
        }
        const key = `${positive ? '+' : '-'}${f.name}`;
        if (seen.has(key)) break;
        seen.add(key);
        stack.push({ f: body, positive, via: outer });
        break;
      }
      case 'not':
        stack.push({ f: f.arg, positive: !positive, via });
        break;
      case 'and':
      case 'or':
        for (let i = f.args.length - 1; i >= 0; i--) stack.push({ f: f.args[i] as Formula, positive, via });
    }
  }
}

const NOTHING = (): void => undefined;

/** The atoms of `f` and the groups it names, groups not expanded (iterative). */
export function shallow(f: Formula, atom: (a: Atom) => void, group: (name: string) => void): void {
  const stack: Formula[] = [f];
  for (let g = stack.pop(); g; g = stack.pop()) {
    if (g.op === 'atom') atom(g.atom);
    else if (g.op === 'group') group(g.name);
    else if (g.op === 'not') stack.push(g.arg);
    else if (g.op === 'and' || g.op === 'or') for (const arg of g.args) stack.push(arg);
  }
}

/**
 * The code-defined groups from which some atom `test` accepts is reachable (through the groups they use): each
 * group body walked once, then the groups with such an atom and every group using one of them (a search along the
 * reverse edges). Linear in the groups' size, cycle-safe.
 */
export function groupsReaching(project: Project, test: (atom: Atom) => boolean): ReadonlySet<string> {
  const reaching = new Set<string>();
  const usedBy = new Map<string, string[]>();
  const queue: string[] = [];
  for (const [name, def] of project.groups) {
    if (!def.formula) continue;
    let hit = false;
    shallow(
      def.formula,
      (a) => {
        hit ||= test(a);
      },
      (used) => append(usedBy, used, name),
    );
    if (hit) {
      reaching.add(name);
      queue.push(name);
    }
  }
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    for (const user of usedBy.get(name) ?? []) {
      if (reaching.has(user)) continue;
      reaching.add(user);
      queue.push(user);
    }
  }
  return reaching;
}

/**
 * Whether some atom `test` accepts is reachable from `formula`, groups expanded as `visitAtoms` does (`reaching`:
 * `groupsReaching` for the same test). A quick negative answer before `visitAtoms`.
 */
export function reachesAtom(
  formula: Formula,
  test: (atom: Atom) => boolean,
  reaching: ReadonlySet<string>,
): boolean {
  let hit = false;
  shallow(
    formula,
    (a) => {
      hit ||= test(a);
    },
    (name) => {
      hit ||= reaching.has(name);
    },
  );
  return hit;
}

/** The names of the code-defined groups a condition refers to directly. */
export function groupRefs(formula: Formula, out: Set<string> = new Set()): Set<string> {
  shallow(formula, NOTHING, (name) => out.add(name));
  return out;
}

/** Every selector of a condition as written, without expanding groups (in no particular order). */
export function directAtoms(formula: Formula, out: Atom[] = []): Atom[] {
  shallow(formula, (atom) => out.push(atom), NOTHING);
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

/** Every selector written in the files' conditions, in source order (see `conditionsOf`). */
export function writtenSelectors(asts: readonly AstFile[]): SelectorExpr[] {
  const out: SelectorExpr[] = [];
  for (const expr of conditionsOf(asts)) selectorsIn(expr, out);
  return out;
}

/** Every selector written in an expression, in source order. */
export function selectorsIn(expr: Expr, out: SelectorExpr[] = []): SelectorExpr[] {
  const stack: Expr[] = [expr];
  for (let e = stack.pop(); e; e = stack.pop()) {
    switch (e.kind) {
      case 'Selector':
        out.push(e);
        break;
      case 'Not':
        stack.push(e.operand);
        break;
      case 'Paren':
        stack.push(e.expr);
        break;
      case 'And':
      case 'Or':
        for (let i = e.operands.length - 1; i >= 0; i--) stack.push(e.operands[i] as Expr);
        break;
    }
  }
  return out;
}

/** Every expression of every condition by its span (`file:start:end`), to quote a term as the formatter prints it. */
export function exprsBySpan(asts: readonly AstFile[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  const stack: Expr[] = conditionsOf(asts);
  for (let e = stack.pop(); e; e = stack.pop()) {
    const key = `${e.span.file}:${e.span.start}:${e.span.end}`;
    if (!out.has(key)) out.set(key, e);
    if (e.kind === 'Not') stack.push(e.operand);
    else if (e.kind === 'Paren') stack.push(e.expr);
    else if (e.kind === 'And' || e.kind === 'Or') for (const o of e.operands) stack.push(o);
  }
  return out;
}

/** `map.get(key).push(value)`, creating the list on first use (never copying it). */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
