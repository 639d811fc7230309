import { CATALOG, type DiagnosticCode, diagnostic, didYouMean } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Arg, Value } from '../parser/ast.js';
import type { Checked } from '../selectors/values.js';

/** A string as the language writes it (double quotes, `\"`, `\\`, `\n`, `\t` escapes). */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** How a written value is named in "found …" messages. */
export function describeValue(value: Value | Arg): string {
  switch (value.kind) {
    case 'String':
      return value.value === '' ? 'an empty string' : `the string \`${quote(value.value)}\``;
    case 'Number':
      return `the number \`${value.text}\``;
    case 'Bool':
      return `\`${value.value}\``;
    case 'Duration':
      return `the duration \`${value.text}\``;
    case 'Ident':
      return `\`${value.name}\``;
    case 'Id':
      return `\`id(${quote(value.value)})\``;
    case 'List':
      return 'a list';
    case 'Settings':
      return 'a block';
  }
}

function isCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(CATALOG, code);
}

/**
 * The diagnostic for a failed value check, on the span of the string that holds the value.
 * ACL0402 (leading `@`) and ACL0404 (host bits) carry a fix that writes the suggested value.
 */
export function checkedDiagnostic(checked: Extract<Checked, { ok: false }>, span: Span): Diagnostic {
  // INVARIANT: value checks only return catalog codes; ACL0406 is a safe fallback if one ever does not.
  const code = isCode(checked.code) ? checked.code : 'ACL0406';
  const extra: Parameters<typeof diagnostic>[3] = {};
  if (checked.suggestion !== undefined && (code === 'ACL0402' || code === 'ACL0404')) {
    const description =
      code === 'ACL0402' ? 'remove the leading `@`' : `use the network address \`${checked.suggestion}\``;
    extra.fix = { description, edits: [{ span, text: quote(checked.suggestion) }] };
  }
  return diagnostic(code, span, checked.args, extra);
}

/** `a`, `b` or `c` — with backticks. */
export function orList(items: readonly string[], conjunction = 'or'): string {
  const ticked = items.map((i) => `\`${i}\``);
  if (ticked.length <= 1) return ticked.join('');
  return `${ticked.slice(0, -1).join(', ')} ${conjunction} ${ticked[ticked.length - 1]}`;
}

/** "did you mean `x`?" alone when a candidate is close, else the (long) fallback, e.g. a list of every name. */
export function closestOr(name: string, candidates: Iterable<string>, fallback: string): string {
  const hint = didYouMean(name, candidates, '').trim();
  return hint === '' ? fallback : hint;
}
