import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { DECISION_DISPLAY, type Decision } from '../model/decision.js';
import { type Atom, type AtomValue, atomValueKey, type Formula } from '../model/formula.js';
import type { IdpDef, ListDef } from '../model/project.js';
import type { Arg, Expr, ExternGroupDecl, GroupDecl, SelectorExpr } from '../parser/ast.js';
import { type ParamSpec, SELECTORS, type SelectorSpec, selectorByName } from '../selectors/table.js';
import { type Checked, checkValue, type ValueKind } from '../selectors/values.js';
import { bindListRef } from './list-refs.js';
import { argumentCount, expectedArguments, selectorUsage } from './usage.js';
import {
  checkedDiagnostic,
  closestOr,
  describeValue,
  isPlaceholder,
  namesOf,
  orList,
  suggest,
} from './values.js';

/** What resolving a condition needs: the declared names, and the decision of the enclosing policy. */
export interface ExprContext {
  diagnostics: Diagnostic[];
  idps: ReadonlyMap<string, IdpDef>;
  groups: ReadonlyMap<string, GroupDecl | ExternGroupDecl>;
  /** Lists declared in code: `ip_list("…")` / `email_list("…")` naming one carry its members. */
  lists?: ReadonlyMap<string, ListDef>;
  /** Set for policy conditions (checked against selector `decisions`), absent for group bodies. */
  decision?: Decision;
}

/**
 * A condition → `Formula`. Each node keeps its span. A selector that cannot be resolved becomes `false` after its
 * error is reported, so the rest of the condition is still checked.
 */
export function resolveExpr(expr: Expr, ctx: ExprContext): Formula {
  switch (expr.kind) {
    case 'Or':
      return { op: 'or', args: expr.operands.map(resolveIn, ctx), span: expr.span };
    case 'And':
      return { op: 'and', args: expr.operands.map(resolveIn, ctx), span: expr.span };
    case 'Not':
      return { op: 'not', arg: resolveExpr(expr.operand, ctx), span: expr.span };
    case 'Paren':
      return resolveExpr(expr.expr, ctx);
    case 'Selector':
      return resolveSelector(expr, ctx);
  }
}

/** `resolveExpr(e, this)`, for `map` with the context as its `this`: no closure per junction. */
function resolveIn(this: ExprContext, e: Expr): Formula {
  return resolveExpr(e, this);
}

const broken = (span: Span): Formula => ({ op: 'const', value: false, span });

// Values repeat a lot across a project (the same country, CIDR or domain in many policies) and some checks are
// slow (IPv6 parsing), so results are memoised; `checkValue` is pure, so this cannot change behaviour.
const memo = new Map<ValueKind, Map<string, Checked>>();
let memoSize = 0;
function checkMemo(kind: ValueKind, raw: string): Checked {
  let byRaw = memo.get(kind);
  if (!byRaw) {
    byRaw = new Map();
    memo.set(kind, byRaw);
  }
  let checked = byRaw.get(raw);
  if (!checked) {
    checked = checkValue(kind, raw);
    if (memoSize >= 20_000) {
      for (const m of memo.values()) m.clear();
      memoSize = 0;
    }
    byRaw.set(raw, checked);
    memoSize++;
  }
  return checked;
}

/** Parameters a selector cannot do without, per selector (the table never changes). */
const requiredCounts = new Map<SelectorSpec, number>();
function requiredCount(spec: SelectorSpec): number {
  let n = requiredCounts.get(spec);
  if (n === undefined) {
    n = spec.params.filter((p) => !p.optional).length;
    requiredCounts.set(spec, n);
  }
  return n;
}

function unknownSelector(expr: SelectorExpr, ctx: ExprContext): Formula {
  const name = expr.name.name;
  let help = closestOr(
    name,
    SELECTORS.map((s) => s.name),
    `selectors are ${orList(SELECTORS.map((s) => s.name))}`,
  );
  if (ctx.groups.has(name)) help = `to use the group \`${name}\`, write \`group("${name}")\``;
  else if (ctx.idps.has(name))
    help = `\`${name}\` is an identity provider; to match its users write \`login_method(${name})\``;
  ctx.diagnostics.push(diagnostic('ACL0301', expr.name.span, { name }, { help }));
  return broken(expr.span);
}

