import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType, tokenMatcher } from 'chevrotain';
import { visible } from '../lexer/lexer.js';
import {
  DecisionKeyword,
  Equals,
  Group,
  Identifier,
  In,
  LBracket,
  LCurly,
  LParen,
  NumberLiteral,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
} from '../lexer/tokens.js';

/** The parse-error codes of the catalog that the parser raises. */
export type ParseErrorCode = 'ACL0201' | 'ACL0202' | 'ACL0203' | 'ACL0204';

/** What the message provider decided about one parse error; carried through chevrotain as the error's message. */
export interface ParseErrorInfo {
  code: ParseErrorCode;
  args: Record<string, string>;
  /** Where the error is, when it is not at the exception's token: `[start, end)` offsets. */
  at?: [number, number];
}

/** Raised (through chevrotain) when one declaration has produced too many errors to be worth continuing. */
export class TooManyParseErrors extends Error {
  constructor() {
    super('too many parse errors');
    this.name = 'TooManyParseErrors';
  }
}

const OPENERS = new Map<TokenType, string>([
  [LParen, '('],
  [LBracket, '['],
  [LCurly, '{'],
]);
const CLOSERS = new Map<TokenType, string>([
  [RParen, ')'],
  [RBracket, ']'],
  [RCurly, '}'],
]);

/** The opener that a closing token type matches, e.g. `LParen` for `RParen`. */
export function openerOf(closer: TokenType): TokenType | undefined {
  return closer === RParen ? LParen : closer === RBracket ? LBracket : closer === RCurly ? LCurly : undefined;
}

function labelOf(type: TokenType): string {
  return type.LABEL ?? `\`${type.name}\``;
}

