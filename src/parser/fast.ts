import type { Span } from '../diagnostics/diagnostic.js';
import type { TokenStream } from '../lexer/scan.js';
import type {
  AppDecl,
  AppItem,
  DecisionKw,
  Decl,
  Expr,
  ExternGroupDecl,
  GroupDecl,
  Ident,
  IdLit,
  IdpDecl,
  InlinePolicy,
  ListDecl,
  NumberLit,
  PolicyDecl,
  SettingsBlock,
  StringLit,
  UsePolicy,
  ZoneClause,
} from './ast.js';
import {
  APP,
  BAIL,
  COLON,
  COMMA,
  DECISION,
  EQUALS,
  EXTERN,
  FastReader,
  GROUP,
  ID,
  IDENTIFIER,
  IDP,
  IF,
  IN,
  LCURLY,
  LIST,
  NUMBER,
  POLICY,
  PRECEDENCE,
  RCURLY,
  SEMICOLON,
  STRING,
  USE,
} from './fast-reader.js';

export { isClosed, stringValue } from './fast-reader.js';

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

class FastParser extends FastReader {
  decl(): Decl {
    switch (this.peek()) {
      case IDP:
        return this.idpDecl();
      case GROUP:
        return this.groupDecl();
      case EXTERN:
        return this.externGroup();
      case LIST:
        return this.listDecl();
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
    if (this.peekAt(2) !== IN) return this.namedExpr('Group');
    const kw = this.next();
    const name = this.string(this.expect(STRING));
    const open = this.next();
    const keyword = this.ident(this.expect(IDENTIFIER));
    const value: StringLit | IdLit = this.peek() === ID ? this.idLit() : this.string(this.expect(STRING));
    const zone: ZoneClause = {
      kind: 'Zone',
      span: this.span(this.startOf(open), value.span.end),
      keyword,
      value,
    };
    const eq = this.expect(EQUALS);
    const at = this.endOf(eq);
    const expr = this.expr();
    return {
      kind: 'Group',
      span: this.span(this.startOf(kw), Math.max(at, expr.span.end)),
      name,
      zone,
      expr,
    };
  }

  /** `KEYWORD "Name" = EXPR`: a group or a list. */
  private namedExpr<K extends 'Group' | 'List'>(
    kind: K,
  ): { kind: K; span: Span; name: StringLit; expr: Expr } {
    const kw = this.next();
    const name = this.string(this.expect(STRING));
    const eq = this.expect(EQUALS);
    const at = this.endOf(eq);
    const expr = this.expr();
    return { kind, span: this.span(this.startOf(kw), Math.max(at, expr.span.end)), name, expr };
  }

  private externGroup(): ExternGroupDecl {
    const kw = this.next();
    this.expect(GROUP);
    const name = this.string(this.expect(STRING));
    return { kind: 'ExternGroup', span: this.span(this.startOf(kw), name.span.end), name };
  }

  private listDecl(): ListDecl {
    return this.namedExpr('List');
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
    // Nothing of the stream is kept past the call: a large file's token arrays are freed with the stream.
    fast.text = '';
    fast.kinds = NO_KINDS;
    fast.starts = NO_OFFSETS;
    fast.ends = NO_OFFSETS;
  }
}

const NO_KINDS = new Uint8Array(0);
const NO_OFFSETS = new Int32Array(0);