function resolveSelector(expr: SelectorExpr, ctx: ExprContext): Formula {
  if (isPlaceholder(expr.name)) return broken(expr.span); // a condition lost to a syntax error
  const spec = selectorByName(expr.name.name);
  if (!spec) return unknownSelector(expr, ctx);
  if (ctx.decision && spec.decisions && !spec.decisions.includes(ctx.decision)) {
    ctx.diagnostics.push(
      diagnostic('ACL0309', expr.name.span, {
        selector: spec.name,
        decision: DECISION_DISPLAY[ctx.decision],
        allowed: `${orList(spec.decisions.map((d) => DECISION_DISPLAY[d]))} policies`,
      }),
    );
  }
  const args = expr.args ?? [];
  const required = requiredCount(spec);
  const max = spec.repeat ? Number.POSITIVE_INFINITY : spec.params.length;
  // `email(` cut off by a syntax error: the parser reported the unclosed call, its arguments are lost.
  const cutOff = expr.form === 'call' && args.length === 0 && expr.span.end <= expr.name.span.end + 1;
  if (cutOff && required > 0) return broken(expr.span);
  if (args.length < required || args.length > max) {
    ctx.diagnostics.push(
      diagnostic('ACL0308', expr.span, {
        selector: spec.name,
        expected: expectedArguments(spec),
        found: argumentCount(args.length),
        usage: selectorUsage(spec),
      }),
    );
    return broken(expr.span);
  }
  if (spec.params.length === 0) return { op: 'atom', atom: { sel: spec.name, args: {} }, span: expr.span };

  // Positional parameters before the repeated one (all of them when nothing repeats).
  const params = spec.params;
  const fixed = spec.repeat ? params.length - 1 : params.length;
  // The fixed parameters' values; a selector with none (one repeated parameter) starts each atom empty.
  const base: Record<string, AtomValue> | undefined = fixed > 0 ? {} : undefined;
  let ok = true;
  for (let i = 0; i < fixed; i++) {
    const arg = args[i];
    if (arg === undefined) continue; // an optional parameter left out
    const param = params[i] as ParamSpec;
    const v = resolveArg(spec, param, arg, ctx);
    if (v === undefined) ok = false;
    else if (base !== undefined) base[param.field] = v;
  }
  if (!spec.repeat)
    return ok
      ? { op: 'atom', atom: { sel: spec.name, args: base ?? {} }, span: expr.span }
      : broken(expr.span);

  const last = params[params.length - 1] as ParamSpec;
  if (spec.name === 'group')
    return groupAlternatives(spec, fixed === 0 ? args : args.slice(fixed), expr, ctx);

  if (spec.repeat === 'expand' && args.length === fixed + 1) {
    // One value (the common case): its atom, with the selector's span (as `alternatives` would make it).
    const v = resolveArg(spec, last, args[fixed] as Arg, ctx);
    if (v === undefined || !ok) return broken(expr.span);
    return { op: 'atom', atom: { sel: spec.name, args: withField(base, last.field, v) }, span: expr.span };
  }
  const values: AtomValue[] = [];
  const spans: Span[] = [];
  for (let i = fixed; i < args.length; i++) {
    const arg = args[i] as Arg;
    const v = resolveArg(spec, last, arg, ctx);
    if (v === undefined) ok = false;
    else {
      values.push(v);
      spans.push(arg.span);
    }
  }
  if (!ok) return broken(expr.span);
  if (spec.repeat === 'list') {
    const list = [...new Set(values as string[])].sort();
    return { op: 'atom', atom: { sel: spec.name, args: withField(base, last.field, list) }, span: expr.span };
  }
  const formulas: Formula[] = [];
  // The atoms differ only in the repeated field: duplicates are dropped here and reported by a lint rule.
  const seen = values.length > 1 ? new Set<string>() : undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as AtomValue;
    if (seen) {
      const key = atomValueKey(v, false);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    const atom: Atom = {
      sel: spec.name,
      args: withField(base, last.field, v),
    };
    formulas.push({ op: 'atom', atom, span: spans[i] as Span });
  }
  return alternatives(formulas, expr.span);
}

/** The arguments of an atom: `base` (if any) and then `field`. */
function withField(
  base: Record<string, AtomValue> | undefined,
  field: string,
  v: AtomValue,
): Record<string, AtomValue> {
  return base === undefined ? { [field]: v } : { ...base, [field]: v };
}

/** One alternative stands for itself (with the selector's span); several become an `or`. */
function alternatives(formulas: Formula[], span: Span): Formula {
  if (formulas.length === 1) return { ...(formulas[0] as Formula), span };
  return { op: 'or', args: formulas, span };
}

/** `group("A", "B", id("…"))`: code groups by name, extern groups and literal ids as `group` atoms. */
function groupAlternatives(
  spec: SelectorSpec,
  args: readonly Arg[],
  expr: SelectorExpr,
  ctx: ExprContext,
): Formula {
  // One group (the common case): its formula, made with the selector's span (as `alternatives` would give it).
  if (args.length === 1) return groupArg(spec, args[0] as Arg, ctx, expr.span) ?? broken(expr.span);
  const formulas: Formula[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const arg of args) {
    const f = groupArg(spec, arg, ctx, arg.span);
    if (!f) {
      ok = false;
      continue;
    }
    // Every atom here is a `group` atom with one field, `id`, so that field's key tells them apart.
    const key =
      f.op === 'group'
        ? `code:${f.name}`
        : f.op === 'atom'
          ? `atom:${atomValueKey(f.atom.args.id as AtomValue, false)}`
          : '';
    if (seen.has(key)) continue;
    seen.add(key);
    formulas.push(f);
  }
  return ok ? alternatives(formulas, expr.span) : broken(expr.span);
}

