/**
 * Where aclc's secrets come from, read before any command runs so that even a usage error cannot print one:
 * the API token and global key in the environment, and credentials written into a URL (`--api-base`,
 * `ACLC_API_BASE`) or given as a flag value (`--token` of `aclc emulator`).
 */

/** The environment variables that hold a secret outright. */
export const SECRET_VARIABLES = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY'] as const;

/** Flags whose value is a secret. */
const SECRET_FLAGS = ['--token'];

/** The user name and password of a URL-like text (`https://user:pass@host/…`), decoded as well as written. */
export function urlCredentials(text: string): string[] {
  const out: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(text.trim());
  if (!m) return out;
  for (const part of (m[1] as string).split(':')) {
    if (!part) continue;
    out.push(part);
    try {
      out.push(decodeURIComponent(part));
    } catch {
      // not percent-encoded
    }
  }
  return out;
}

/** Every secret value found in the environment and the command line (raw and trimmed). */
export function collectSecrets(
  env: Readonly<Record<string, string | undefined>>,
  argv: readonly string[],
): string[] {
  const out: string[] = [];
  const push = (v: string | undefined): void => {
    if (v === undefined) return;
    out.push(v, v.trim());
  };
  for (const name of SECRET_VARIABLES) push(env[name]);
  for (const c of urlCredentials(env.ACLC_API_BASE ?? '')) push(c);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    for (const c of urlCredentials(arg.replace(/^--[a-z-]+=/, ''))) push(c);
    for (const flag of SECRET_FLAGS) {
      if (arg === flag) push(argv[i + 1]);
      else if (arg.startsWith(`${flag}=`)) push(arg.slice(flag.length + 1));
    }
  }
  return out;
}
