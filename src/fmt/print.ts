import { hasErrors, type Result } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { quoteString } from '../lexer/strings.js';
import { toNextLine } from '../lint/directive.js';
import type { AstFile, Comment, Expr, SettingsBlock, Value } from '../parser/ast.js';
import { type Attachable, childRegion } from '../parser/attach.js';
import { parseFile } from '../parser/index.js';
import { CommentQueue } from './comments.js';
import { layoutExpr, printArg, printExpr, WIDTH } from './expr.js';

export { printExpr } from './expr.js';

/**
 * The canonical text of a file: 2-space indentation, one declaration per paragraph, canonical spacing and string
 * escapes, conditions broken before `or`/`and` past 100 columns, keywords as the user wrote them (`block` stays
 * `block`). Every comment is kept, attached to the nearest declaration, app item or setting. A file with parse
 * errors is returned unchanged, with its diagnostics.
 */
export function formatSource(file: SourceFile): Result<string> {
  const parsed = parseFile(file);
  if (hasErrors(parsed.diagnostics)) return { value: file.text, diagnostics: parsed.diagnostics };
  return { value: formatAst(parsed.value, file.text), diagnostics: parsed.diagnostics };
}

/** Format a parsed file; `text` is its source (for comments and blank lines). The AST must have no errors. */
export function formatAst(ast: AstFile, text: string): string {
  const printer = new Printer(ast.comments, text);
  const lines = printer.children(ast.decls, 0, text.length, 0, true);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const spaces = (n: number): string => ' '.repeat(n);

/** `out.push(...lines)` without the argument-count limit of a spread (an app may have many items). */
function pushAll(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

class Printer {
  private readonly comments: CommentQueue;

  constructor(comments: readonly Comment[], text: string) {
    this.comments = new CommentQueue(comments, text);
  }

  /**
   * Sibling nodes of the region `[start, end)` at `indent`, each with its leading comments (before it), the
   * comments hoisted out of it, and its trailing comment (same line); comments left at the end of the region follow.
   * At the top level, declarations are separated by one blank line; elsewhere one blank line is kept where the
   * source had any.
   */
  children(nodes: readonly Attachable[], start: number, end: number, indent: number, top: boolean): string[] {
    const q = this.comments;
    const pad = spaces(indent);
    const out: string[] = [];
    let prevEnd = start;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as Attachable;
      const leading = q.take(prevEnd, node.span.start);
      const firstStart = leading[0]?.span.start ?? node.span.start;
      if (out.length > 0 && (top || q.blankBetween(prevEnd, firstStart))) out.push('');
      for (let k = 0; k < leading.length; k++) {
        const c = leading[k] as Comment;
        out.push(pad + c.text);
        if (q.blankBetween(c.span.end, leading[k + 1]?.span.start ?? node.span.start)) out.push('');
      }
      for (const c of this.hoisted(node)) out.push(pad + c);
      pushAll(out, this.node(node, indent));
      const trailing = q.takeTrailing(node.span.end, nodes[i + 1]?.span.start ?? end);
      if (trailing) out[out.length - 1] += ` ${trailing.text}`;
      prevEnd = trailing ? trailing.span.end : node.span.end;
    }
    for (const c of q.take(prevEnd, end)) {
      if (out.length > 0 && q.blankBetween(prevEnd, c.span.start)) out.push('');
      out.push(pad + c.text);
      prevEnd = c.span.end;
    }
    return out;
  }

  /**
   * Comments inside a node but outside the block its children live in: printed before the node. A same-line
   * suppression (`aclc-disable-line`) moved there becomes `aclc-disable-next-line`, so it still names the node.
   */
  private hoisted(node: Attachable): string[] {
    const inner = childRegion(node);
    const q = this.comments;
    const taken = inner
      ? [...q.take(node.span.start, inner.start), ...q.take(inner.end, node.span.end)]
      : q.take(node.span.start, node.span.end);
    return taken.map((c) => toNextLine(c.text));
  }

  private node(node: Attachable, indent: number): string[] {
    const pad = spaces(indent);
    switch (node.kind) {
      case 'Idp': {
        const type = node.type ? `: ${node.type.name}` : '';
        const value =
          node.value.kind === 'Id' ? `id(${quoteString(node.value.value)})` : quoteString(node.value.value);
        return [`${pad}idp ${node.name.name}${type} = ${value}`];
      }
      case 'Group':
      case 'List': {
        const zone =
          node.kind === 'Group' && node.zone
            ? ` in ${node.zone.keyword.name} ${node.zone.value.kind === 'Id' ? `id(${quoteString(node.zone.value.value)})` : quoteString(node.zone.value.value)}`
            : '';
        return this.condition(
          `${pad}${node.kind === 'Group' ? 'group' : 'list'} ${quoteString(node.name.value)}${zone} = `,
          node.expr,
          '',
          undefined,
          indent,
        );
      }
      case 'ExternGroup':
        return [`${pad}extern group ${quoteString(node.name.value)}`];
      case 'Policy': {
        const header = `${pad}policy ${quoteString(node.name.value)} ${node.decision.keyword} if `;
        return this.condition(header, node.expr, '', node.settings, indent);
      }
      case 'App': {
        const head = `${pad}app ${quoteString(node.name.value)} {`;
        const inner = this.children(node.items, node.name.span.end, node.span.end, indent + 2, false);
        if (inner.length === 0) return [`${head}}`];
        inner.unshift(head);
        inner.push(`${pad}}`);
        return inner;
      }
      case 'InlinePolicy': {
        const header = `${pad}${node.decision.keyword} ${quoteString(node.name.value)} if `;
        const precedence = node.precedence ? ` precedence ${node.precedence.text}` : '';
        return this.condition(header, node.expr, precedence, node.settings, indent);
      }
      case 'Use': {
        const precedence = node.precedence ? ` precedence ${node.precedence.text}` : '';
        const name =
          node.name.kind === 'Id' ? `id(${quoteString(node.name.value)})` : quoteString(node.name.value);
        return [`${pad}use ${node.extern ? 'extern ' : ''}${name}${precedence}`];
      }
      case 'Setting': {
        const head = `${pad}${node.key.name} `;
        const lines = this.value(node.value, head.length, indent);
        lines[0] = head + lines[0];
        return lines;
      }
    }
  }

  /** `header` + condition + `suffix`, then the settings block if any; the condition breaks if the line is long. */
  private condition(
    header: string,
    expr: Expr,
    suffix: string,
    settings: SettingsBlock | undefined,
    indent: number,
  ): string[] {
    const open = settings ? ' {' : '';
    const force = header.length + printExpr(expr).length + suffix.length + open.length > WIDTH;
    const lines = layoutExpr(expr, header.length, indent + 2, force);
    lines[0] = header + lines[0];
    lines[lines.length - 1] += suffix;
    if (!settings) return lines;
    const block = this.value(settings, 0, indent);
    lines[lines.length - 1] += ` ${block[0]}`;
    for (let i = 1; i < block.length; i++) lines.push(block[i] as string);
    return lines;
  }

  /** A setting value starting at column `col`, inside something indented by `indent`. */
  private value(value: Value, col: number, indent: number): string[] {
    switch (value.kind) {
      case 'Settings': {
        const inner = this.children(value.settings, value.span.start, value.span.end, indent + 2, false);
        if (inner.length === 0) return ['{}'];
        inner.unshift('{');
        inner.push(`${spaces(indent)}}`);
        return inner;
      }
      case 'List': {
        const flat = flatList(value);
        if (value.items.length === 0 || (flat !== undefined && col + flat.length <= WIDTH))
          return [flat ?? '[]'];
        const pad = spaces(indent + 2);
        const out = ['['];
        for (const item of value.items) {
          const lines = this.value(item, pad.length, indent + 2);
          lines[0] = pad + lines[0];
          lines[lines.length - 1] += ',';
          pushAll(out, lines);
        }
        out.push(`${spaces(indent)}]`);
        return out;
      }
      default:
        return [scalar(value)];
    }
  }
}

function scalar(value: Exclude<Value, SettingsBlock | { kind: 'List' }>): string {
  switch (value.kind) {
    case 'Bool':
      return value.value ? 'true' : 'false';
    case 'Duration':
      return value.text;
    default:
      return printArg(value);
  }
}

/** A list on one line, or `undefined` if it holds a settings block (always printed over several lines). */
function flatList(value: Value): string | undefined {
  if (value.kind === 'Settings') return undefined;
  if (value.kind !== 'List') return scalar(value);
  const items: string[] = [];
  for (const item of value.items) {
    const s = flatList(item);
    if (s === undefined) return undefined;
    items.push(s);
  }
  return `[${items.join(', ')}]`;
}
