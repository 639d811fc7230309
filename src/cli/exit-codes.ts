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
  /** Interrupted (Ctrl-C, SIGINT) and stopped cleanly: 128 + 2, as shells report it. */
  interrupted: 130,
} as const;

/**
 * Codes that mean the command was asked for something it cannot do as asked: a path that does not exist or holds no
 * `.acl` files, a bad configuration file, bad API settings in the environment, bad options. Exit 2, like every
 * other bad argument. Credentials count as settings: missing (ACL0801–0803), malformed (ACL0830, a character HTTP
 * cannot carry) or misplaced (ACL0873, in the API base URL) are all found before any request and exit 2; only
 * credentials the API itself refuses (ACL0811) are a failed API call, exit 1.
 */
const USAGE_CODES = new Set([
  'ACL0001',
  'ACL0701',
  'ACL0703',
  'ACL0720',
  'ACL0721',
  'ACL0801',
  'ACL0802',
  'ACL0803',
  'ACL0804',
  'ACL0806',
  'ACL0821',
  'ACL0830',
  'ACL0873',
  'ACL0890',
  'ACL0833',
]);

/** Whether a diagnostic is a usage or configuration error (exit 2). */
export function isUsageError(d: { code: string; severity: string }): boolean {
  return d.severity === 'error' && USAGE_CODES.has(d.code);
}

/** The exit code for a command's diagnostics: 2 for any usage or configuration error, 1 for other errors, else 0. */
export function exitFor(diagnostics: readonly { code: string; severity: string }[]): number {
  if (diagnostics.some(isUsageError)) return EXIT.usage;
  return diagnostics.some((d) => d.severity === 'error') ? EXIT.errors : EXIT.ok;
}
