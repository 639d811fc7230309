import type { IToken } from 'chevrotain';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Result, Span } from '../diagnostics/diagnostic.js';
import { hasLineBreak } from '../diagnostics/lines.js';
import type { SourceFile } from '../diagnostics/source.js';
import { lex, visible } from '../lexer/lexer.js';
import { decodeString } from '../lexer/strings.js';
import type { Arg, Expr, Ident, SelectorExpr, StringLit } from '../parser/ast.js';
import type {
  ExampleTest,
  Expectation,
  IdentityBlock,
  IdentityField,
  InvariantBody,
  InvariantDecl,
  OutcomeWord,
  Target,
  TestFileAst,
  TestItem,
} from './ast.js';

/** The outcome words `expect` and the invariants accept. */
export const OUTCOME_WORDS: ReadonlySet<string> = new Set([
  'allow',
  'deny',
  'block',
  'bypass',
  'service_auth',
  'non_identity',
  'no-match',
  'denied',
]);
const DECISION_WORDS = new Set(['allow', 'deny', 'block', 'bypass', 'service_auth', 'non_identity']);

/** Conditions nest at most this deep (as in `.acl` files), so a hostile file cannot overflow the stack. */
const MAX_NESTING = 256;

class SyntaxError_ extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * A hand-written recursive-descent parser for `.acltest` files over the `.acl` lexer's tokens. On a syntax error it
 * reports one diagnostic and skips to the next statement, so one run reports every broken statement. Never throws.
 */
