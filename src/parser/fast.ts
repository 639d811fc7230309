import type { TokenType } from 'chevrotain';
import type { Span } from '../diagnostics/diagnostic.js';
import type { TokenStream } from '../lexer/scan.js';
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
  AppDecl,
  AppItem,
  Arg,
  DecisionKw,
  Decl,
  Expr,
  ExternGroupDecl,
  GroupDecl,
  Ident,
  IdLit,
  IdpDecl,
  InlinePolicy,
  ListValue,
  NumberLit,
  PolicyDecl,
  SelectorExpr,
  Setting,
  SettingsBlock,
  StringLit,
  UsePolicy,
  Value,
} from './ast.js';

/**
 * The fast path of the parser: a recursive-descent reader of one declaration that is free of errors, building the
 * AST directly. It follows the grammar of `parser.ts` and builds exactly the nodes (spans included) that chevrotain
 * plus `build-ast.ts` build for the same tokens; at the first token that does not fit — a syntax error, or a case
 * the builder reports on, such as a misspelt decision — it gives up and `parseFile` runs chevrotain on the
 * declaration, which recovers and reports. A test compares both paths on valid, mutated and random input.
 *
 * Most files have no errors, so most files never build chevrotain's parser (costly at start-up) nor its CST
 * (most of the parse time).
 */

/** Thrown (never as an Error: no stack trace to capture) when the declaration does not fit the grammar. */
const BAIL = { bail: true };

const idx = (t: TokenType): number => t.tokenTypeIdx as number;
const IDP = idx(Idp);
const GROUP = idx(Group);
const EXTERN = idx(Extern);
const POLICY = idx(Policy);
const APP = idx(App);
const USE = idx(Use);
const IF = idx(If);
const AND = idx(And);
const OR = idx(Or);
const NOT = idx(Not);
const IN = idx(In);
const ID = idx(Id);
const PRECEDENCE = idx(Precedence);
const TRUE = idx(True);
const FALSE = idx(False);
const IDENTIFIER = idx(Identifier);
const STRING = idx(StringLiteral);
const NUMBER = idx(NumberLiteral);
const DURATION = idx(Duration);
const LPAREN = idx(LParen);
const RPAREN = idx(RParen);
const LCURLY = idx(LCurly);
const RCURLY = idx(RCurly);
const LBRACKET = idx(LBracket);
const RBRACKET = idx(RBracket);
const COMMA = idx(Comma);
const COLON = idx(Colon);
const EQUALS = idx(Equals);
const SEMICOLON = idx(Semicolon);

/** Token kinds (by `tokenTypeIdx`) of the decision keywords: the `DecisionKeyword` category. */
const DECISION = new Set([Allow, Deny, Block, Bypass, ServiceAuth, NonIdentity].map(idx));
/** Tokens that start a `value`. */
const VALUE_START = new Set([STRING, NUMBER, DURATION, TRUE, FALSE, IDENTIFIER, ID, LBRACKET, LCURLY]);
/** Tokens that start a selector argument. */
const ARG_START = new Set([STRING, IDENTIFIER, ID, NUMBER]);

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

class FastParser {
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
  private peek(): number {
    return this.pos < this.end ? (this.kinds[this.pos] as number) : -1;
  }

  private peekAt(k: number): number {
    const at = this.pos + k;
    return at < this.end ? (this.kinds[at] as number) : -1;
  }

  /** Index of the next token, which is consumed. */
  private next(): number {
    return this.pos++;
  }

  private expect(kind: number): number {
    if (this.peek() !== kind) throw BAIL;
    return this.pos++;
  }

  private startOf(t: number): number {
    return this.starts[t] as number;
  }

  private endOf(t: number): number {
    return this.ends[t] as number;
  }

  private image(t: number): string {
    return this.text.slice(this.starts[t] as number, this.ends[t] as number);
  }

  private span(start: number, end: number): Span {
    return { file: this.file, start, end: Math.max(start, end) };
  }

  private tokSpan(t: number): Span {
    return { file: this.file, start: this.starts[t] as number, end: this.ends[t] as number };
  }

  private ident(t: number): Ident {
    return { kind: 'Ident', span: this.tokSpan(t), name: this.image(t) };
  }

  private string(t: number): StringLit {
    return { kind: 'String', span: this.tokSpan(t), value: stringValue(this.image(t)) };
  }

  private number(t: number): NumberLit {
    const text = this.image(t);
    return { kind: 'Number', span: this.tokSpan(t), value: Number(text), text };
  }

  decl(): Decl {
    switch (this.peek()) {
      case IDP:
        return this.idpDecl();
      case GROUP:
        return this.groupDecl();
      case EXTERN:
        return this.externGroup();
      case POLICY:
        return this.policyDecl();
      case APP:
        return this.appDecl();
      default:
        throw BAIL;
    }
  }

  private idpDecl(): IdpDecl {
    const kw = this.next();
    const name = this.ident(this.expect(IDENTIFIER));
    let end = name.span.end;
    let type: Ident | undefined;
    if (this.peek() === COLON) {
      this.next();
      type = this.ident(this.expect(IDENTIFIER));
      end = type.span.end;
    }
    const eq = this.expect(EQUALS);
    end = this.endOf(eq);
    let value: StringLit | IdLit;
    const k = this.peek();
    if (k === STRING) value = this.string(this.next());
    else if (k === ID) value = this.idLit();
    else throw BAIL;
    if (value.span.end > end) end = value.span.end;
    const d: IdpDecl = { kind: 'Idp', span: this.span(this.startOf(kw), end), name, value };
    if (type) d.type = type;
    return d;
  }

