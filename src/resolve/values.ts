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
  return boundedTypoDistance(a, b, Number.POSITIVE_INFINITY);
}

/** Rows of `boundedTypoDistance`, reused (two rows back, the last, the current). */
let rows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/**
 * `typoDistance(a, b)` when it is at most `max`; otherwise some number above `max`, found as soon as a whole row of
 * the table exceeds it. Allocates nothing once its rows are long enough.
 */
function boundedTypoDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if ((rows[0] as Int32Array).length <= n) rows = rows.map(() => new Int32Array(2 * (n + 1)));
  let [older, prev, row] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let least = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        d = Math.min(d, (older[j - 2] as number) + 1);
      row[j] = d;
      if (d < least) least = d;
    }
    if (least > max) return max + 1;
    const free = older;
    older = prev;
    prev = row;
    row = free;
  }
  return prev[n] as number;
}

/**
 * Candidates one `NameIndex` may look at over its life (a run): past them it suggests nothing, so thousands of
 * unknown names among thousands of candidates cost a moment (a comparison takes well under a microsecond) instead
 * of minutes. A real project's few unknown names among at most a few hundred candidates stay far below it.
 */
export const SUGGESTION_COMPARISONS = 2_000_000;

/** The names "did you mean" chooses from, lower-cased once. */
export class NameIndex {
  private readonly names: string[];
  private readonly lower: string[];
  private left = SUGGESTION_COMPARISONS;

  constructor(names: Iterable<string>) {
    this.names = [...names];
    this.lower = this.names.map((n) => n.toLowerCase());
  }

  get size(): number {
    return this.names.length;
  }

  /**
   * The first name closest to `name` (case-insensitive) within a third of its length, at least one edit; nothing
   * once the index has made its `SUGGESTION_COMPARISONS` (a search is made whole or not at all).
   */
  closest(name: string): string | undefined {
    if (this.left < this.lower.length) return undefined;
    this.left -= this.lower.length;
    const lower = name.toLowerCase();
    const limit = Math.max(1, Math.floor(name.length / 3));
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (let i = 0; i < this.lower.length; i++) {
      const candidate = this.lower[i] as string;
      // A candidate whose length alone puts it no nearer than the best so far cannot replace it.
      if (Math.abs(candidate.length - lower.length) >= bestDistance) continue;
      const d = boundedTypoDistance(lower, candidate, bestDistance - 1);
      if (d < bestDistance) {
        best = this.names[i];
        bestDistance = d;
      }
    }
    return best;
  }
}

/** Indexes of a run's name collections, by collection (which must not change once it is searched). */
const indexes = new WeakMap<object, NameIndex>();

/** The `NameIndex` of a map's keys or a set's names, made once per collection (a run's maps live as long as it). */
export function namesOf(collection: ReadonlyMap<string, unknown> | ReadonlySet<string>): NameIndex {
  let index = indexes.get(collection);
  if (!index || index.size !== collection.size) {
    index = new NameIndex(collection.keys());
    indexes.set(collection, index);
  }
  return index;
}

const indexOf = (candidates: Iterable<string> | NameIndex): NameIndex =>
  candidates instanceof NameIndex ? candidates : new NameIndex(candidates);

/** The candidate closest to `name` (case-insensitive) within a third of its length, at least one edit. */
export function closest(name: string, candidates: Iterable<string> | NameIndex): string | undefined {
  return indexOf(candidates).closest(name);
}

/** "did you mean `x`? <fallback>" when a candidate is close, else the fallback. */
export function suggest(name: string, candidates: Iterable<string> | NameIndex, fallback: string): string {
  const best = closest(name, candidates);
  return best === undefined ? fallback : `did you mean \`${best}\`? ${fallback}`;
}

/** "did you mean `x`?" alone when a candidate is close, else the (long) fallback, e.g. a list of every name. */
export function closestOr(name: string, candidates: Iterable<string> | NameIndex, fallback: string): string {
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
