import type { Span } from '../diagnostics/diagnostic.js';
import type { Comment, Expr, Ident, StringLit } from '../parser/ast.js';

/**
 * The syntax tree of one `.acltest` file (grammar in grammar/REFERENCE.md, "Test files"). Purely syntactic, like
 * the `.acl` tree: app, policy, IdP and group names are bound when the tests run.
 */
export interface TestFileAst {
  kind: 'TestFile';
  span: Span;
  items: TestItem[];
  comments: Comment[];
}

export type TestItem = ExampleTest | InvariantDecl;

/** `test "Name" { identity { … } expect … }`: one identity and what Access must decide for it. */
export interface ExampleTest {
  kind: 'Test';
  span: Span;
  name: StringLit;
  identity?: IdentityBlock;
  expects: Expectation[];
}

/** `identity { email "a@x.com" country "DE" idp okta auth_method "mfa", "hwk" certificate }`. */
export interface IdentityBlock {
  kind: 'Identity';
  span: Span;
  fields: IdentityField[];
}

/** One attribute: a key and zero (a flag such as `certificate`) or more comma-separated values. */
export interface IdentityField {
  kind: 'Field';
  span: Span;
  key: Ident;
  values: (StringLit | Ident)[];
}

/** An outcome word as written: `allow`, `deny`, `block`, `bypass`, `service_auth`, `non_identity`, `no-match`, `denied`. */
export interface OutcomeWord {
  kind: 'Outcome';
  span: Span;
  word: string;
}

/** `expect app "Name" OUTCOME [by "Policy"]`. */
export interface Expectation {
  kind: 'Expect';
  span: Span;
  app: StringLit;
  outcome: OutcomeWord;
  by?: StringLit;
}

/** Which apps an invariant speaks of. */
export type Target =
  | { kind: 'App'; span: Span; app: StringLit }
  | { kind: 'EveryApp'; span: Span }
  | { kind: 'Tagged'; span: Span; tag: StringLit | Ident };

export type InvariantBody =
  /** `never DECISION COND on TARGET` / `always DECISION COND on TARGET`. */
  | { form: 'never' | 'always'; decision: OutcomeWord; cond: Expr; target: Target }
  /** `app "X" allows only COND`. */
  | { form: 'only'; app: StringLit; cond: Expr }
  /** `no app is open to everyone`. */
  | { form: 'open' }
  /** `every DECISION on TARGET requires COND`. */
  | { form: 'requires'; decision: OutcomeWord; target: Target; cond: Expr };

/** A statement proved over every identity. */
export interface InvariantDecl {
  kind: 'Invariant';
  span: Span;
  body: InvariantBody;
}
