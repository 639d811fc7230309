import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * Token types of the aclc language. Order matters for the lexer: keywords come before `Identifier` and fall back to
 * it through `longer_alt` (so `allowed` is a name, not `allow` + `ed`); `Duration` comes before `Number`; a keyword
 * that is a prefix of another (`id`, `idp`) comes after it. Every token has a `label` used in parse messages.
 */

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_-]*/,
  label: 'a name',
});

const keyword = (word: string, name: string, categories?: TokenType[]): TokenType =>
  createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `\`${word}\``,
    ...(categories ? { categories } : {}),
  });

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
/** `# …` and `// …` to the end of the line; kept in the `comments` group, never given to the parser. */
export const Comment = createToken({
  name: 'Comment',
  pattern: /(?:#|\/\/)[^\r\n]*/,
  group: 'comments',
  label: 'a comment',
});
/** A double-quoted string on one line. Escapes are checked after lexing (`checkString`). */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/,
  label: 'a string',
});
/** A string that reaches the end of its line without a closing quote; reported, then parsed as a string. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  label: 'a string',
});
/** Go duration syntax: `24h`, `2h45m`, `300ms`, `1.5h` (units ns, us, µs, ms, s, m, h). */
export const Duration = createToken({
  name: 'Duration',
  pattern: /(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|µs|μs|ms|s|m|h|d|w))+(?![A-Za-z0-9_\-µμ])/,
  label: 'a duration',
});
/** A whole number, optionally negative (`-1`: settings such as `cors { max_age -1 }` give it a meaning). */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?[0-9]+/, label: 'a number' });

/** Category of the decision keywords, so the grammar can say "a decision". */
export const DecisionKeyword = createToken({
  name: 'DecisionKeyword',
  pattern: Lexer.NA,
  label: 'a decision (`allow`, `deny`, `bypass` or `service_auth`)',
});

export const Idp = keyword('idp', 'Idp');
export const Id = keyword('id', 'Id');
export const Group = keyword('group', 'Group');
export const Extern = keyword('extern', 'Extern');
export const List = keyword('list', 'List');
export const Policy = keyword('policy', 'Policy');
export const App = keyword('app', 'App');
export const Use = keyword('use', 'Use');
export const If = keyword('if', 'If');
export const And = keyword('and', 'And');
export const Or = keyword('or', 'Or');
export const Not = keyword('not', 'Not');
export const In = keyword('in', 'In');
export const Precedence = keyword('precedence', 'Precedence');
export const True = keyword('true', 'True');
export const False = keyword('false', 'False');
export const Allow = keyword('allow', 'Allow', [DecisionKeyword]);
export const Deny = keyword('deny', 'Deny', [DecisionKeyword]);
export const Block = keyword('block', 'Block', [DecisionKeyword]);
export const Bypass = keyword('bypass', 'Bypass', [DecisionKeyword]);
export const ServiceAuth = keyword('service_auth', 'ServiceAuth', [DecisionKeyword]);
export const NonIdentity = keyword('non_identity', 'NonIdentity', [DecisionKeyword]);

export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: '`)`' });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: '`{`' });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: '`}`' });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: '`]`' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: '`:`' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '`=`' });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, label: '`;`' });

/**
 * A run of characters that cannot start any token. Matching them as a token (in their own group, so the parser
 * never sees them) gives one diagnostic per run and keeps the lexer fast on binary input; the set is written as
 * ranges rather than a complement so chevrotain keeps its first-character optimisation.
 */
export const BadCharacters = createToken({
  name: 'BadCharacters',
  pattern: /[\x00-\x08\x0B\x0C\x0E-\x1F!$%&'*+\-.<>?@\\^`|~\x7F-\uFEFE\uFF00-\uFFFF]+/,
  group: 'bad',
  line_breaks: false,
  label: 'an unexpected character',
});

/** The keyword tokens, in lexer order (each also a longer_alt of `Identifier`). */
export const KEYWORD_TOKENS: readonly TokenType[] = [
  Idp,
  Id,
  Group,
  Extern,
  List,
  Policy,
  App,
  Use,
  If,
  And,
  Or,
  Not,
  In,
  Precedence,
  True,
  False,
  Allow,
  Deny,
  Block,
  Bypass,
  ServiceAuth,
  NonIdentity,
];

/** Every token type, in lexer order. */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  StringLiteral,
  UnterminatedString,
  Duration,
  NumberLiteral,
  ...KEYWORD_TOKENS,
  DecisionKeyword,
  Identifier,
  LParen,
  RParen,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  Semicolon,
  BadCharacters,
];
