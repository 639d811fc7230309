import type { Span } from '../diagnostics/diagnostic.js';
import type { WrittenAttribute } from '../testing/identity.js';

const AT: Span = { file: '<command line>', start: 0, end: 0 };

/**
 * `--as 'email=bob@example.com,country=DE,idp=okta,auth_method=mfa,hwk,certificate'`: `key=value` pairs separated by
 * commas; a part without `=` is another value of the previous key (or a flag such as `certificate`); a repeated key
 * adds values. Only the first `=` splits, so `saml=department=eng` works.
 */
export function parseAsArgument(text: string): WrittenAttribute[] {
  const out: WrittenAttribute[] = [];
  let last: WrittenAttribute | undefined;
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0 && last && last.values.length > 0 && !FLAGS.has(part)) {
      last.values.push({ text: part, span: AT });
      continue;
    }
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    last = { key, keySpan: AT, values: eq < 0 ? [] : [{ text: part.slice(eq + 1).trim(), span: AT }] };
    out.push(last);
  }
  return out;
}

const FLAGS = new Set(['certificate', 'account_member']);

/** `--identity FILE`: a JSON object of attribute → string, list of strings, or `true` for a flag. */
export function parseIdentityJson(text: string): WrittenAttribute[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'expected a JSON object';
  const out: WrittenAttribute[] = [];
  for (const [key, v] of Object.entries(doc as Record<string, unknown>)) {
    if (v === true) out.push({ key, keySpan: AT, values: [] });
    else if (v === false || v === null) continue;
    else if (typeof v === 'string') out.push({ key, keySpan: AT, values: [{ text: v, span: AT }] });
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      out.push({ key, keySpan: AT, values: v.map((x) => ({ text: x as string, span: AT })) });
    else return `\`${key}\` must be a string, a list of strings or true`;
  }
  return out;
}