/** One argument of `group(…)` → its formula with `span`, or `undefined` after reporting what is wrong. */
function groupArg(spec: SelectorSpec, arg: Arg, ctx: ExprContext, span: Span): Formula | undefined {
  if (isPlaceholder(arg)) return undefined;
  if (arg.kind === 'Id') {
    if (arg.value.trim() === '') {
      ctx.diagnostics.push(diagnostic('ACL0412', arg.span, { value: arg.value }));
      return undefined;
    }
    return {
      op: 'atom',
      atom: { sel: 'group', args: { id: { kind: 'group', id: arg.value } } },
      span,
    };
  }
  if (arg.kind !== 'String') {
    ctx.diagnostics.push(refShape(spec, spec.params[0] as ParamSpec, arg));
    return undefined;
  }
  const name = arg.value;
  if (name === '') {
    ctx.diagnostics.push(diagnostic('ACL0406', arg.span));
    return undefined;
  }
  const decl = ctx.groups.get(name);
  if (!decl) {
    const fallback = `define it with \`group "${name}" = …\`, or declare a group that lives in the account with \`extern group "${name}"\``;
    ctx.diagnostics.push(
      diagnostic('ACL0302', arg.span, { name, suggestion: suggest(name, namesOf(ctx.groups), fallback) }),
    );
    return undefined;
  }
  if (decl.kind === 'Group') return { op: 'group', name, span };
  return { op: 'atom', atom: { sel: 'group', args: { id: { kind: 'group', name } } }, span };
}

/** ACL0313: a reference parameter given something other than a string or `id("…")`. */
function refShape(spec: SelectorSpec, param: ParamSpec, arg: Arg): Diagnostic {
  const what = spec.params.length === 1 ? `\`${spec.name}\`` : `the ${param.label} of \`${spec.name}\``;
  return diagnostic('ACL0313', arg.span, {
    what,
    found: describeValue(arg),
    usage: `write it as \`${selectorUsage(spec)}\`, or with a literal id: \`id("…")\``,
  });
}

function wrongArg(spec: SelectorSpec, expected: string, arg: Arg): Diagnostic {
  return diagnostic('ACL0308', arg.span, {
    selector: spec.name,
    expected,
    found: describeValue(arg),
    usage: selectorUsage(spec),
  });
}

/** One argument → its canonical value, or `undefined` after reporting what is wrong with it. */
function resolveArg(spec: SelectorSpec, param: ParamSpec, arg: Arg, ctx: ExprContext): AtomValue | undefined {
  if (isPlaceholder(arg)) return undefined;
  const type = param.type;
  switch (type.kind) {
    case 'value': {
      if (arg.kind !== 'String') {
        ctx.diagnostics.push(wrongArg(spec, `a string for \`${param.label}\``, arg));
        return undefined;
      }
      const checked = checkMemo(type.value, arg.value);
      if (!checked.ok) {
        ctx.diagnostics.push(checkedDiagnostic(checked, arg.span));
        return undefined;
      }
      return checked.value;
    }
    case 'ref': {
      if (arg.kind === 'String') {
        if (arg.value === '') {
          ctx.diagnostics.push(diagnostic('ACL0406', arg.span));
          return undefined;
        }
        return bindListRef(spec, { kind: type.ref, name: arg.value }, ctx.lists, arg.span, ctx.diagnostics);
      }
      if (arg.kind === 'Id') {
        if (arg.value.trim() === '') {
          ctx.diagnostics.push(diagnostic('ACL0412', arg.span, { value: arg.value }));
          return undefined;
        }
        return { kind: type.ref, id: arg.value };
      }
      ctx.diagnostics.push(refShape(spec, param, arg));
      return undefined;
    }
    case 'idp':
      return resolveIdpArg(spec, arg, ctx);
  }
}

function resolveIdpArg(spec: SelectorSpec, arg: Arg, ctx: ExprContext): AtomValue | undefined {
  if (arg.kind === 'String') {
    const declared = [...ctx.idps.values()].find((d) => d.ref.name === arg.value);
    const help = declared ? `use the declared name: \`${spec.name}(${declared.name}, …)\`` : undefined;
    ctx.diagnostics.push(
      diagnostic('ACL0314', arg.span, { selector: spec.name, value: arg.value }, help ? { help } : {}),
    );
    return undefined;
  }
  if (arg.kind !== 'Ident') {
    ctx.diagnostics.push(wrongArg(spec, 'an identity provider name for `idp`', arg));
    return undefined;
  }
  const idp = ctx.idps.get(arg.name);
  if (!idp) {
    ctx.diagnostics.push(
      diagnostic('ACL0303', arg.span, {
        name: arg.name,
        suggestion: suggest(arg.name, namesOf(ctx.idps), 'declare it with `idp NAME = "Display name"`'),
      }),
    );
    return undefined;
  }
  if (spec.idpTypes && idp.type && !spec.idpTypes.includes(idp.type)) {
    ctx.diagnostics.push(
      diagnostic('ACL0307', arg.span, {
        selector: spec.name,
        expected: orList(spec.idpTypes),
        idp: idp.name,
        actual: `\`${idp.type}\``,
        first: spec.idpTypes[0] as string,
      }),
    );
    return undefined;
  }
  return { ...idp.ref };
}
