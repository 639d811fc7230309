/** A bad escape inside a string literal, as offsets into the token's image. */
export interface EscapeProblem {
  start: number;
  end: number;
  /** The escape as written, e.g. `\q` or `\u{110000}`. */
  text: string;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

/**
 * The value of a string literal's image (quotes included; the closing quote may be missing when `terminated` is
 * false). Unknown escapes are kept as written and, when `problems` is given, recorded there.
 */
export function decodeString(image: string, terminated = true, problems?: EscapeProblem[]): string {
  const end = terminated && image.length >= 2 ? image.length - 1 : image.length;
  let i = image.indexOf('\\', 1);
  if (i === -1 || i >= end) return image.slice(1, end);
  let out = image.slice(1, i);
  while (i < end) {
    const ch = image[i] as string;
    if (ch !== '\\') {
      const next = image.indexOf('\\', i);
      const stop = next === -1 || next > end ? end : next;
      out += image.slice(i, stop);
      i = stop;
      continue;
    }
    const e = image[i + 1];
    if (e === undefined || i + 1 >= end) {
      // A lone backslash at the end of an unterminated string.
      problems?.push({ start: i, end: i + 1, text: '\\' });
      out += '\\';
      i += 1;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (e === 'u') {
      const m = /^\{([0-9A-Fa-f]{1,6})\}/.exec(image.slice(i + 2, Math.min(end, i + 11)));
      const code = m ? Number.parseInt(m[1] as string, 16) : -1;
      if (m && code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += 2 + m[0].length;
        continue;
      }
      const brace = /^\{[^}"]{0,8}\}?/.exec(image.slice(i + 2, end));
      const len = 2 + (brace ? brace[0].length : 0);
      problems?.push({ start: i, end: i + len, text: image.slice(i, i + len) });
      out += image.slice(i, i + len);
      i += len;
      continue;
    }
    // Keep surrogate pairs whole so the message shows the character.
    const cp = image.codePointAt(i + 1) as number;
    const len = cp > 0xffff ? 3 : 2;
    problems?.push({ start: i, end: i + len, text: image.slice(i, i + len) });
    out += image.slice(i, i + len);
    i += len;
  }
  return out;
}

/** Characters written as an escape by `quoteString`: quotes, backslashes, control characters, lone surrogates. */
const NEEDS_ESCAPE =
  /["\\\x00-\x1F\x7F\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The canonical literal for a string value: `"` and `\` escaped, `\n`, `\t`, other control characters and lone surrogates as `\u{…}`. */
export function quoteString(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029)
      out += `\\u{${c.toString(16).toUpperCase()}}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += value.slice(i, i + 2);
        i++;
      } else out += `\\u{${c.toString(16).toUpperCase()}}`;
    } else if (c >= 0xdc00 && c <= 0xdfff) out += `\\u{${c.toString(16).toUpperCase()}}`;
    else out += value[i];
  }
  return `${out}"`;
}
