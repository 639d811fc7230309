/**
 * Checks a request can be sent before it reaches the HTTP library. undici refuses a header value or path holding a
 * character HTTP does not allow (`UND_ERR_INVALID_ARG`), and when it does so inside a `Pool` the requests queued
 * behind the refused one are never settled (undici 7.x: seen with a token holding a zero-width space at
 * `--parallelism` 1–3, which left `plan` waiting on promises that never ended and the process exiting 0). So
 * nothing undici would refuse is ever handed to it: the client checks here first and fails the call itself.
 * Pure functions; messages never contain the values checked (they may be secrets), only the character at fault.
 */

/**
 * A header value: visible ASCII, space and tab (RFC 9110 §5.5 field-value without obs-text; undici additionally
 * accepts bytes 0x80–0xFF, which a JavaScript string can only hold as Latin-1 code points that are not what the
 * user typed).
 */
const HEADER_VALUE_BAD = /[^\t\x20-\x7e]/;
/** A header name: an RFC 9110 §5.6.2 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A request target as undici accepts it: no controls, spaces or characters past U+00FF (we keep to ASCII). */
const PATH_BAD = /[^\x21-\x7e]/;

/** `U+200B` and, for the common invisible ones, a name. */
export function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[cp];
  return name ? `${hex} ${name}` : hex;
}

const NAMES: Record<number, string> = {
  0: 'NUL',
  9: 'TAB',
  10: 'LINE FEED',
  13: 'CARRIAGE RETURN',
  32: 'SPACE',
  160: 'NO-BREAK SPACE',
  8203: 'ZERO WIDTH SPACE',
  8204: 'ZERO WIDTH NON-JOINER',
  8205: 'ZERO WIDTH JOINER',
  8288: 'WORD JOINER',
  65279: 'ZERO WIDTH NO-BREAK SPACE',
};

/** The first character of `value` matching `bad`, as `U+200B ZERO WIDTH SPACE at position 5` (1-based). */
export function firstBadCharacter(value: string, bad: RegExp): string | undefined {
  const m = bad.exec(value);
  if (!m) return undefined;
  const position = [...value.slice(0, m.index)].length + 1;
  const ch = String.fromCodePoint(value.codePointAt(m.index) ?? 0);
  return `${describeCharacter(ch)} at position ${position}`;
}

/** Why a header value cannot be sent, or `undefined` when it can. */
export function headerValueProblem(value: string): string | undefined {
  return firstBadCharacter(value, HEADER_VALUE_BAD);
}

/** An API token as RFC 6750 §2.1 `b64token` allows (Cloudflare tokens are letters, digits, `-` and `_`). */
const TOKEN_BAD = /[^A-Za-z0-9\-._~+/=]/;

/** Why a bearer token cannot be sent, or `undefined` when it can. */
export function tokenProblem(token: string): string | undefined {
  return firstBadCharacter(token, TOKEN_BAD);
}

/**
 * Why this request cannot be sent as it is, or `undefined`: a header name or value, or the path, holding a
 * character HTTP does not allow. Header values are named, never shown.
 */
export function requestProblem(path: string, headers: Readonly<Record<string, string>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      return `the header name \`${name.replace(/[^\x21-\x7e]/g, '?')}\` is invalid`;
    const bad = headerValueProblem(value);
    if (bad) return `the \`${name}\` header holds a character HTTP does not allow (${bad})`;
  }
  const bad = firstBadCharacter(path, PATH_BAD);
  if (bad) return `the request path holds a character HTTP does not allow (${bad})`;
  return undefined;
}
