import type { TokenType } from 'chevrotain';
import type { Span } from '../diagnostics/diagnostic.js';
import { decodeString } from '../lexer/strings.js';
import {
  Allow,
  And,
  App,
  Block,
  Bypass,
  Colon,
  Comma,
  Deny,
  Duration,
  Equals,
  Extern,
  False,
  Group,
  Id,
  Identifier,
  Idp,
  If,
  In,
  LBracket,
  LCurly,
  List,
  LParen,
  NonIdentity,
  Not,
  NumberLiteral,
  Or,
  Policy,
  Precedence,
  RBracket,
  RCurly,
  RParen,
  Semicolon,
  ServiceAuth,
  StringLiteral,
  True,
  Use,
} from '../lexer/tokens.js';
import type {
  Arg,
  Expr,
  Ident,
  IdLit,
  ListValue,
  NumberLit,
  SelectorExpr,
  Setting,
  SettingsBlock,
  StringLit,
  Value,
} from './ast.js';

/** Thrown (never as an Error: no stack trace to capture) when the declaration does not fit the grammar. */
export const BAIL = { bail: true };

export const idx = (t: TokenType): number => t.tokenTypeIdx as number;
export const IDP = idx(Idp);
export const GROUP = idx(Group);
export const EXTERN = idx(Extern);
export const LIST = idx(List);
export const POLICY = idx(Policy);
export const APP = idx(App);
export const USE = idx(Use);
export const IF = idx(If);
export const AND = idx(And);
export const OR = idx(Or);
export const NOT = idx(Not);
export const IN = idx(In);
export const ID = idx(Id);
export const PRECEDENCE = idx(Precedence);
export const TRUE = idx(True);
export const FALSE = idx(False);
export const IDENTIFIER = idx(Identifier);
export const STRING = idx(StringLiteral);
export const NUMBER = idx(NumberLiteral);
export const DURATION = idx(Duration);
export const LPAREN = idx(LParen);
export const RPAREN = idx(RParen);
export const LCURLY = idx(LCurly);
export const RCURLY = idx(RCurly);
export const LBRACKET = idx(LBracket);
export const RBRACKET = idx(RBracket);
export const COMMA = idx(Comma);
export const COLON = idx(Colon);
export const EQUALS = idx(Equals);
export const SEMICOLON = idx(Semicolon);

/** Token kinds (by `tokenTypeIdx`) of the decision keywords: the `DecisionKeyword` category. */
export const DECISION = new Set([Allow, Deny, Block, Bypass, ServiceAuth, NonIdentity].map(idx));
/** Tokens that start a `value`. */
export const VALUE_START = new Set([STRING, NUMBER, DURATION, TRUE, FALSE, IDENTIFIER, ID, LBRACKET, LCURLY]);
/** Tokens that start a selector argument. */
export const ARG_START = new Set([STRING, IDENTIFIER, ID, NUMBER]);

