import type { CstNode, IToken } from 'chevrotain';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { tokenEnd } from '../lexer/lexer.js';
import { decodeString } from '../lexer/strings.js';
import { DECISION_KEYWORDS } from '../model/decision.js';
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
  ListDecl,
  ListValue,
  NumberLit,
  PolicyDecl,
  SelectorExpr,
  Setting,
  SettingsBlock,
  StringLit,
  UsePolicy,
  Value,
  ZoneClause,
} from './ast.js';
import { isClosed } from './fast.js';
import { getParser } from './parser.js';

type Child = CstNode | IToken;
type Ctx = Record<string, Child[] | undefined>;

/** A token that was really in the input (not inserted by error recovery). */
function real(child: Child | undefined): IToken | undefined {
  const t = child as IToken | undefined;
  return t !== undefined && t.isInsertedInRecovery !== true && t.image !== undefined ? t : undefined;
}

function tok(ctx: Ctx, name: string, i = 0): IToken | undefined {
  return real(ctx[name]?.[i]);
}

function node(ctx: Ctx, name: string, i = 0): CstNode | undefined {
  return ctx[name]?.[i] as CstNode | undefined;
}

const DECISION_WORDS = Object.keys(DECISION_KEYWORDS);

/** What `parseFile` needs of the builder. */
interface Builder {
  file: string;
  diagnostics: Diagnostic[];
  visit(cst: CstNode): unknown;
}

/**
 * Creates the builder: it turns the CST of one declaration into AST nodes. Parts lost to a parse error become placeholders (an `Ident` or
 * `String` with an empty name/value and an empty span where the part was expected; a missing condition is a bare
 * selector with an empty name), so the tree keeps its shape and the rest of the file is still analysed.
 */
