import type { Result } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { printExpr } from '../fmt/expr.js';
import { quoteString } from '../lexer/strings.js';
import type { Comment } from '../parser/ast.js';
import type { InvariantDecl, OutcomeWord, Target, TestFileAst } from './ast.js';
import { parseTestFile } from './parse.js';

const DECISION_ALIASES: Readonly<Record<string, string>> = { block: 'deny', non_identity: 'service_auth' };
const outcome = (w: OutcomeWord): string => DECISION_ALIASES[w.word] ?? w.word;

function target(t: Target): string {
  switch (t.kind) {
    case 'App':
      return `app ${quoteString(t.app.value)}`;
    case 'EveryApp':
      return 'every app';
    case 'Tagged':
      return `apps tagged ${t.tag.kind === 'String' ? quoteString(t.tag.value) : t.tag.name}`;
  }
}

/** An invariant on one line, canonically spaced. */
export function printInvariant(inv: InvariantDecl): string {
  const b = inv.body;
  switch (b.form) {
    case 'never':
    case 'always':
      return `${b.form} ${outcome(b.decision)} ${printExpr(b.cond)} on ${target(b.target)}`;
    case 'only':
      return `app ${quoteString(b.app.value)} allows only ${printExpr(b.cond)}`;
    case 'open':
      return 'no app is open to everyone';
    case 'requires':
      return `every ${outcome(b.decision)} on ${target(b.target)} requires ${printExpr(b.cond)}`;
  }
}

/** Lines with the source offset they stand for, so comments are put back where they were. */
class Printer {
  readonly lines: string[] = [];
  private next = 0;
  private lastEnd = -1;

  constructor(
    private readonly text: string,
    private readonly comments: readonly Comment[],
  ) {
    this.source = new SourceFile('', text);
  }

  /** The text with its line index (lines end as the lexer ends them). */
  private readonly source: SourceFile;

  private lineOf(offset: number): number {
    return this.source.position(offset).line;
  }

  private blankBefore(offset: number): boolean {
    const line = this.lineOf(offset);
    return line > 1 && this.source.lineText(line - 1).trim() === '';
  }

  /** Comments before `offset`: trailing on the last printed line when on its source line, else on their own line. */
  flush(offset: number, indent: string, topLevel = false): void {
    while (this.next < this.comments.length && (this.comments[this.next] as Comment).span.start < offset) {
      const c = this.comments[this.next++] as Comment;
      if (
        this.lastEnd >= 0 &&
        this.lineOf(c.span.start) === this.lineOf(this.lastEnd) &&
        this.lines.length > 0
      )
        this.lines[this.lines.length - 1] += ` ${c.text.trimEnd()}`;
      else {
        if (topLevel && this.lines.length > 0 && this.blankBefore(c.span.start)) this.blank();
        this.lines.push(`${indent}${c.text.trimEnd()}`);
      }
    }
  }

  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  line(start: number, end: number, indent: string, text: string, topLevel = false): void {
    this.flush(start, indent, topLevel);
    if (topLevel && this.lines.length > 0 && this.blankBefore(start)) this.blank();
    this.lines.push(`${indent}${text}`);
    this.lastEnd = end;
  }

  /** Record where a closing brace was, so a comment after it on its line trails it. */
  close(start: number, end: number, indent: string, text: string): void {
    this.flush(start, `${indent}  `);
    this.lines.push(`${indent}${text}`);
    this.lastEnd = end;
  }
}

/** Canonical text of a parsed test file; comments kept. */
export function printTestFile(ast: TestFileAst, text: string): string {
  const p = new Printer(text, ast.comments);
  for (const item of ast.items) {
    const { start, end } = item.span;
    if (item.kind === 'Invariant') {
      p.line(start, end, '', printInvariant(item), true);
      continue;
    }
    p.line(start, item.name.span.end + 1, '', `test ${quoteString(item.name.value)} {`, true);
    if (item.identity) {
      const id = item.identity;
      if (
        id.fields.length === 0 &&
        !ast.comments.some((c) => c.span.start > id.span.start && c.span.end < id.span.end)
      )
        p.line(id.span.start, id.span.end, '  ', 'identity {}');
      else {
        p.line(id.span.start, id.span.start + 'identity'.length, '  ', 'identity {');
        for (const f of id.fields) {
          const values = f.values.map((v) => (v.kind === 'String' ? quoteString(v.value) : v.name));
          p.line(
            f.span.start,
            f.span.end,
            '    ',
            values.length ? `${f.key.name} ${values.join(', ')}` : f.key.name,
          );
        }
        p.close(id.span.end - 1, id.span.end, '  ', '}');
      }
    }
    for (const e of item.expects) {
      const by = e.by ? ` by ${quoteString(e.by.value)}` : '';
      p.line(
        e.span.start,
        e.span.end,
        '  ',
        `expect app ${quoteString(e.app.value)} ${outcome(e.outcome)}${by}`,
      );
    }
    p.close(end - 1, end, '', '}');
  }
  p.flush(Number.POSITIVE_INFINITY, '', true);
  return p.lines.length > 0 ? `${p.lines.join('\n')}\n` : '';
}

/** `aclc fmt` for a `.acltest` file: the canonical text, or the text unchanged with its syntax errors. */
export function formatTestSource(file: SourceFile): Result<string> {
  const parsed = parseTestFile(file);
  if (parsed.diagnostics.some((d) => d.severity === 'error'))
    return { value: file.text, diagnostics: parsed.diagnostics };
  return { value: printTestFile(parsed.value, file.text), diagnostics: [] };
}