class TestParser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: IToken[],
    private readonly file: SourceFile,
  ) {}

  private get path(): string {
    return this.file.path;
  }

  private peek(k = 0): IToken | undefined {
    return this.tokens[this.i + k];
  }

  private span(start: number, end: number): Span {
    return { file: this.path, start, end };
  }

  private tokSpan(t: IToken): Span {
    return this.span(t.startOffset, t.startOffset + t.image.length);
  }

  private lastEnd(): number {
    const t = this.tokens[this.i - 1];
    return t ? t.startOffset + t.image.length : 0;
  }

  private fail(expected: string): never {
    const t = this.peek();
    const found = t ? `\`${visible(t.image)}\`` : 'the end of the file';
    const at = t ? this.tokSpan(t) : this.span(this.file.text.length, this.file.text.length);
    throw new SyntaxError_(diagnostic('ACL0950', at, { expected, found }));
  }

  private isWord(word: string, k = 0): boolean {
    return this.peek(k)?.image === word && /^[a-z_-]+$/.test(word);
  }

  private word(word: string): IToken {
    if (!this.isWord(word)) this.fail(`\`${word}\``);
    return this.tokens[this.i++] as IToken;
  }

  private punct(p: string): IToken {
    if (this.peek()?.image !== p) this.fail(`\`${p}\``);
    return this.tokens[this.i++] as IToken;
  }

  private isString(): boolean {
    return this.peek()?.tokenType.name === 'StringLiteral';
  }

  private string(what = 'a string'): StringLit {
    const t = this.peek();
    if (t?.tokenType.name !== 'StringLiteral') return this.fail(what);
    this.i++;
    return { kind: 'String', span: this.tokSpan(t), value: decodeString(t.image) };
  }

  private isName(k = 0): boolean {
    const t = this.peek(k);
    return (
      t !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(t.image) && t.tokenType.name !== 'StringLiteral'
    );
  }

  private name(what = 'a name'): Ident {
    const t = this.peek();
    if (!t || !this.isName()) this.fail(what);
    this.i++;
    return { kind: 'Ident', span: this.tokSpan(t), name: t.image };
  }

  parse(): Result<TestFileAst> {
    const items: TestItem[] = [];
    const diagnostics: Diagnostic[] = [];
    while (this.i < this.tokens.length) {
      const start = this.i;
      try {
        items.push(this.item());
      } catch (e) {
        if (!(e instanceof SyntaxError_)) throw e;
        diagnostics.push(e.diagnostic);
        this.recover(start);
      }
    }
    return {
      value: { kind: 'TestFile', span: this.span(0, this.file.text.length), items, comments: [] },
      diagnostics,
    };
  }

  /** Skip to the next token that starts a statement at the outermost level. */
  private recover(start: number): void {
    if (this.i === start) this.i++;
    let depth = 0;
    for (let k = start; k < this.i; k++) {
      const img = (this.tokens[k] as IToken).image;
      if (img === '{') depth++;
      else if (img === '}') depth--;
    }
    while (this.i < this.tokens.length) {
      const img = (this.peek() as IToken).image;
      if (depth <= 0 && this.startsLine() && this.startsItem()) return;
      if (img === '{') depth++;
      else if (img === '}') {
        depth--;
        if (depth <= 0) {
          this.i++;
          return;
        }
      }
      this.i++;
    }
  }

  /** Whether the token at the cursor is the first on its line. */
  private startsLine(): boolean {
    const t = this.peek();
    const prev = this.tokens[this.i - 1];
    if (!t || !prev) return true;
    return hasLineBreak(this.file.text.slice(prev.startOffset + prev.image.length, t.startOffset));
  }

  private startsItem(): boolean {
    return (
      this.isWord('test') ||
      this.isWord('never') ||
      this.isWord('always') ||
      (this.isWord('app') && this.peek(1)?.tokenType.name === 'StringLiteral') ||
      (this.isWord('no') && this.isWord('app', 1)) ||
      this.isWord('every')
    );
  }

  private item(): TestItem {
    if (this.isWord('test')) return this.test();
    return this.invariant();
  }

  private test(): ExampleTest {
    const start = this.word('test').startOffset;
    const name = this.string('the test’s name (a string)');
    this.punct('{');
    let identity: IdentityBlock | undefined;
    const expects: Expectation[] = [];
    while (this.peek()?.image !== '}') {
      if (this.isWord('identity') && !identity) identity = this.identity();
      else if (this.isWord('expect')) expects.push(this.expect());
      else this.fail(identity ? '`expect` or `}`' : '`identity`, `expect` or `}`');
    }
    this.punct('}');
    const test: ExampleTest = { kind: 'Test', span: this.span(start, this.lastEnd()), name, expects };
    if (identity) test.identity = identity;
    return test;
  }

  private identity(): IdentityBlock {
    const start = this.word('identity').startOffset;
    this.punct('{');
    const fields: IdentityField[] = [];
    while (this.peek()?.image !== '}') {
      const key = this.name('an identity attribute (such as `email`) or `}`');
      const values: (StringLit | Ident)[] = [];
      const value = (): void => {
        if (this.isString()) values.push(this.string());
        else if (this.isName()) values.push(this.name());
        else this.fail('a value (a string)');
      };
      // Flags (`certificate`, `account_member`) take no value; every other attribute takes one or more.
      if (!FLAG_KEYS.has(key.name)) {
        value();
        while (this.peek()?.image === ',') {
          this.i++;
          value();
        }
      }
      fields.push({ kind: 'Field', span: this.span(key.span.start, this.lastEnd()), key, values });
    }
    this.punct('}');
    return { kind: 'Identity', span: this.span(start, this.lastEnd()), fields };
  }

  private expect(): Expectation {
    const start = this.word('expect').startOffset;
    this.word('app');
    const app = this.string('the app’s name (a string)');
    const outcome = this.outcome(false);
    const e: Expectation = { kind: 'Expect', span: this.span(start, this.lastEnd()), app, outcome };
    if (this.isWord('by')) {
      this.i++;
      e.by = this.string('the deciding policy’s name (a string)');
      e.span = this.span(start, this.lastEnd());
    }
    return e;
  }

  private outcome(decisionOnly: boolean): OutcomeWord {
    const t = this.peek();
    const words = decisionOnly ? DECISION_WORDS : OUTCOME_WORDS;
    if (!t || !words.has(t.image))
      this.fail(
        decisionOnly
          ? 'a decision (`allow`, `deny`, `bypass` or `service_auth`)'
          : 'an outcome (`allow`, `deny`, `bypass`, `service_auth`, `no-match` or `denied`)',
      );
    this.i++;
    return { kind: 'Outcome', span: this.tokSpan(t), word: t.image };
  }

  private target(): Target {
    const t = this.peek();
    if (this.isWord('app')) {
      const start = this.word('app').startOffset;
      const app = this.string('the app’s name (a string)');
      return { kind: 'App', span: this.span(start, this.lastEnd()), app };
    }
    if (this.isWord('every')) {
      const start = this.word('every').startOffset;
      this.word('app');
      return { kind: 'EveryApp', span: this.span(start, this.lastEnd()) };
    }
    if (this.isWord('apps')) {
      const start = this.word('apps').startOffset;
      this.word('tagged');
      const tag = this.isString() ? this.string() : this.name('a tag');
      return { kind: 'Tagged', span: this.span(start, this.lastEnd()), tag };
    }
    void t;
    return this.fail('`app "Name"`, `every app` or `apps tagged TAG`');
  }

  private invariant(): InvariantDecl {
    const first = this.peek();
    if (!first) this.fail('a test or an invariant');
    const start = first.startOffset;
    let body: InvariantBody;
    if (this.isWord('never') || this.isWord('always')) {
      const form = this.tokens[this.i++]?.image as 'never' | 'always';
      const decision = this.outcome(true);
      const cond = this.expr();
      this.word('on');
      body = { form, decision, cond, target: this.target() };
    } else if (this.isWord('app')) {
      this.i++;
      const app = this.string('the app’s name (a string)');
      this.word('allows');
      this.word('only');
      body = { form: 'only', app, cond: this.expr() };
    } else if (this.isWord('no')) {
      this.i++;
      for (const w of ['app', 'is', 'open', 'to', 'everyone']) this.word(w);
      body = { form: 'open' };
    } else if (this.isWord('every')) {
      this.i++;
      const decision = this.outcome(true);
      this.word('on');
      const target = this.target();
      this.word('requires');
      body = { form: 'requires', decision, target, cond: this.expr() };
    } else {
      return this.fail('`test`, `never`, `always`, `app`, `no app` or `every`');
    }
    return { kind: 'Invariant', span: this.span(start, this.lastEnd()), body };
  }

  // ── conditions: the `.acl` condition syntax (`or` < `and` < `not`, parentheses, selectors) ──
  private expr(): Expr {
    if (++this.depth > MAX_NESTING) this.fail('a shallower condition');
    try {
      const first = this.and();
      if (!this.isWord('or')) return first;
      const operands = [first];
      while (this.isWord('or')) {
        this.i++;
        operands.push(this.and());
      }
      return { kind: 'Or', span: this.span(first.span.start, this.lastEnd()), operands };
    } finally {
      this.depth--;
    }
  }

  private and(): Expr {
    const first = this.unary();
    if (!this.isWord('and')) return first;
    const operands = [first];
    while (this.isWord('and')) {
      this.i++;
      operands.push(this.unary());
    }
    return { kind: 'And', span: this.span(first.span.start, this.lastEnd()), operands };
  }

  private unary(): Expr {
    const t = this.peek();
    if (t && this.isWord('not')) {
      this.i++;
      if (++this.depth > MAX_NESTING) this.fail('a shallower condition');
      try {
        const operand = this.unary();
        return { kind: 'Not', span: this.span(t.startOffset, this.lastEnd()), operand };
      } finally {
        this.depth--;
      }
    }
    if (t?.image === '(') {
      this.i++;
      const expr = this.expr();
      this.punct(')');
      return { kind: 'Paren', span: this.span(t.startOffset, this.lastEnd()), expr };
    }
    return this.selector();
  }

  private selector(): SelectorExpr {
    if (this.isWord('on') || this.isWord('requires'))
      this.fail('a condition (a selector such as `email_domain("example.com")`)');
    const name = this.name('a condition (a selector such as `email_domain("example.com")`)');
    if (this.isWord('in')) {
      this.i++;
      const args = this.args();
      return { kind: 'Selector', span: this.span(name.span.start, this.lastEnd()), name, args, form: 'in' };
    }
    if (this.peek()?.image === '(') {
      const args = this.args();
      return { kind: 'Selector', span: this.span(name.span.start, this.lastEnd()), name, args, form: 'call' };
    }
    return { kind: 'Selector', span: name.span, name, form: 'bare' };
  }

  private args(): Arg[] {
    this.punct('(');
    const args: Arg[] = [];
    while (this.peek()?.image !== ')') {
      const t = this.peek();
      if (!t) this.fail('`)`');
      if (t.tokenType.name === 'StringLiteral') args.push(this.string());
      else if (t.tokenType.name === 'NumberLiteral') {
        this.i++;
        args.push({ kind: 'Number', span: this.tokSpan(t), value: Number(t.image), text: t.image });
      } else if (t.image === 'id' && this.peek(1)?.image === '(') {
        this.i += 2;
        const v = this.string();
        this.punct(')');
        args.push({ kind: 'Id', span: this.span(t.startOffset, this.lastEnd()), value: v.value });
      } else if (this.isName()) args.push(this.name());
      else this.fail('an argument (a string or a name)');
      if (this.peek()?.image === ',') this.i++;
      else if (this.peek()?.image !== ')') this.fail('`,` or `)`');
    }
    this.punct(')');
    return args;
  }
}

/** Identity attributes written without a value. */
export const FLAG_KEYS: ReadonlySet<string> = new Set(['certificate', 'account_member']);

/** Parse one `.acltest` file. Lexer diagnostics come first; comments are kept for the formatter. */
export function parseTestFile(file: SourceFile): Result<TestFileAst> {
  const lexed = lex(file);
  const parsed = new TestParser(lexed.tokens, file).parse();
  parsed.value.comments = lexed.comments;
  return { value: parsed.value, diagnostics: [...lexed.diagnostics, ...parsed.diagnostics] };
}
