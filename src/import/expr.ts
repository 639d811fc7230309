import { modernRuleBody } from '../deploy/canonical.js';
import type { RefKind } from '../model/formula.js';
import { type SelectorSpec, selectorByWireKey } from '../selectors/table.js';
import { checkValue } from '../selectors/values.js';
import { quote } from './text.js';

/** What printing a condition needs to know about the account. */
export interface ExprContext {
  /** The identifier of the IdP with this id (declaring it on first use), or undefined when unknown. */
  idp(id: string): string | undefined;
  /** A reference to an account object: `"Name"` when its name is unambiguous, else `id("…")`. */
  ref(kind: RefKind, id: string): string;
  /** A `group` rule: `group("Name")`, or the group's own condition in parentheses when it is inlined. */
  group(id: string): string;
  /** Something that cannot be written in the language. */
  warn(what: string, reason: string): void;
}

interface Printed {
  /** Text of the selector. */
  text: string;
  /** Rules that only differ in their last, repeatable argument merge: `email("a", "b")`. */
  mergeKey?: string;
  head?: string;
  value?: string;
}

function valueText(spec: SelectorSpec, field: string, raw: unknown): string {
  const param = spec.params.find((p) => p.field === field);
  const one = (v: unknown): string => {
    const s = String(v);
    if (param?.type.kind !== 'value') return quote(s);
    const checked = checkValue(param.type.value, s);
    return quote(checked.ok ? checked.value : s);
  };
  return Array.isArray(raw) ? raw.map(one).join(', ') : one(raw);
}

/** One API rule as a selector, or undefined (with a warning) when the language has no selector for it. */
function printRule(rule: unknown, ctx: ExprContext): Printed | undefined {
  if (typeof rule !== 'object' || rule === null) return undefined;
  const keys = Object.keys(rule);
  const key = keys[0];
  const spec = keys.length === 1 && key !== undefined ? selectorByWireKey(key) : undefined;
  if (!spec || key === undefined) {
    ctx.warn('a rule', `rule type \`${keys.join(', ')}\` has no selector in aclc`);
    return undefined;
  }
  const body = modernRuleBody(key, ((rule as Record<string, unknown>)[key] ?? {}) as Record<string, unknown>);
  if (spec.nullary) return { text: spec.name };
  if (spec.wireKey === 'group') {
    const id = body.id;
    if (typeof id !== 'string') return undefined;
    const text = ctx.group(id);
    if (text.startsWith('(')) return { text };
    return { text, mergeKey: 'group', head: 'group(', value: text.slice('group('.length, -1) };
  }
  const args: string[] = [];
  for (const param of spec.params) {
    const v = body[param.field];
    if (v === undefined || v === null || v === '') {
      if (param.optional) continue;
      ctx.warn('a rule', `\`${spec.wireKey}\` rule without \`${param.field}\``);
      return undefined;
    }
    if (param.type.kind === 'idp') {
      const ident = ctx.idp(String(v));
      if (ident === undefined) {
        ctx.warn('a rule', `identity provider \`${String(v)}\` does not exist in the account`);
        return undefined;
      }
      args.push(ident);
    } else if (param.type.kind === 'ref') {
      args.push(ctx.ref(param.type.ref, String(v)));
    } else {
      args.push(valueText(spec, param.field, v));
    }
  }
  const text = `${spec.name}(${args.join(', ')})`;
  if (spec.repeat !== 'expand' || args.length === 0) return { text };
  const head = args.slice(0, -1);
  return {
    text,
    mergeKey: `${spec.name}(${head.join(', ')}`,
    head: `${spec.name}(${head.map((a) => `${a}, `).join('')}`,
    value: args[args.length - 1] as string,
  };
}

/** The rules of an OR list, printed, with same-selector rules merged. */
function printOr(rules: unknown, ctx: ExprContext): Printed[] {
  const printed = (Array.isArray(rules) ? rules : [])
    .map((r) => printRule(r, ctx))
    .filter((p): p is Printed => p !== undefined);
  const out: Printed[] = [];
  const merged = new Map<string, { head: string; values: string[]; index: number }>();
  for (const p of printed) {
    if (p.mergeKey === undefined || p.head === undefined || p.value === undefined) {
      out.push(p);
      continue;
    }
    const m = merged.get(p.mergeKey);
    if (m) {
      if (!m.values.includes(p.value)) m.values.push(p.value);
      continue;
    }
    merged.set(p.mergeKey, { head: p.head, values: [p.value], index: out.length });
    out.push(p);
  }
  for (const m of merged.values()) out[m.index] = { text: `${m.head}${m.values.join(', ')})` };
  return out;
}

/**
 * An include / require / exclude body as a condition: `(i1 or i2) and r1 and not (e1 or e2)`. An empty include
 * matches nothing, written `not everyone`.
 */
export function bodyText(
  body: { include?: unknown; require?: unknown; exclude?: unknown },
  ctx: ExprContext,
): string {
  const include = printOr(body.include, ctx);
  const require = (Array.isArray(body.require) ? body.require : [])
    .map((r) => printRule(r, ctx))
    .filter((p): p is Printed => p !== undefined);
  const exclude = printOr(body.exclude, ctx);
  const parts: string[] = [];
  const extra = require.length + exclude.length > 0;
  if (include.length === 0) parts.push('not everyone');
  else if (include.length === 1) parts.push((include[0] as Printed).text);
  else {
    const text = include.map((p) => p.text).join(' or ');
    parts.push(extra ? `(${text})` : text);
  }
  for (const r of require) parts.push(r.text);
  if (exclude.length === 1) parts.push(`not ${(exclude[0] as Printed).text}`);
  else if (exclude.length > 1) parts.push(`not (${exclude.map((p) => p.text).join(' or ')})`);
  return parts.join(' and ');
}