/** Whether a string image ends with an unescaped closing quote. */
export function isClosed(image: string): boolean {
  let backslashes = 0;
  for (let i = image.length - 2; i >= 1 && image.charCodeAt(i) === 0x5c; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The value of a string token's image (an unterminated string has no closing quote to drop). */
export function stringValue(image: string): string {
  const terminated = image.length >= 2 && image.charCodeAt(image.length - 1) === 0x22 && isClosed(image);
  return decodeString(image, terminated);
}

/**
 * The token cursor, node builders, values and conditions of the parser's fast path (`fast.ts` reads the
 * declarations on top of it). Every method either returns the node chevrotain plus `build-ast.ts` would build for
 * the same tokens, or throws `BAIL` at the first token that does not fit.
 */
export class FastReader {
  text = '';
  kinds: Uint8Array = new Uint8Array(0);
  starts: Int32Array = new Int32Array(0);
  ends: Int32Array = new Int32Array(0);
  pos = 0;
  end = 0;
  file = '';
  /**
   * Elements of the lists being built (arguments, operands, items), nested lists above outer ones: each list is
   * taken off with `splice`, which gives an array of exactly its length (an array grown by `push` keeps room for
   * 16 or more, and a large project's tree holds hundreds of thousands of lists).
   */
  readonly stack: unknown[] = [];

  /** Kind of the next token, or -1 at the end of the declaration. */

  protected peek(): number {
    return this.pos < this.end ? (this.kinds[this.pos] as number) : -1;
  }

  protected peekAt(k: number): number {
    const at = this.pos + k;
    return at < this.end ? (this.kinds[at] as number) : -1;
  }

  /** Index of the next token, which is consumed. */
  protected next(): number {
    return this.pos++;
  }

  protected expect(kind: number): number {
    if (this.peek() !== kind) throw BAIL;
    return this.pos++;
  }

  protected startOf(t: number): number {
    return this.starts[t] as number;
  }

  protected endOf(t: number): number {
    return this.ends[t] as number;
  }

  protected image(t: number): string {
    return this.text.slice(this.starts[t] as number, this.ends[t] as number);
  }

  protected span(start: number, end: number): Span {
    return { file: this.file, start, end: Math.max(start, end) };
  }

  protected tokSpan(t: number): Span {
    return { file: this.file, start: this.starts[t] as number, end: this.ends[t] as number };
  }

  protected ident(t: number): Ident {
    return { kind: 'Ident', span: this.tokSpan(t), name: this.image(t) };
  }

  protected string(t: number): StringLit {
    return { kind: 'String', span: this.tokSpan(t), value: stringValue(this.image(t)) };
  }

  protected number(t: number): NumberLit {
    const text = this.image(t);
    return { kind: 'Number', span: this.tokSpan(t), value: Number(text), text };
  }

  protected settingsBlock(): SettingsBlock {
    const open = this.expect(LCURLY);
    const stack = this.stack;
    const base = stack.length;
    while (this.peek() === IDENTIFIER) {
      stack.push(this.setting());
      const sep = this.peek();
      if (sep === SEMICOLON || sep === COMMA) this.pos++;
    }
    const close = this.expect(RCURLY);
    const settings = stack.splice(base) as Setting[];
    return {
      kind: 'Settings',
      span: this.span(this.startOf(open), this.endOf(close)),
      settings,
    };
  }

  protected setting(): Setting {
    const key = this.ident(this.expect(IDENTIFIER));
    const value = this.value();
    return {
      kind: 'Setting',
      span: this.span(key.span.start, Math.max(key.span.end, value.span.end)),
      key,
      value,
    };
  }

  protected value(): Value {
    switch (this.peek()) {
      case STRING:
        return this.string(this.next());
      case NUMBER:
        return this.number(this.next());
      case DURATION: {
        const t = this.next();
        return { kind: 'Duration', span: this.tokSpan(t), text: this.image(t) };
      }
      case TRUE:
      case FALSE: {
        const t = this.next();
        return { kind: 'Bool', span: this.tokSpan(t), value: this.kinds[t] === TRUE };
      }
      case IDENTIFIER:
        return this.ident(this.next());
      case ID:
        return this.idLit();
      case LBRACKET:
        return this.list();
      case LCURLY:
        return this.settingsBlock();
      default:
        throw BAIL;
    }
  }

  protected list(): ListValue {
    const open = this.next();
    const stack = this.stack;
    const base = stack.length;
    if (VALUE_START.has(this.peek())) {
      stack.push(this.value());
      while (this.peek() === COMMA && VALUE_START.has(this.peekAt(1))) {
        this.pos++;
        stack.push(this.value());
      }
      if (this.peek() === COMMA) this.pos++;
    }
    const close = this.expect(RBRACKET);
    const items = stack.splice(base) as Value[];
    return {
      kind: 'List',
      span: this.span(this.startOf(open), this.endOf(close)),
      items,
    };
  }

  protected idLit(): IdLit {
    const kw = this.next();
    this.expect(LPAREN);
    const value = stringValue(this.image(this.expect(STRING)));
    const close = this.expect(RPAREN);
    return { kind: 'Id', span: this.span(this.startOf(kw), this.endOf(close)), value };
  }

  protected expr(): Expr {
    const first = this.andExpr();
    if (this.peek() !== OR) return first;
    const stack = this.stack;
    const base = stack.length;
    stack.push(first);
    while (this.peek() === OR) {
      this.pos++;
      stack.push(this.andExpr());
    }
    const operands = stack.splice(base) as Expr[];
    const last = operands[operands.length - 1] as Expr;
    return { kind: 'Or', span: this.span(first.span.start, last.span.end), operands };
  }

  /** `not* primary (and not* primary)*`; each run of `not`s wraps the operand after it, innermost last. */
  protected andExpr(): Expr {
    const stack = this.stack;
    const base = stack.length;
    for (;;) {
      const from = this.pos;
      while (this.peek() === NOT) this.pos++;
      const nots = this.pos - from;
      let e = this.primary();
      for (let i = from + nots - 1; i >= from; i--) {
        e = { kind: 'Not', span: this.span(this.startOf(i), e.span.end), operand: e };
      }
      stack.push(e);
      if (this.peek() !== AND) break;
      this.pos++;
    }
    if (stack.length - base === 1) return stack.pop() as Expr;
    const operands = stack.splice(base) as Expr[];
    const first = operands[0] as Expr;
    const last = operands[operands.length - 1] as Expr;
    return { kind: 'And', span: this.span(first.span.start, last.span.end), operands };
  }

  protected primary(): Expr {
    const k = this.peek();
    if (k === LPAREN) {
      const open = this.next();
      const inner = this.expr();
      const close = this.expect(RPAREN);
      return {
        kind: 'Paren',
        span: this.span(this.startOf(open), this.endOf(close)),
        expr: inner,
      };
    }
    if (k !== IDENTIFIER && k !== GROUP) throw BAIL;
    const name = this.ident(this.next());
    const after = this.peek();
    if (after !== LPAREN && after !== IN) return { kind: 'Selector', span: name.span, name, form: 'bare' };
    const form = after === IN ? 'in' : 'call';
    if (form === 'in') {
      this.next();
      this.expect(LPAREN);
      if (!ARG_START.has(this.peek())) throw BAIL;
    } else this.next();
    const stack = this.stack;
    const base = stack.length;
    if (ARG_START.has(this.peek())) {
      stack.push(this.arg());
      while (this.peek() === COMMA && ARG_START.has(this.peekAt(1))) {
        this.pos++;
        stack.push(this.arg());
      }
      if (this.peek() === COMMA) this.pos++;
    }
    const close = this.expect(RPAREN);
    const args = stack.splice(base) as Arg[];
    const selector: SelectorExpr = {
      kind: 'Selector',
      span: this.span(name.span.start, this.endOf(close)),
      name,
      args,
      form,
    };
    return selector;
  }

  protected arg(): Arg {
    switch (this.peek()) {
      case STRING:
        return this.string(this.next());
      case IDENTIFIER:
        return this.ident(this.next());
      case ID:
        return this.idLit();
      case NUMBER:
        return this.number(this.next());
      default:
        throw BAIL;
    }
  }
}
