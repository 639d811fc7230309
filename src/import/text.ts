/** Source-text building blocks for `aclc import`: string literals, names and durations as the lexer reads them. */

const KEYWORDS = new Set([
  'idp',
  'group',
  'extern',
  'policy',
  'app',
  'use',
  'if',
  'and',
  'or',
  'not',
  'in',
  'precedence',
  'true',
  'false',
  'id',
  'allow',
  'deny',
  'block',
  'bypass',
  'service_auth',
  'non_identity',
]);

/** A string literal: `"` and `\` escaped, line breaks and other control characters as escapes. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `id("…")`. */
export function idLiteral(id: string): string {
  return `id(${quote(id)})`;
}

const DURATION_TOKEN = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** A duration as a bare token when the lexer reads it as one, else as a string. */
export function durationLiteral(text: string): string {
  return DURATION_TOKEN.test(text) ? text : quote(text);
}

/**
 * A name usable as an identifier (`[A-Za-z_][A-Za-z0-9_-]*`, not a keyword), derived from free text, unique among
 * `taken` (which it joins).
 */
export function identifierFor(text: string, taken: Set<string>, fallback = 'idp'): string {
  let base = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z_]+/, '')
    .replace(/_+$/g, '')
    .replace(/_{2,}/g, '_');
  if (base === '' || KEYWORDS.has(base)) base = base === '' ? fallback : `${base}_`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
