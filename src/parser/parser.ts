import { CstParser, EOF, type TokenType, tokenMatcher } from 'chevrotain';
import {
  ALL_TOKENS,
  And,
  App,
  Colon,
  Comma,
  DecisionKeyword,
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
  Not,
  NumberLiteral,
  Or,
  Policy,
  Precedence,
  RBracket,
  RCurly,
  RParen,
  Semicolon,
  StringLiteral,
  True,
  Use,
} from '../lexer/tokens.js';
import { ParseMessages } from './messages.js';

/** How far ahead error recovery looks for a token to re-synchronise on. */
export const RESYNC_WINDOW = 512;

/** Errors one declaration may raise before the parser gives up on it (bounds recovery work on hostile input). */
export const MAX_ERRORS_PER_DECL = 50;

/**
 * The grammar of one declaration (see `grammar/aclc.ebnf`). `parseFile` splits a file's tokens at declaration
 * keywords and runs `decl` on each piece, so an error never swallows the next declaration and recovery never
 * recurses once per top-level error. Chevrotain recovery (single-token insertion/deletion, re-sync) handles the
 * errors inside a declaration. One instance is created and reused.
 */
export class AclParser extends CstParser {
  readonly messages: ParseMessages;

  /**
   * `validate` runs chevrotain's checks of the grammar (ambiguities, left recursion, …) during self-analysis: the
   * tests do, the CLI skips them (they cost start-up time and cannot fail on a grammar the tests have passed).
   */
  constructor(messages: ParseMessages, validate = false) {
    super(ALL_TOKENS, {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: messages,
      skipValidations: !validate,
    });
    this.messages = messages;
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain's own version scans to the end of the input for a re-sync token on every error, which makes a long
   * declaration full of errors quadratic. Same search, bounded to `RESYNC_WINDOW` tokens; past it, the
   * declaration is abandoned (re-sync at its end). Pinned to chevrotain 11's recovery internals.
   */
  findReSyncTokenType(): TokenType {
    const follows = (this as unknown as { flattenFollowSet(): TokenType[] }).flattenFollowSet();
    for (let k = 1; k <= RESYNC_WINDOW; k++) {
      const token = this.LA(k);
      if (token.tokenType === EOF) return EOF;
      for (const f of follows) if (tokenMatcher(token, f)) return f;
    }
    return EOF;
  }

  readonly decl = this.RULE('decl', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.idpDecl) },
      { ALT: () => this.SUBRULE(this.groupDecl) },
      { ALT: () => this.SUBRULE(this.externGroup) },
      { ALT: () => this.SUBRULE(this.listDecl) },
      { ALT: () => this.SUBRULE(this.policyDecl) },
      { ALT: () => this.SUBRULE(this.appDecl) },
    ]);
  });

  readonly idpDecl = this.RULE('idpDecl', () => {
    this.CONSUME(Idp);
    this.CONSUME1(Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(Colon);
      this.CONSUME2(Identifier, { LABEL: 'type' });
    });
    this.CONSUME(Equals);
    this.OR([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.SUBRULE(this.idLit) }]);
  });

  readonly groupDecl = this.RULE('groupDecl', () => {
    this.CONSUME(Group);
    this.CONSUME(StringLiteral);
    // `in zone "example.com"` / `in zone id("…")`: the word after `in` is checked by the resolver.
    this.OPTION(() => {
      this.CONSUME(In, { LABEL: 'zoneIn' });
      this.CONSUME(Identifier, { LABEL: 'zoneKeyword' });
      this.OR([
        { ALT: () => this.CONSUME2(StringLiteral, { LABEL: 'zoneName' }) },
        { ALT: () => this.SUBRULE(this.idLit) },
      ]);
    });
    this.CONSUME(Equals);
    this.SUBRULE(this.expr);
  });

  readonly externGroup = this.RULE('externGroup', () => {
    this.CONSUME(Extern);
    this.CONSUME(Group);
    this.CONSUME(StringLiteral);
  });

  readonly listDecl = this.RULE('listDecl', () => {
    this.CONSUME(List);
    this.CONSUME(StringLiteral);
    this.CONSUME(Equals);
    this.SUBRULE(this.expr);
  });

  readonly policyDecl = this.RULE('policyDecl', () => {
    this.CONSUME(Policy);
    this.CONSUME(StringLiteral);
    this.decision();
    this.CONSUME(If);
    this.SUBRULE(this.expr);
    this.OPTION(() => this.SUBRULE(this.settingsBlock));
  });

  readonly appDecl = this.RULE('appDecl', () => {
    this.CONSUME(App);
    this.CONSUME(StringLiteral);
    this.CONSUME(LCurly);
    this.MANY(() => {
      // `inlinePolicy` comes first: `alow "p" if …` (a misspelt decision) and `domain "x"` (a setting) share the
      // prefix name + string, and only the third token (`if`) tells them apart.
      this.OR([
        { ALT: () => this.SUBRULE(this.inlinePolicy) },
        { ALT: () => this.SUBRULE(this.usePolicy) },
        { ALT: () => this.SUBRULE(this.setting) },
      ]);
      this.OPTION(() =>
        this.OR2([{ ALT: () => this.CONSUME(Semicolon) }, { ALT: () => this.CONSUME(Comma) }]),
      );
    });
    this.CONSUME(RCurly);
  });

  readonly inlinePolicy = this.RULE('inlinePolicy', () => {
    this.decision();
    this.CONSUME(StringLiteral);
    this.CONSUME(If);
    this.SUBRULE(this.expr);
    this.OPTION(() => {
      this.CONSUME(Precedence);
      this.CONSUME(NumberLiteral);
    });
    this.OPTION2(() => this.SUBRULE(this.settingsBlock));
  });

  readonly usePolicy = this.RULE('usePolicy', () => {
    this.CONSUME(Use);
    this.OPTION2(() => this.CONSUME(Extern));
    this.OR([{ ALT: () => this.CONSUME(StringLiteral) }, { ALT: () => this.SUBRULE(this.idLit) }]);
    this.OPTION(() => {
      this.CONSUME(Precedence);
      this.CONSUME(NumberLiteral);
    });
  });

  readonly settingsBlock = this.RULE('settingsBlock', () => {
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.SUBRULE(this.setting);
      this.OPTION(() =>
        this.OR([{ ALT: () => this.CONSUME(Semicolon) }, { ALT: () => this.CONSUME(Comma) }]),
      );
    });
    this.CONSUME(RCurly);
  });

  readonly setting = this.RULE('setting', () => {
    this.CONSUME(Identifier);
    this.SUBRULE(this.value);
  });

  readonly value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(Duration) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.SUBRULE(this.idLit) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.settingsBlock) },
    ]);
  });

  readonly list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.value);
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  // The expression rules are few and flat on purpose: each rule call costs more than the tokens it reads, so
  // `not`, the selector and its arguments live inside `andExpr` and `primary` (the AST builder restores the
  // structure from token offsets).
  readonly expr = this.RULE('expr', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  // INVARIANT: `not` is a repetition, never recursion, so `not not … x` costs no stack.
  readonly andExpr = this.RULE('andExpr', () => {
    this.MANY(() => this.CONSUME(Not));
    this.SUBRULE(this.primary);
    this.MANY2(() => {
      this.CONSUME(And);
      this.MANY3(() => this.CONSUME2(Not));
      this.SUBRULE2(this.primary);
    });
  });

  /** `( expr )`, or a selector: `name`, `name(args)`, `name in (args)`. */
  readonly primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen, { LABEL: 'open' });
          this.SUBRULE(this.expr);
          this.CONSUME(RParen, { LABEL: 'close' });
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(Identifier, { LABEL: 'name' }) },
            { ALT: () => this.CONSUME(Group, { LABEL: 'name' }) },
          ]);
          this.OPTION(() =>
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME2(LParen, { LABEL: 'callOpen' });
                  this.OPTION2(() => {
                    this.arg(4);
                    this.MANY(() => {
                      this.CONSUME(Comma);
                      this.arg(5);
                    });
                    this.OPTION3(() => this.CONSUME2(Comma));
                  });
                  this.CONSUME2(RParen, { LABEL: 'callClose' });
                },
              },
              {
                ALT: () => {
                  this.CONSUME(In);
                  this.CONSUME3(LParen, { LABEL: 'callOpen' });
                  this.arg(6);
                  this.MANY2(() => {
                    this.CONSUME3(Comma);
                    this.arg(7);
                  });
                  this.OPTION4(() => this.CONSUME4(Comma));
                  this.CONSUME3(RParen, { LABEL: 'callClose' });
                },
              },
            ]),
          );
        },
      },
    ]);
  });

  readonly idLit = this.RULE('idLit', () => {
    this.CONSUME(Id);
    this.CONSUME(LParen);
    this.CONSUME(StringLiteral);
    this.CONSUME(RParen);
  });

  /** A decision keyword, or a name (a misspelt decision, reported by the AST builder with a suggestion). */
  private decision(): void {
    this.OR9([{ ALT: () => this.CONSUME9(DecisionKeyword) }, { ALT: () => this.CONSUME9(Identifier) }]);
  }

  /** One selector argument (a string, a name, `id("…")` or a number); `k` keeps each use's DSL indices apart. */
  private arg(k: 4 | 5 | 6 | 7): void {
    const OR = k === 4 ? this.OR4 : k === 5 ? this.OR5 : k === 6 ? this.OR6 : this.OR7;
    const CONSUME =
      k === 4 ? this.CONSUME4 : k === 5 ? this.CONSUME5 : k === 6 ? this.CONSUME6 : this.CONSUME7;
    const SUBRULE =
      k === 4 ? this.SUBRULE4 : k === 5 ? this.SUBRULE5 : k === 6 ? this.SUBRULE6 : this.SUBRULE7;
    OR.call(this, [
      { ALT: () => CONSUME.call(this, StringLiteral) },
      { ALT: () => CONSUME.call(this, Identifier) },
      { ALT: () => SUBRULE.call(this, this.idLit) },
      { ALT: () => CONSUME.call(this, NumberLiteral) },
    ]);
  }
}

let instance: AclParser | undefined;

/**
 * The one parser instance of the process (chevrotain parsers are costly to build and cheap to reuse), built on
 * first use: declarations without errors are read by the fast path (`fast.ts`), so many runs never need it.
 */
export function getParser(): AclParser {
  instance ??= new AclParser(new ParseMessages(MAX_ERRORS_PER_DECL));
  return instance;
}
