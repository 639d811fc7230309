/**
 * Wraps one line of text to `width` columns without ever dropping a character: breaks after a space or a comma
 * when one fits, else inside the word. `first` is the text before the value on the first line (counted, kept as
 * is); continuation lines start with `hang` spaces. A width too small for the indent still makes progress.
 */
export function wrap(first: string, value: string, width: number, hang: number): string[] {
  const lines: string[] = [];
  let head = first;
  let rest = value;
  const room = () => Math.max(width - head.length, 16);
  while (head.length + rest.length > width && rest.length > room()) {
    const max = room();
    let cut = -1;
    for (let i = max; i > 0; i--) {
      const ch = rest[i - 1];
      if (ch === ' ' || ch === ',') {
        cut = i;
        break;
      }
    }
    if (cut <= 0) cut = max;
    lines.push(`${head}${rest.slice(0, cut)}`.trimEnd());
    rest = rest.slice(cut).replace(/^ /, '');
    head = ' '.repeat(hang);
  }
  lines.push(`${head}${rest}`);
  return lines;
}

/** The width to wrap to: `--width`, else the terminal's columns, else 80. */
export function widthFor(option: string | number | undefined, columns: number | undefined): number {
  const n = Number(option);
  if (option !== undefined && Number.isInteger(n) && n >= 40) return n;
  return columns !== undefined && columns >= 40 ? columns : 80;
}
