/**
 * What a line is, in one place. The lexer ends a comment or a string at `\r` or `\n`; every line count in the product
 * (positions, suppressions, the formatter's comments and blank lines, the language server, `.acltest` files) agrees
 * with it: a line ends at `\r\n`, at a lone `\r` or at a lone `\n`, and `\r\n` is one break.
 */

/** Length of the line break starting at `offset`: 2 for `\r\n`, 1 for a lone `\r` or `\n`, 0 for anything else. */
export function breakLength(text: string, offset: number): 0 | 1 | 2 {
  const c = text.charCodeAt(offset);
  if (c === 0x0a) return 1;
  if (c !== 0x0d) return 0;
  return text.charCodeAt(offset + 1) === 0x0a ? 2 : 1;
}

/** The offset each line starts at (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  // Most files break lines with `\n` alone: the string search finds those far faster than a loop over characters.
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/** Whether `text` holds a line break. */
export function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}

/** How many line breaks `text` holds (`\r\n` counts once). */
export function countLineBreaks(text: string): number {
  return lineStarts(text).length - 1;
}

/** The offset where the line holding `offset` starts. */
export function lineStartBefore(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  // An offset between the `\r` and `\n` of one break still belongs to the line the break ends.
  if (i > 0 && i < text.length && text.charCodeAt(i) === 0x0a && text.charCodeAt(i - 1) === 0x0d) i--;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a || c === 0x0d) break;
    i--;
  }
  return i;
}

/** The offset where the line holding `offset` ends (its break excluded). */
export function lineEndAfter(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) break;
    i++;
  }
  return i;
}

/** The lines of `text`, without their breaks (as `split` would give with every kind of break). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
