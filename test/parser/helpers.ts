import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { AstFile } from '../../src/parser/ast.js';
import { parseFile } from '../../src/parser/index.js';
import { stripSpans } from '../helpers/ast.js';

/** A diagnostic as the tests compare it: code, `line:col` of its start (and end), message, help, related. */
export interface Shown {
  code: string;
  at: string;
  message: string;
  help?: string;
  related?: { at: string; message: string }[];
}

export function show(file: SourceFile, d: Diagnostic): Shown {
  const pos = (offset: number) => {
    const p = file.position(offset);
    return `${p.line}:${p.column}`;
  };
  const s: Shown = {
    code: d.code,
    at: d.span.end > d.span.start ? `${pos(d.span.start)}-${pos(d.span.end)}` : pos(d.span.start),
    message: d.message,
  };
  if (d.help !== undefined) s.help = d.help;
  if (d.related) s.related = d.related.map((r) => ({ at: pos(r.span.start), message: r.message }));
  return s;
}

/** Parse a text named `main.acl`. */
export function parse(text: string): { file: SourceFile; ast: AstFile; diagnostics: Diagnostic[] } {
  const file = new SourceFile('main.acl', text);
  const result = parseFile(file);
  return { file, ast: result.value, diagnostics: result.diagnostics };
}

/** The declarations of a text, spans removed; fails loudly if the text has diagnostics. */
export function declsOf(text: string): unknown {
  const { file, ast, diagnostics } = parse(text);
  if (diagnostics.length > 0) {
    throw new Error(`unexpected diagnostics: ${JSON.stringify(diagnostics.map((d) => show(file, d)))}`);
  }
  return stripSpans(ast.decls);
}

/** Diagnostics of a text, shown. */
export function diagnosticsOf(text: string): Shown[] {
  const { file, diagnostics } = parse(text);
  return diagnostics.map((d) => show(file, d));
}

// Span-free node builders for expected trees.
export const ident = (name: string) => ({ kind: 'Ident', name });
export const str = (value: string) => ({ kind: 'String', value });
export const num = (text: string) => ({ kind: 'Number', value: Number(text), text });
export const dur = (text: string) => ({ kind: 'Duration', text });
export const bool = (value: boolean) => ({ kind: 'Bool', value });
export const idLit = (value: string) => ({ kind: 'Id', value });
export const list = (...items: unknown[]) => ({ kind: 'List', items });
export const settings = (...items: unknown[]) => ({ kind: 'Settings', settings: items });
export const setting = (key: string, value: unknown) => ({ kind: 'Setting', key: ident(key), value });
export const decision = (keyword: string) => ({ kind: 'Decision', keyword });
export const bare = (name: string) => ({ kind: 'Selector', name: ident(name), form: 'bare' });
export const call = (name: string, ...args: unknown[]) => ({
  kind: 'Selector',
  name: ident(name),
  args,
  form: 'call',
});
export const inSet = (name: string, ...args: unknown[]) => ({
  kind: 'Selector',
  name: ident(name),
  args,
  form: 'in',
});
export const or = (...operands: unknown[]) => ({ kind: 'Or', operands });
export const and = (...operands: unknown[]) => ({ kind: 'And', operands });
export const not = (operand: unknown) => ({ kind: 'Not', operand });
export const paren = (expr: unknown) => ({ kind: 'Paren', expr });

/** The condition of `policy "p" allow if <expr>`, spans removed. */
export function exprOf(expr: string): unknown {
  const decls = declsOf(`policy "p" allow if ${expr}`) as { expr: unknown }[];
  return (decls[0] as { expr: unknown }).expr;
}