  private groupDecl(): GroupDecl {
    const kw = this.next();
    const name = this.string(this.expect(STRING));
    const eq = this.expect(EQUALS);
    const at = this.endOf(eq);
    const expr = this.expr();
    return { kind: 'Group', span: this.span(this.startOf(kw), Math.max(at, expr.span.end)), name, expr };
  }

  private externGroup(): ExternGroupDecl {
    const kw = this.next();
    this.expect(GROUP);
    const name = this.string(this.expect(STRING));
    return { kind: 'ExternGroup', span: this.span(this.startOf(kw), name.span.end), name };
  }

  private policyDecl(): PolicyDecl {
    const kw = this.next();
    const name = this.string(this.expect(STRING));
    const decision = this.decision();
    const ifTok = this.expect(IF);
    const at = this.endOf(ifTok);
    const expr = this.expr();
    const settings = this.peek() === LCURLY ? this.settingsBlock() : undefined;
    const end = Math.max(at, expr.span.end, settings?.span.end ?? 0);
    const d: PolicyDecl = { kind: 'Policy', span: this.span(this.startOf(kw), end), name, decision, expr };
    if (settings) d.settings = settings;
    return d;
  }

  /** A decision keyword; a name in its place (a misspelt decision) is for chevrotain and the builder to report. */
  private decision(): DecisionKw {
    if (!DECISION.has(this.peek())) throw BAIL;
    const t = this.next();
    return { kind: 'Decision', span: this.tokSpan(t), keyword: this.image(t) };
  }

  private appDecl(): AppDecl {
    const kw = this.next();
    const name = this.string(this.expect(STRING));
    this.expect(LCURLY);
    const stack = this.stack;
    const base = stack.length;
    for (;;) {
      const k = this.peek();
      if (DECISION.has(k)) stack.push(this.inlinePolicy());
      else if (k === USE) stack.push(this.usePolicy());
      else if (k === IDENTIFIER) {
        // `name "…" if`: chevrotain reads a policy with a misspelt decision, which the builder reports.
        if (this.peekAt(1) === STRING && this.peekAt(2) === IF) throw BAIL;
        stack.push(this.setting());
      } else break;
      const sep = this.peek();
      if (sep === SEMICOLON || sep === COMMA) this.pos++;
    }
    const close = this.expect(RCURLY);
    const items = stack.splice(base) as AppItem[];
    return {
      kind: 'App',
      span: this.span(this.startOf(kw), this.endOf(close)),
      name,
      items,
    };
  }

  private inlinePolicy(): InlinePolicy {
    const decision = this.decision();
    const name = this.string(this.expect(STRING));
    const ifTok = this.expect(IF);
    const at = this.endOf(ifTok);
    const expr = this.expr();
    let end = Math.max(at, expr.span.end);
    let precedence: NumberLit | undefined;
    if (this.peek() === PRECEDENCE) {
      this.next();
      precedence = this.number(this.expect(NUMBER));
      end = precedence.span.end;
    }
    let settings: SettingsBlock | undefined;
    if (this.peek() === LCURLY) {
      settings = this.settingsBlock();
      end = settings.span.end;
    }
    const p: InlinePolicy = {
      kind: 'InlinePolicy',
      span: this.span(decision.span.start, end),
      decision,
      name,
      expr,
    };
    if (precedence) p.precedence = precedence;
    if (settings) p.settings = settings;
    return p;
  }

  private usePolicy(): UsePolicy {
    const kw = this.next();
    const ext = this.peek() === EXTERN;
    if (ext) this.next();
    const name = this.peek() === ID ? this.idLit() : this.string(this.expect(STRING));
    const u: UsePolicy = { kind: 'Use', span: this.span(this.startOf(kw), name.span.end), name };
    if (ext) u.extern = true;
    if (this.peek() === PRECEDENCE) {
      this.next();
      u.precedence = this.number(this.expect(NUMBER));
      u.span = this.span(this.startOf(kw), u.precedence.span.end);
    }
    return u;
  }

  private settingsBlock(): SettingsBlock {
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

  private setting(): Setting {
    const key = this.ident(this.expect(IDENTIFIER));
    const value = this.value();
    return {
      kind: 'Setting',
      span: this.span(key.span.start, Math.max(key.span.end, value.span.end)),
      key,
      value,
    };
  }

  private value(): Value {
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

  private list(): ListValue {
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

  private idLit(): IdLit {
    const kw = this.next();
    this.expect(LPAREN);
    const value = stringValue(this.image(this.expect(STRING)));
    const close = this.expect(RPAREN);
    return { kind: 'Id', span: this.span(this.startOf(kw), this.endOf(close)), value };
  }

  private expr(): Expr {
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
  private andExpr(): Expr {
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

  private primary(): Expr {
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

  private arg(): Arg {
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

const fast = new FastParser();

/**
 * The AST of the declaration made of tokens `start` to `end` (excluded) of a stream when it is free of syntax errors and of builder diagnostics,
 * else `undefined` (the caller then parses it with chevrotain, which reports and recovers).
 */
export function fastDecl(stream: TokenStream, start: number, end: number, file: string): Decl | undefined {
  fast.text = stream.text;
  fast.kinds = stream.kinds;
  fast.starts = stream.starts;
  fast.ends = stream.ends;
  fast.pos = start;
  fast.end = end;
  fast.file = file;
  fast.stack.length = 0;
  try {
    const decl = fast.decl();
    return fast.pos === end ? decl : undefined;
  } catch (e) {
    // A stack overflow (deep nesting with a deep caller) is chevrotain's to handle, as before.
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  } finally {
    fast.text = '';
  }
}