function createBuilder(): Builder {
  // A class in a function: chevrotain's visitor base exists only once the parser is built (on first use).
  class AstBuilder extends getParser().getBaseCstVisitorConstructor<unknown, unknown>() {
    file = '';
    diagnostics: Diagnostic[] = [];

    constructor() {
      super();
      this.validateVisitor();
    }

    private span(start: number, end: number): Span {
      return { file: this.file, start, end: Math.max(start, end) };
    }

    private tokSpan(t: IToken): Span {
      return { file: this.file, start: t.startOffset, end: tokenEnd(t) };
    }

    private ident(t: IToken | undefined, at: number): Ident {
      return t
        ? { kind: 'Ident', span: this.tokSpan(t), name: t.image }
        : { kind: 'Ident', span: this.span(at, at), name: '' };
    }

    private string(t: IToken | undefined, at: number): StringLit {
      if (!t) return { kind: 'String', span: this.span(at, at), value: '' };
      const image = t.image;
      const terminated = image.length >= 2 && image.charCodeAt(image.length - 1) === 0x22 && isClosed(image);
      return { kind: 'String', span: this.tokSpan(t), value: decodeString(image, terminated) };
    }

    private number(t: IToken): NumberLit {
      return { kind: 'Number', span: this.tokSpan(t), value: Number(t.image), text: t.image };
    }

    private missingExpr(at: number): SelectorExpr {
      return { kind: 'Selector', span: this.span(at, at), name: this.ident(undefined, at), form: 'bare' };
    }

    private sub<T>(n: CstNode | undefined): T | undefined {
      return n ? (this.visit(n) as T | undefined) : undefined;
    }

    decl(ctx: Ctx): Decl | undefined {
      const n =
        node(ctx, 'policyDecl') ??
        node(ctx, 'appDecl') ??
        node(ctx, 'groupDecl') ??
        node(ctx, 'idpDecl') ??
        node(ctx, 'externGroup') ??
        node(ctx, 'listDecl');
      return this.sub<Decl>(n);
    }

    idpDecl(ctx: Ctx): IdpDecl {
      const kw = tok(ctx, 'Idp') as IToken;
      const nameTok = tok(ctx, 'name');
      const name = this.ident(nameTok, tokenEnd(kw));
      let end = name.span.end;
      const typeTok = tok(ctx, 'type');
      const colon = tok(ctx, 'Colon');
      if (colon) end = tokenEnd(colon);
      const type = typeTok ? this.ident(typeTok, end) : colon ? this.ident(undefined, end) : undefined;
      if (type) end = type.span.end;
      const eq = tok(ctx, 'Equals');
      if (eq) end = tokenEnd(eq);
      const id = this.sub<IdLit>(node(ctx, 'idLit'));
      const value: StringLit | IdLit = id ?? this.string(tok(ctx, 'StringLiteral'), end);
      if (value.span.end > end) end = value.span.end;
      const d: IdpDecl = { kind: 'Idp', span: this.span(kw.startOffset, end), name, value };
      if (type) d.type = type;
      return d;
    }

    groupDecl(ctx: Ctx): GroupDecl {
      const decl: GroupDecl = this.namedExpr(ctx, 'Group');
      const open = tok(ctx, 'zoneIn');
      if (!open) return decl;
      const keyword = this.ident(tok(ctx, 'zoneKeyword'), tokenEnd(open));
      const value: StringLit | IdLit =
        this.sub<IdLit>(node(ctx, 'idLit')) ?? this.string(tok(ctx, 'zoneName'), keyword.span.end);
      const zone: ZoneClause = {
        kind: 'Zone',
        span: this.span(open.startOffset, Math.max(keyword.span.end, value.span.end)),
        keyword,
        value,
      };
      return { kind: 'Group', span: decl.span, name: decl.name, zone, expr: decl.expr };
    }

    /** `KEYWORD "Name" = EXPR`: a group or a list (the keyword token has the kind's name). */
    private namedExpr<K extends 'Group' | 'List'>(
      ctx: Ctx,
      kind: K,
    ): { kind: K; span: Span; name: StringLit; expr: Expr } {
      const kw = tok(ctx, kind) as IToken;
      const name = this.string(tok(ctx, 'StringLiteral'), tokenEnd(kw));
      const eq = tok(ctx, 'Equals');
      const at = eq ? tokenEnd(eq) : name.span.end;
      const expr = this.sub<Expr>(node(ctx, 'expr')) ?? this.missingExpr(at);
      return { kind, span: this.span(kw.startOffset, Math.max(at, expr.span.end)), name, expr };
    }

    externGroup(ctx: Ctx): ExternGroupDecl {
      const kw = tok(ctx, 'Extern') as IToken;
      const group = tok(ctx, 'Group');
      const name = this.string(tok(ctx, 'StringLiteral'), group ? tokenEnd(group) : tokenEnd(kw));
      return { kind: 'ExternGroup', span: this.span(kw.startOffset, name.span.end), name };
    }

    listDecl(ctx: Ctx): ListDecl {
      return this.namedExpr(ctx, 'List');
    }

    policyDecl(ctx: Ctx): PolicyDecl {
      const kw = tok(ctx, 'Policy') as IToken;
      const name = this.string(tok(ctx, 'StringLiteral'), tokenEnd(kw));
      const decision = this.decision(ctx, name.span.end);
      const ifTok = tok(ctx, 'If');
      const at = ifTok ? tokenEnd(ifTok) : decision.span.end;
      const expr = this.sub<Expr>(node(ctx, 'expr')) ?? this.missingExpr(at);
      const settings = this.sub<SettingsBlock>(node(ctx, 'settingsBlock'));
      const end = Math.max(at, expr.span.end, settings?.span.end ?? 0);
      const d: PolicyDecl = { kind: 'Policy', span: this.span(kw.startOffset, end), name, decision, expr };
      if (settings) d.settings = settings;
      return d;
    }

    appDecl(ctx: Ctx): AppDecl {
      const kw = tok(ctx, 'App') as IToken;
      const name = this.string(tok(ctx, 'StringLiteral'), tokenEnd(kw));
      let end = name.span.end;
      const open = tok(ctx, 'LCurly');
      if (open) end = tokenEnd(open);
      const items: AppItem[] = [];
      for (const key of ['inlinePolicy', 'usePolicy', 'setting']) {
        for (const child of ctx[key] ?? []) {
          const item = this.visit(child as CstNode) as AppItem | undefined;
          if (item) {
            items.push(item);
            end = Math.max(end, item.span.end);
          }
        }
      }
      // The CST groups items by kind; the app keeps them in source order.
      items.sort((a, b) => a.span.start - b.span.start);
      const close = tok(ctx, 'RCurly');
      if (close) end = tokenEnd(close);
      return { kind: 'App', span: this.span(kw.startOffset, end), name, items };
    }

    inlinePolicy(ctx: Ctx): InlinePolicy {
      const decision = this.decision(ctx, 0);
      const name = this.string(tok(ctx, 'StringLiteral'), decision.span.end);
      const ifTok = tok(ctx, 'If');
      const at = ifTok ? tokenEnd(ifTok) : name.span.end;
      const expr = this.sub<Expr>(node(ctx, 'expr')) ?? this.missingExpr(at);
      let end = Math.max(at, expr.span.end);
      const precTok = tok(ctx, 'Precedence');
      const numTok = tok(ctx, 'NumberLiteral');
      const precedence = numTok ? this.number(numTok) : undefined;
      if (precTok) end = Math.max(end, tokenEnd(precTok));
      if (precedence) end = precedence.span.end;
      const settings = this.sub<SettingsBlock>(node(ctx, 'settingsBlock'));
      if (settings) end = settings.span.end;
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

    usePolicy(ctx: Ctx): UsePolicy {
      const kw = tok(ctx, 'Use') as IToken;
      const ext = tok(ctx, 'Extern');
      const id = this.sub<IdLit>(node(ctx, 'idLit'));
      const name: StringLit | IdLit = id ?? this.string(tok(ctx, 'StringLiteral'), tokenEnd(ext ?? kw));
      let end = name.span.end;
      const precTok = tok(ctx, 'Precedence');
      if (precTok) end = tokenEnd(precTok);
      const numTok = tok(ctx, 'NumberLiteral');
      const u: UsePolicy = { kind: 'Use', span: this.span(kw.startOffset, end), name };
      if (ext) u.extern = true;
      if (numTok) {
        u.precedence = this.number(numTok);
        u.span = this.span(kw.startOffset, u.precedence.span.end);
      }
      return u;
    }

    /** The decision of a policy: a keyword, or a name that is reported as a misspelt decision (ACL0205). */
    private decision(ctx: Ctx, at: number): DecisionKw {
      const kw = tok(ctx, 'DecisionKeyword');
      if (kw) return { kind: 'Decision', span: this.tokSpan(kw), keyword: kw.image };
      const id = tok(ctx, 'Identifier');
      if (!id) return { kind: 'Decision', span: this.span(at, at), keyword: '' };
      const span = this.tokSpan(id);
      const fallback = 'use `allow`, `deny` (or `block`), `bypass` or `service_auth` (or `non_identity`)';
      this.diagnostics.push(
        diagnostic(
          'ACL0205',
          span,
          { found: id.image },
          { help: didYouMean(id.image, DECISION_WORDS, fallback) },
        ),
      );
      return { kind: 'Decision', span, keyword: id.image };
    }

    settingsBlock(ctx: Ctx): SettingsBlock {
      const open = tok(ctx, 'LCurly');
      const settings: Setting[] = [];
      let start = open ? open.startOffset : -1;
      let end = open ? tokenEnd(open) : 0;
      for (const child of ctx.setting ?? []) {
        const s = this.visit(child as CstNode) as Setting | undefined;
        if (s) {
          settings.push(s);
          if (start < 0) start = s.span.start;
          end = Math.max(end, s.span.end);
        }
      }
      const close = tok(ctx, 'RCurly');
      if (close) end = tokenEnd(close);
      if (start < 0) start = end;
      return { kind: 'Settings', span: this.span(start, end), settings };
    }

    setting(ctx: Ctx): Setting | undefined {
      const keyTok = tok(ctx, 'Identifier');
      if (!keyTok) return undefined;
      const key = this.ident(keyTok, 0);
      const value = this.sub<Value>(node(ctx, 'value')) ?? this.ident(undefined, key.span.end);
      return {
        kind: 'Setting',
        span: this.span(key.span.start, Math.max(key.span.end, value.span.end)),
        key,
        value,
      };
    }

    value(ctx: Ctx): Value | undefined {
      let t = tok(ctx, 'StringLiteral');
      if (t) return this.string(t, 0);
      t = tok(ctx, 'NumberLiteral');
      if (t) return this.number(t);
      t = tok(ctx, 'Duration');
      if (t) return { kind: 'Duration', span: this.tokSpan(t), text: t.image };
      t = tok(ctx, 'True') ?? tok(ctx, 'False');
      if (t) return { kind: 'Bool', span: this.tokSpan(t), value: t.image === 'true' };
      t = tok(ctx, 'Identifier');
      if (t) return this.ident(t, 0);
      return this.sub<Value>(node(ctx, 'idLit') ?? node(ctx, 'list') ?? node(ctx, 'settingsBlock'));
    }

    list(ctx: Ctx): ListValue {
      const open = tok(ctx, 'LBracket');
      const items: Value[] = [];
      let start = open ? open.startOffset : -1;
      let end = open ? tokenEnd(open) : 0;
      for (const child of ctx.value ?? []) {
        const v = this.visit(child as CstNode) as Value | undefined;
        if (v) {
          items.push(v);
          if (start < 0) start = v.span.start;
          end = Math.max(end, v.span.end);
        }
      }
      const close = tok(ctx, 'RBracket');
      if (close) end = tokenEnd(close);
      if (start < 0) start = end;
      return { kind: 'List', span: this.span(start, end), items };
    }

    expr(ctx: Ctx): Expr | undefined {
      const children = ctx.andExpr;
      if (!children) return undefined;
      if (children.length === 1) return this.visit(children[0] as CstNode) as Expr | undefined;
      const operands: Expr[] = [];
      for (const child of children) {
        const e = this.visit(child as CstNode) as Expr | undefined;
        if (e) operands.push(e);
      }
      return this.flat('Or', operands);
    }

    /** `not* primary (and not* primary)*`; the `not`s are given back to their operands by offset. */
    andExpr(ctx: Ctx): Expr | undefined {
      const primaries = ctx.primary ?? [];
      const nots = ctx.Not;
      if (!nots && primaries.length === 1) return this.visit(primaries[0] as CstNode) as Expr | undefined;
      const built: (Expr | undefined)[] = primaries.map((p) => this.visit(p as CstNode) as Expr | undefined);
      const operands: Expr[] = [];
      let n = 0;
      for (let k = 0; k < built.length || (nots !== undefined && n < nots.length); k++) {
        let e = built[k];
        // This operand's `not`s are those before its start (or, for a lost operand, before the next one's start).
        let limit = Number.POSITIVE_INFINITY;
        for (let m = k; m < built.length; m++) {
          const b = built[m];
          if (b) {
            limit = b.span.start;
            break;
          }
        }
        const first = n;
        while (nots !== undefined && n < nots.length && (nots[n] as IToken).startOffset < limit) n++;
        // Built from the inside out, iteratively: a chain of `not`s never costs stack.
        for (let i = n - 1; i >= first; i--) {
          const t = real(nots?.[i]);
          if (!t) continue;
          const operand: Expr = e ?? this.missingExpr(tokenEnd(t));
          e = { kind: 'Not', span: this.span(t.startOffset, operand.span.end), operand };
        }
        if (e) operands.push(e);
      }
      return this.flat('And', operands);
    }

    private flat(kind: 'Or' | 'And', operands: Expr[]): Expr | undefined {
      if (operands.length <= 1) return operands[0];
      const first = operands[0] as Expr;
      const last = operands[operands.length - 1] as Expr;
      return { kind, span: this.span(first.span.start, last.span.end), operands };
    }

    /** `( expr )` or a selector. */
    primary(ctx: Ctx): Expr | undefined {
      const open = tok(ctx, 'open');
      if (open) {
        const inner = this.sub<Expr>(node(ctx, 'expr')) ?? this.missingExpr(tokenEnd(open));
        const close = tok(ctx, 'close');
        return {
          kind: 'Paren',
          span: this.span(open.startOffset, close ? tokenEnd(close) : inner.span.end),
          expr: inner,
        };
      }
      const nameTok = tok(ctx, 'name');
      if (!nameTok) return undefined;
      const name = this.ident(nameTok, 0);
      const inTok = tok(ctx, 'In');
      const callOpen = tok(ctx, 'callOpen');
      if (!inTok && !callOpen) return { kind: 'Selector', span: name.span, name, form: 'bare' };
      const args = this.args(ctx);
      let end = Math.max(name.span.end, inTok ? tokenEnd(inTok) : 0, callOpen ? tokenEnd(callOpen) : 0);
      if (args.length > 0) end = Math.max(end, (args[args.length - 1] as Arg).span.end);
      const close = tok(ctx, 'callClose');
      if (close) end = tokenEnd(close);
      return {
        kind: 'Selector',
        span: this.span(name.span.start, end),
        name,
        args,
        form: inTok ? 'in' : 'call',
      };
    }

    /** The arguments of a selector, in source order (the CST groups them by token type). */
    private args(ctx: Ctx): Arg[] {
      const out: Arg[] = [];
      for (const c of ctx.StringLiteral ?? []) {
        const t = real(c);
        if (t) out.push(this.string(t, 0));
      }
      for (const c of ctx.Identifier ?? []) {
        const t = real(c);
        if (t) out.push(this.ident(t, 0));
      }
      for (const c of ctx.NumberLiteral ?? []) {
        const t = real(c);
        if (t) out.push(this.number(t));
      }
      for (const c of ctx.idLit ?? []) {
        const id = this.visit(c as CstNode) as IdLit | undefined;
        if (id) out.push(id);
      }
      if (out.length > 1) out.sort((a, b) => a.span.start - b.span.start);
      return out;
    }

    idLit(ctx: Ctx): IdLit | undefined {
      const kw = tok(ctx, 'Id');
      if (!kw) return undefined;
      const str = tok(ctx, 'StringLiteral');
      const value = str ? this.string(str, 0).value : '';
      let end = tokenEnd(kw);
      const open = tok(ctx, 'LParen');
      if (open) end = tokenEnd(open);
      if (str) end = tokenEnd(str);
      const close = tok(ctx, 'RParen');
      if (close) end = tokenEnd(close);
      return { kind: 'Id', span: this.span(kw.startOffset, end), value };
    }
  }
  return new AstBuilder();
}

let builder: Builder | undefined;

/** Build the AST of one declaration's CST; diagnostics found on the way (misspelt decisions) go to `diagnostics`. */
export function buildDecl(cst: CstNode, file: string, diagnostics: Diagnostic[]): Decl | undefined {
  builder ??= createBuilder();
  builder.file = file;
  builder.diagnostics = diagnostics;
  return builder.visit(cst) as Decl | undefined;
}