/** "`a`", "`a` or `b`", "`a`, `b` or `c`". */
function oneOf(labels: readonly string[]): string {
  if (labels.length <= 1) return labels[0] ?? 'something else';
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

function showImage(image: string): string {
  return `\`${visible(image, 32)}\``;
}

const EXPRESSION_RULES = new Set(['expr', 'andExpr', 'primary']);
const CALLERS = new Set([Identifier, Group, In]);

/**
 * Builds parse messages from the catalog's point of view: each message is a serialised `ParseErrorInfo`, which
 * `parseFile` turns into a catalog diagnostic (code, span, related). Chevrotain only carries the string.
 * It also enforces a budget of errors per declaration, so that error recovery on hostile input stays bounded.
 */
export class ParseMessages implements IParserErrorMessageProvider {
  /** The first token after the declaration being parsed: what "end of input" really is for a message. */
  next: IToken | undefined;
  /** The tokens of the declaration being parsed. */
  tokens: readonly IToken[] = [];
  private count = 0;

  constructor(private readonly budget: number) {}

  reset(tokens: readonly IToken[], next: IToken | undefined): void {
    this.tokens = tokens;
    this.next = next;
    this.count = 0;
  }

  /** How a token is named in "found …". */
  found(token: IToken): string {
    if (token.tokenType === EOF) return this.next ? showImage(this.next.image) : 'end of file';
    return showImage(token.image);
  }

  /** Whether the innermost `(` still open at `previous` is an argument list (`email(`, `country in (`). */
  private inCall(previous: IToken | undefined): boolean {
    if (!previous) return false;
    const tokens = this.tokens;
    let i = tokens.indexOf(previous);
    let depth = 0;
    for (; i >= 0; i--) {
      const t = (tokens[i] as IToken).tokenType;
      if (t === RParen) depth++;
      else if (t === LParen && depth-- === 0) return CALLERS.has(tokens[i - 1]?.tokenType as TokenType);
    }
    return false;
  }

  /** Whether `token` is a closer that matches a bracket opened before it (so the one expected is unclosed). */
  private closesEnclosing(token: IToken): boolean {
    const opener = openerOf(token.tokenType);
    if (!opener) return false;
    const tokens = this.tokens;
    const end = tokens.indexOf(token);
    let depth = 0;
    for (let i = end - 1; i >= 0; i--) {
      const t = (tokens[i] as IToken).tokenType;
      if (t === token.tokenType) depth++;
      else if (t === opener && depth-- === 0) return true;
    }
    return false;
  }

  private emit(code: ParseErrorCode, args: Record<string, string>, at?: [number, number]): string {
    if (++this.count > this.budget) throw new TooManyParseErrors();
    return JSON.stringify((at ? { code, args, at } : { code, args }) satisfies ParseErrorInfo);
  }

  buildMismatchTokenMessage(options: {
    expected: TokenType;
    actual: IToken;
    previous: IToken;
    ruleName: string;
  }): string {
    const { expected, actual, previous, ruleName } = options;
    const found = this.found(actual);
    const close = CLOSERS.get(expected);
    if (close !== undefined && (actual.tokenType === EOF || this.closesEnclosing(actual))) {
      const open = OPENERS.get(openerOf(expected) as TokenType) as string;
      return this.emit('ACL0203', { open, close, found });
    }
    let what = labelOf(expected);
    if (expected === RParen && ruleName === 'primary') {
      if (previous?.tokenType === LParen) what = 'an argument or `)`';
      else what = this.inCall(previous) ? '`,` or `)`' : '`and`, `or` or `)`';
    } else if (expected === RBracket)
      what = previous?.tokenType === LBracket ? 'a value or `]`' : '`,` or `]`';
    else if (expected === RCurly && ruleName === 'appDecl') what = 'a setting, a policy, `use` or `}`';
    else if (expected === RCurly && ruleName === 'settingsBlock') what = 'a setting or `}`';
    // After a group's name: `=`, or the zone it lives in (`group "X" zone "…"` is missing its `in`).
    else if (expected === Equals && ruleName === 'groupDecl' && previous?.tokenType === StringLiteral)
      what = '`in zone "…"` or `=`';
    return this.emit('ACL0201', { expected: what, found });
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    return this.emit('ACL0202', { found: this.found(options.firstRedundant) });
  }

  buildNoViableAltMessage(options: {
    expectedPathsPerAlt: TokenType[][][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const { ruleName } = options;
    const first = options.actual[0] as IToken;
    const found = this.found(first);
    const firsts = options.expectedPathsPerAlt.map((alt) => alt[0]?.[0]);
    const isArg = firsts.includes(StringLiteral) && firsts.includes(NumberLiteral);
    if (EXPRESSION_RULES.has(ruleName) && !isArg) return this.emit('ACL0204', { found });
    if (ruleName === 'value') return this.emit('ACL0201', { expected: 'a value', found });
    if (isArg) return this.emit('ACL0201', { expected: 'a string, a name, a number or `id("…")`', found });
    if (ruleName === 'policyDecl' || ruleName === 'inlinePolicy') {
      return this.emit('ACL0201', { expected: labelOf(DecisionKeyword), found });
    }
    if (ruleName === 'idpDecl') return this.emit('ACL0201', { expected: 'a string or `id("…")`', found });
    // Several tokens of lookahead (an app item): report at the first token that no alternative accepts.
    const actual = options.actual;
    let depth = 0;
    for (const alt of options.expectedPathsPerAlt) {
      for (const path of alt) {
        let d = 0;
        while (
          d < path.length &&
          d < actual.length &&
          tokenMatcher(actual[d] as IToken, path[d] as TokenType)
        )
          d++;
        if (d < path.length && d > depth) depth = d;
      }
    }
    const types: TokenType[] = [];
    for (const alt of options.expectedPathsPerAlt) {
      for (const path of alt) {
        let d = 0;
        while (d < depth && d < path.length && tokenMatcher(actual[d] as IToken, path[d] as TokenType)) d++;
        const t = path[depth];
        if (d === depth && t !== undefined && !types.includes(t)) types.push(t);
      }
    }
    const labels =
      types.includes(LBracket) && types.includes(LCurly) ? ['a value'] : [...new Set(types.map(labelOf))];
    const token = actual[depth] ?? first;
    const info: Record<string, string> = { expected: oneOf(labels), found: this.found(token) };
    if (depth === 0 || token.tokenType === EOF) return this.emit('ACL0201', info);
    return this.emit('ACL0201', info, [token.startOffset, token.startOffset + token.image.length]);
  }

  buildEarlyExitMessage(options: {
    expectedIterationPaths: TokenType[][];
    actual: IToken[];
    previous: IToken;
    customUserDescription?: string;
    ruleName: string;
  }): string {
    const labels: string[] = [];
    for (const path of options.expectedIterationPaths) {
      const t = path[0];
      if (t !== undefined && !labels.includes(labelOf(t))) labels.push(labelOf(t));
    }
    return this.emit('ACL0201', { expected: oneOf(labels), found: this.found(options.actual[0] as IToken) });
  }
}

/** Read back what `ParseMessages` encoded, or `undefined` for a message it did not build. */
export function decodeParseError(message: string): ParseErrorInfo | undefined {
  try {
    const info = JSON.parse(message) as ParseErrorInfo;
    return typeof info?.code === 'string' && typeof info.args === 'object' ? info : undefined;
  } catch {
    return undefined;
  }
}
