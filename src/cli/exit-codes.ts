/** The exit codes of every aclc command (documented in the README). */
export const EXIT = {
  /** Success; for `plan --detailed-exitcode`, no changes. */
  ok: 0,
  /** Errors in the policies (or warnings past `--max-warnings`), or a failed API call. */
  errors: 1,
  /** Usage error: unknown option, bad argument; for `plan --detailed-exitcode`, changes present. */
  usage: 2,
  /** A bug in aclc itself. */
  internal: 3,
} as const;
