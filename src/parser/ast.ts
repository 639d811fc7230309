import type { Span } from '../diagnostics/diagnostic.js';

/**
 * The syntax tree of one `.acl` file. Every node carries its half-open span. The tree is purely syntactic:
 * names are not bound and values are not checked (that is the resolver's job), so a file with unknown selectors
 * or bad values still parses.
 */
export interface AstFile {
  kind: 'File';
  span: Span;
  decls: Decl[];
  /** Comments in source order, kept for the formatter. */
  comments: Comment[];
}

export interface Comment {
  kind: 'Comment';
  span: Span;
  /** Full text including the `#` or `//` marker. */
  text: string;
}

export type Decl = IdpDecl | GroupDecl | ExternGroupDecl | ListDecl | PolicyDecl | AppDecl;

export interface Ident {
  kind: 'Ident';
  span: Span;
  name: string;
}

export interface StringLit {
  kind: 'String';
  span: Span;
  /** The decoded value (escapes applied). */
  value: string;
}

/** `id("…")`: a literal account object id. */
export interface IdLit {
  kind: 'Id';
  span: Span;
  value: string;
}

/** `idp NAME [: TYPE] = "Display name"` or `idp NAME [: TYPE] = id("uuid")`. */
export interface IdpDecl {
  kind: 'Idp';
  span: Span;
  name: Ident;
  type?: Ident;
  value: StringLit | IdLit;
}

/** `group "Name" [in zone "example.com" | in zone id("…")] = EXPR`. */
export interface GroupDecl {
  kind: 'Group';
  span: Span;
  name: StringLit;
  /** `in zone "…"` between the name and `=`: the zone the group lives in (the resolver checks the word `zone`). */
  zone?: ZoneClause;
  expr: Expr;
}

/** `in zone "example.com"` or `in zone id("…")` after a group's name; `keyword` is the word written after `in`. */
export interface ZoneClause {
  kind: 'Zone';
  span: Span;
  keyword: Ident;
  value: StringLit | IdLit;
}

/** `extern group "Name"`: a group that lives in the account and is not managed by aclc. */
export interface ExternGroupDecl {
  kind: 'ExternGroup';
  span: Span;
  name: StringLit;
}

/** `list "Name" = ip("…", …)` or `= email("…", …)`: a Zero Trust list managed by aclc. */
export interface ListDecl {
  kind: 'List';
  span: Span;
  name: StringLit;
  /** The members, written as one selector call (`ip(…)` or `email(…)`); the resolver checks the form. */
  expr: Expr;
}

/** The decision keyword as written (`allow`, `deny`, `block`, `bypass`, `service_auth`, `non_identity`). */
export interface DecisionKw {
  kind: 'Decision';
  span: Span;
  keyword: string;
}

/** `policy "Name" DECISION if EXPR [{ settings }]` (top level, reusable). */
export interface PolicyDecl {
  kind: 'Policy';
  span: Span;
  name: StringLit;
  decision: DecisionKw;
  expr: Expr;
  settings?: SettingsBlock;
}

/** `app "Name" { items }`. */
export interface AppDecl {
  kind: 'App';
  span: Span;
  name: StringLit;
  items: AppItem[];
}

export type AppItem = Setting | InlinePolicy | UsePolicy;

/** Inside an app: `DECISION "Name" if EXPR [precedence N] [{ settings }]`. */
export interface InlinePolicy {
  kind: 'InlinePolicy';
  span: Span;
  decision: DecisionKw;
  name: StringLit;
  expr: Expr;
  precedence?: NumberLit;
  settings?: SettingsBlock;
}

/**
 * Inside an app: `use "Reusable policy" [precedence N]`, or `use extern "Policy" | id("…") [precedence N]` for a
 * reusable policy that lives in the account and is not managed by aclc (co-management).
 */
export interface UsePolicy {
  kind: 'Use';
  span: Span;
  /** A policy name; `id("…")` only after `extern` (the resolver reports it elsewhere). */
  name: StringLit | IdLit;
  /** Set when written `use extern …`. */
  extern?: true;
  precedence?: NumberLit;
}

export interface SettingsBlock {
  kind: 'Settings';
  span: Span;
  settings: Setting[];
}

/** `key value` — e.g. `session_duration 24h`, `domain "a.example.com"`, `cors { allow_credentials true }`. */
export interface Setting {
  kind: 'Setting';
  span: Span;
  key: Ident;
  value: Value;
}

export type Value = StringLit | NumberLit | BoolLit | DurationLit | Ident | IdLit | ListValue | SettingsBlock;

export interface NumberLit {
  kind: 'Number';
  span: Span;
  value: number;
  /** The digits as written. */
  text: string;
}

export interface BoolLit {
  kind: 'Bool';
  span: Span;
  value: boolean;
}

/** A bare duration such as `24h` or `2h45m` (also accepted as a string). */
export interface DurationLit {
  kind: 'Duration';
  span: Span;
  text: string;
}

/** `[v, v, …]`. */
export interface ListValue {
  kind: 'List';
  span: Span;
  items: Value[];
}

/** Boolean condition of a policy or group. */
export type Expr = OrExpr | AndExpr | NotExpr | SelectorExpr | ParenExpr;

export interface OrExpr {
  kind: 'Or';
  span: Span;
  /** Two or more operands, flattened as written (`a or b or c`). */
  operands: Expr[];
}

export interface AndExpr {
  kind: 'And';
  span: Span;
  operands: Expr[];
}

export interface NotExpr {
  kind: 'Not';
  span: Span;
  operand: Expr;
}

/** `( EXPR )`, kept so the formatter and precedence lints see what was written. */
export interface ParenExpr {
  kind: 'Paren';
  span: Span;
  expr: Expr;
}

/**
 * A selector: `everyone`, `certificate`, `email("a@x.com", "b@x.com")`, `github_org(gh, "acme", "infra")`,
 * or the set sugar `country in ("US", "CA")` (`form: 'in'`, same meaning as `country("US", "CA")`).
 */
export interface SelectorExpr {
  kind: 'Selector';
  span: Span;
  name: Ident;
  /** `undefined` when written without parentheses (`everyone`). */
  args?: Arg[];
  form: 'call' | 'in' | 'bare';
}

export type Arg = StringLit | Ident | IdLit | NumberLit;

/** Node kinds, for registries keyed by kind. */
export type AstNode = AstFile | Decl | AppItem | SettingsBlock | Value | Expr | Arg | DecisionKw;
