/**
 * JSON with comments (JSONC, as VS Code's settings and tsconfig.json take it): `//` and `/* … *\/` comments and
 * trailing commas. One linear pass blanks them out with spaces (newlines kept), so the text keeps every offset
 * and `JSON.parse` errors point at the real line and column. Nesting is bounded before parsing.
 */

/** Deepest nesting of arrays and objects accepted; a configuration needs four levels. */
export const MAX_DEPTH = 64;

export type JsoncResult = { ok: true; value: unknown } | { ok: false; offset: number; reason: string };

/** Blank comments and trailing commas; report unterminated comments and too deep nesting. */
function blank(text: string): { text: string } | { offset: number; reason: string } {
  const out = text.split('');
  let depth = 0;
  /** Offset of the last comma outside strings, while only blanks or comments follow it. */
  let pendingComma = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      pendingComma = -1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      for (; i < text.length && text[i] !== '\n' && text[i] !== '\r'; i++) out[i] = ' ';
      i--;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { offset: i, reason: 'unterminated `/*` comment' };
      for (let j = i; j < end + 2; j++) if (text[j] !== '\n' && text[j] !== '\r') out[j] = ' ';
      i = end + 1;
      continue;
    }
    if (c === ',') {
      pendingComma = i;
      continue;
    }
    if (c === '}' || c === ']') {
      if (pendingComma >= 0) out[pendingComma] = ' ';
      pendingComma = -1;
      depth--;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    pendingComma = -1;
    if (c === '{' || c === '[') {
      depth++;
      if (depth > MAX_DEPTH) return { offset: i, reason: `nested more than ${MAX_DEPTH} levels deep` };
    }
  }
  return { text: out.join('') };
}

/** Parse JSONC text. Never throws. */
export function parseJsonc(text: string): JsoncResult {
  const blanked = blank(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  if (!('text' in blanked)) return { ok: false, ...blanked };
  try {
    return { ok: true, value: JSON.parse(blanked.text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'invalid JSON';
    // V8 says where: "… in JSON at position 42" (Node 22 adds "(line 3 column 5)", computed here instead).
    const at = /at position (\d+)/.exec(message);
    const offset = at
      ? Math.min(Number(at[1]), text.length)
      : message.includes('end of JSON')
        ? text.length
        : 0;
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/^JSON\.parse: /, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    return { ok: false, offset, reason: reason.charAt(0).toLowerCase() + reason.slice(1) };
  }
}
