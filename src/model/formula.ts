import type { Span } from '../diagnostics/diagnostic.js';

/** Kinds of account object a policy can name without defining it in code. */
export type RefKind =
  | 'group'
  | 'idp'
  | 'email_list'
  | 'ip_list'
  | 'service_token'
  | 'device_posture'
  | 'app'
  | 'policy';

/**
 * A reference to an object that lives in the account. `id` is set when the source gave a literal id
 * (`id("…")`) or the IdP declaration carries one; otherwise `name` is resolved to an id at deploy time.
 */
export interface Ref {
  kind: RefKind;
  name?: string;
  id?: string;
  /**
   * For `ip_list` / `email_list` naming a list declared in code (`list "…" = ip(…)`): its canonical values, so the
   * evaluators and the analysis engine decide on them exactly. Absent for an account list aclc does not manage.
   */
  members?: readonly string[];
}

/** A selector value after resolution and canonicalisation. */
export type AtomValue = string | string[] | Ref;

/**
 * One selector instance with one canonical value per field, e.g. `{ sel: 'country', args: { country_code: 'US' } }`.
 * `sel` is the DSL name from the selector table; `args` is keyed by the selector's wire field names.
 */
export interface Atom {
  sel: string;
  args: Record<string, AtomValue>;
}

/** The boolean IR shared by the compiler, the evaluators and the analysis engine. */
export type Formula =
  | { op: 'const'; value: boolean; span?: Span }
  | { op: 'atom'; atom: Atom; span?: Span }
  /** A group defined in code, by name; evaluators and the analysis expand it, the compiler emits a `group` rule. */
  | { op: 'group'; name: string; span?: Span }
  | { op: 'not'; arg: Formula; span?: Span }
  | { op: 'and'; args: Formula[]; span?: Span }
  | { op: 'or'; args: Formula[]; span?: Span };

export const TRUE: Formula = { op: 'const', value: true };
export const FALSE: Formula = { op: 'const', value: false };

/** The key an identity uses for an account object: the literal id if known, else the name. */
export function refKey(ref: Ref): string {
  return ref.id ?? ref.name ?? '';
}

/**
 * Canonical string of an atom: equal keys ⇔ the same rule. Used for dedup, hashing and BDD variables. Without
 * `members`, a list reference is written by its name or id only (within one project, a name fixes the members).
 */
export function atomKey(atom: Atom, members = true): string {
  const args = atom.args;
  const fields = Object.keys(args);
  if (fields.length > 1) fields.sort();
  let key = `${atom.sel}(`;
  for (let i = 0; i < fields.length; i++) {
    const k = fields[i] as string;
    key += `${i > 0 ? ',' : ''}${k}=${atomValueKey(args[k] as AtomValue, members)}`;
  }
  return `${key})`;
}

/** One argument's value as `atomKey` writes it. */
export function atomValueKey(v: AtomValue, members = true): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return JSON.stringify([...v].sort());
  const ref = v.id !== undefined ? `id=${quote(v.id)}` : `name=${quote(v.name ?? '')}`;
  return `${v.kind}:${ref}${members && v.members ? `=${JSON.stringify(v.members)}` : ''}`;
}

/** Characters `JSON.stringify` escapes in a string (quotes, backslashes, controls, surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s)` for a string, without the call for the common string that needs no escape. */
function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
