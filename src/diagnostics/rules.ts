import type { Diagnostic } from './diagnostic.js';

/**
 * One vocabulary for every finding: each diagnostic has a code and a rule name, in every command and format.
 * A lint rule's code is its id (`shadowed-policy`). A compiler code (`ACL0302`) belongs to one rule: the lint rule
 * that shows it (`undefined-reference`, which lists it in `covers`; a test holds the two tables together) or, for
 * findings no lint rule shows (input files, syntax, the command line, the API), the family named here.
 */

/** Compiler codes shown by a correctness lint rule, by code; mirrors each rule's `covers`. */
const COVERED: Readonly<Record<string, string>> = {
  ACL0301: 'undefined-reference',
  ACL0302: 'undefined-reference',
  ACL0303: 'undefined-reference',
  ACL0304: 'undefined-reference',
  ACL0305: 'duplicate-name',
  ACL0306: 'group-cycle',
  ACL0307: 'idp-type-mismatch',
  ACL0308: 'invalid-value',
  ACL0309: 'decision-restricted-selector',
  ACL0310: 'precedence-clash',
  ACL0311: 'idp-type-mismatch',
  ACL0312: 'duplicate-name',
  ACL0313: 'invalid-value',
  ACL0314: 'invalid-value',
};

/** A family of compiler codes that no lint rule shows: its name, summary and code range. */
export interface CodeFamily {
  rule: string;
  summary: string;
  /** First and last code number of the range (inclusive). */
  from: number;
  to: number;
}

/** Families by code range; the first that contains a code names it (after `COVERED`). */
export const FAMILIES: readonly CodeFamily[] = [
  { rule: 'input-file', summary: 'a path or file that cannot be read as `.acl` source', from: 0, to: 99 },
  { rule: 'syntax-error', summary: 'text that is not valid `.acl` syntax', from: 100, to: 299 },
  { rule: 'invalid-name', summary: 'a name the language reserves or cannot use', from: 300, to: 399 },
  {
    rule: 'invalid-value',
    summary: 'a selector argument or value the API would reject (bad email, domain, CIDR, country, …)',
    from: 400,
    to: 499,
  },
  {
    rule: 'invalid-setting',
    summary: 'an app or policy setting that is unknown, repeated, out of range or inconsistent',
    from: 500,
    to: 599,
  },
  {
    rule: 'invalid-setting',
    summary: 'a setting the app’s type does not take, or that its type needs and is missing (app types)',
    from: 620,
    to: 622,
  },
  {
    rule: 'invalid-setting',
    summary: 'a `saas_app` value the API would reject (a refresh token lifetime)',
    from: 683,
    to: 683,
  },
  {
    rule: 'list',
    summary:
      "a Zero Trust list the state ledger does not prove aclc's (lists an earlier aclc marked), or of another type than declared",
    from: 680,
    to: 699,
  },
  {
    rule: 'compile-error',
    summary: 'a project that parses but cannot be compiled to API requests (limits, schema)',
    from: 600,
    to: 699,
  },
  {
    rule: 'import',
    summary:
      'a Terraform configuration `aclc import --from-terraform` cannot import as it is, or imported files that would not decide as their source',
    from: 740,
    to: 749,
  },
  {
    rule: 'list',
    summary:
      'a Zero Trust list declared in code (`list "…" = ip(…)`) that is malformed or named with the wrong type',
    from: 760,
    to: 779,
  },
  {
    rule: 'usage-error',
    summary: 'a bad command line, configuration file or output path (exit code 2)',
    from: 700,
    to: 799,
  },
  { rule: 'credentials', summary: 'missing or inconsistent Cloudflare API credentials', from: 800, to: 809 },
  { rule: 'api-error', summary: 'a Cloudflare API request that failed', from: 810, to: 819 },
  { rule: 'emulator', summary: 'a problem with the local API emulator or its files', from: 820, to: 829 },
  {
    rule: 'credentials',
    summary: 'a credential HTTP cannot carry (found before any request)',
    from: 830,
    to: 830,
  },
  { rule: 'api-error', summary: 'a request that cannot be sent', from: 831, to: 831 },
  {
    rule: 'deploy',
    summary: 'how a plan or apply is shown and run (plan output, CI, interruptions)',
    from: 832,
    to: 849,
  },
  {
    rule: 'access-diff',
    summary: 'a change that widens access past a gate, or a revision the access diff cannot read',
    from: 890,
    to: 899,
  },
  {
    rule: 'deploy',
    summary: 'a plan or apply that cannot go ahead safely (ownership, guards, ledger, import)',
    from: 850,
    to: 949,
  },
  {
    rule: 'policy-test',
    summary: 'a policy test or explanation that fails or cannot run',
    from: 950,
    to: 979,
  },
  { rule: 'language-server', summary: 'a problem of the language server', from: 980, to: 999 },
];

const ACL_CODE = /^ACL([0-9]{4})$/;

/** Whether a code is a compiler code (`ACL####`) rather than a lint rule id. */
export function isCompilerCode(code: string): boolean {
  return ACL_CODE.test(code);
}

/** The family a compiler code falls in by its number, if any. */
export function familyOf(code: string): CodeFamily | undefined {
  const m = ACL_CODE.exec(code);
  if (!m) return undefined;
  const n = Number(m[1]) % 1000;
  return FAMILIES.find((f) => n >= f.from && n <= f.to);
}

/** The rule name of a code: the lint rule that shows it, its family, or (for a lint rule id) the id itself. */
export function ruleOfCode(code: string): string {
  if (!isCompilerCode(code)) return code;
  return COVERED[code] ?? familyOf(code)?.rule ?? 'compiler';
}

/** The rule name of a diagnostic, for renderers. */
export function ruleName(d: Pick<Diagnostic, 'code'>): string {
  return ruleOfCode(d.code);
}

/** `ACL0302 undefined-reference`, or just `shadowed-policy` when the code is the rule id. */
export function codeAndRule(d: Pick<Diagnostic, 'code'>): string {
  const rule = ruleName(d);
  return rule === d.code ? d.code : `${d.code} ${rule}`;
}
