import { CATALOG, type DiagnosticCode, diagnostic } from '../diagnostics/catalog.js';
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

/** Codes whose suggestion is the one meaning of what was written, so it is offered as a fix. */
const FIX_DESCRIPTION: Readonly<Record<string, (suggestion: string) => string>> = {
  ACL0402: () => 'remove the leading `@`',
  ACL0404: (s) => `use the network address \`${s}\``,
  ACL0405: (s) => `write \`${s}\``,
  ACL0431: (s) => `write \`${s}\``,
  ACL0433: (s) => `write \`${s}\``,
  ACL0435: (s) => `write \`${s}\``,
  ACL0436: (s) => `write \`${s}\``,
};

/**
 * The diagnostic for a failed value check, on the span of the value. A suggestion of a code in `FIX_DESCRIPTION`
 * becomes a fix that writes it (as a string, or as a bare duration when the value was one).
 */
export function checkedDiagnostic(
  checked: Extract<Checked, { ok: false }>,
  span: Span,
  bare = false,
): Diagnostic {
  // INVARIANT: value checks only return catalog codes; ACL0406 is a safe fallback if one ever does not.
  const code = isCode(checked.code) ? checked.code : 'ACL0406';
  const extra: Parameters<typeof diagnostic>[3] = {};
  const describe = FIX_DESCRIPTION[code];
  if (checked.suggestion !== undefined && describe) {
    const text = bare ? checked.suggestion : quote(checked.suggestion);
    extra.fix = { description: describe(checked.suggestion), edits: [{ span, text }] };
  }
  if (checked.help !== undefined) extra.help = checked.help;
  return diagnostic(code, span, checked.args, extra);
}

/** `a`, `b` or `c` — with backticks. */
export function orList(items: readonly string[], conjunction = 'or'): string {
  const ticked = items.map((i) => `\`${i}\``);
  if (ticked.length <= 1) return ticked.join('');
  return `${ticked.slice(0, -1).join(', ')} ${conjunction} ${ticked[ticked.length - 1]}`;
}

/**
 * Edit distance counting a swap of two neighbouring characters as one edit (optimal string alignment), so the
 * most common typos (`emial`, `okat`) are one edit away.
 */
export function typoDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The candidate closest to `name` (case-insensitive) within a third of its length, at least one edit. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = typoDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** "did you mean `x`? <fallback>" when a candidate is close, else the fallback. */
export function suggest(name: string, candidates: Iterable<string>, fallback: string): string {
  const best = closest(name, candidates);
  return best === undefined ? fallback : `did you mean \`${best}\`? ${fallback}`;
}

/** "did you mean `x`?" alone when a candidate is close, else the (long) fallback, e.g. a list of every name. */
export function closestOr(name: string, candidates: Iterable<string>, fallback: string): string {
  const best = closest(name, candidates);
  return best === undefined ? fallback : `did you mean \`${best}\`?`;
}

/**
 * Whether a node is a parser placeholder for a part lost to a syntax error (an empty span where the part was
 * expected). Real nodes always cover at least one character (`""` covers two). The parser has reported the
 * error, so the resolver passes over placeholders silently.
 */
export function isPlaceholder(node: { span: { start: number; end: number } }): boolean {
  return node.span.start === node.span.end;
}
