import { lineStarts } from './lines.js';

/** One source text with a lazily built line index; line and column exist only for rendering. */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  /** 1-based line and column (in UTF-16 code units) of an offset, clamped into the text. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - (starts[lo] as number) + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    const end = next === undefined ? this.text.length : next;
    return this.text.slice(start, end).replace(/(?:\r\n|\r|\n)$/, '');
  }

  get lineCount(): number {
    return this.starts().length;
  }

  /** The offset each line starts at; lines end as the lexer ends them (`src/diagnostics/lines.ts`). */
  starts(): readonly number[] {
    this.lineStarts ??= lineStarts(this.text);
    return this.lineStarts;
  }
}

/** Where the core gets project files from; the CLI reads the disk, tests pass strings. */
export interface SourceHost {
  files(): SourceFile[];
}

export function memoryHost(files: Record<string, string>): SourceHost {
  const list = Object.entries(files).map(([path, text]) => new SourceFile(path, text));
  return { files: () => list };
}
