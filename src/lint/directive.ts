/** The comment directives aclc reads: `# aclc-<directive> rule-id[, rule-id] -- reason`. */
export const DIRECTIVES = {
  /** Findings in the node that starts on the next line holding code. */
  nextLine: 'aclc-disable-next-line',
  /** Findings in the node the comment ends (written after it on its line) or sits inside. */
  line: 'aclc-disable-line',
  /** Findings anywhere in the file. */
  file: 'aclc-disable-file',
} as const;

/** Kept for the language server's quick fix. */
export const DIRECTIVE = DIRECTIVES.nextLine;

export const DIRECTIVE_NAMES: readonly string[] = Object.values(DIRECTIVES);

/** The `aclc-…` word a comment starts with (after `#` or `//` and spaces), with its offsets in the comment. */
export function directiveOf(text: string): { word: string; start: number; end: number } | undefined {
  const marker = text.startsWith('//') ? 2 : text.startsWith('#') ? 1 : 0;
  const m = /^[ \t]*(aclc-[A-Za-z0-9_-]*)/.exec(text.slice(marker));
  if (!m) return undefined;
  const word = m[1] as string;
  const start = marker + m[0].length - word.length;
  return { word, start, end: start + word.length };
}

/** The comment with `aclc-disable-line` turned into `aclc-disable-next-line` (the formatter moved it off its line). */
export function toNextLine(text: string): string {
  const d = directiveOf(text);
  if (d?.word !== DIRECTIVES.line) return text;
  return `${text.slice(0, d.start)}${DIRECTIVES.nextLine}${text.slice(d.end)}`;
}
