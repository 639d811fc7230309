/**
 * A redactor: every byte aclc prints or writes passes through one (see `context.ts` for how the CLI routes stdout,
 * stderr and file writers through the active one). It replaces the exact value of every secret it was given, in
 * the forms that value takes once quoted in JSON or put in a URL, and any run of at least `FRAGMENT` characters of a
 * secret, so a secret cut short somewhere upstream still does not come out in part. Pure: it only rewrites strings.
 */
export interface Redactor {
  /** Remember one more secret; values shorter than `MIN_SECRET` characters are ignored. */
  add(secret: string | undefined): void;
  /** `text` with every configured secret replaced by `***`. */
  redact(text: string): string;
  /** A deep copy of a JSON-like value with every string redacted (object keys are kept). */
  redactValue<T>(value: T): T;
  /** Whether `text` holds a secret or a fragment of one (for tests and assertions). */
  leaks(text: string): boolean;
  /** How many secrets are configured (never the secrets themselves). */
  readonly size: number;
}

export const MASK = '***';

/**
 * Shorter values are not treated as secrets: masking every `abc` in the output would garble it, and no credential
 * Cloudflare issues is that short (API tokens are 40 characters, global keys 37).
 */
export const MIN_SECRET = 6;

/** A run of this many characters of a secret is masked wherever it appears, even when the rest was cut off. */
export const FRAGMENT = 12;
/** Fragments are found through blocks: any run of `FRAGMENT` characters holds an aligned block or the last one. */
const BLOCK = Math.floor((FRAGMENT + 1) / 2);

/** The spellings a secret takes once written into JSON, a URL or a query string. */
function spellings(secret: string): string[] {
  const out = new Set<string>([secret]);
  out.add(JSON.stringify(secret).slice(1, -1));
  out.add(encodeURIComponent(secret));
  try {
    // How the WHATWG URL parser writes it as a password (`new URL(…).href`).
    const u = new URL('http://x');
    u.password = secret;
    out.add(u.password);
    u.username = secret;
    out.add(u.username);
  } catch {
    // not expressible in a URL
  }
  out.add(JSON.stringify(encodeURIComponent(secret)).slice(1, -1));
  return [...out].filter((s) => s.length >= MIN_SECRET);
}

/** Create a redactor for the given secrets (more can be added later with `add`). */
export function createRedactor(secrets: Iterable<string | undefined> = []): Redactor {
  const known = new Set<string>();
  // Longest first, so a secret that contains another is masked whole.
  let ordered: string[] = [];
  const add = (secret: string | undefined): void => {
    if (!secret || secret.length < MIN_SECRET || known.has(secret)) return;
    known.add(secret);
    const all = new Set(ordered);
    for (const s of spellings(secret)) all.add(s);
    ordered = [...all].sort((a, b) => b.length - a.length);
  };
  for (const s of secrets) add(s);

  /** Mask the runs of `FRAGMENT` or more characters that `text` shares with `secret`. */
  const maskFragments = (text: string, secret: string): string => {
    if (secret.length < FRAGMENT || text.length < FRAGMENT) return text;
    const cut: [number, number][] = [];
    const starts: number[] = [];
    for (let b = 0; b + BLOCK <= secret.length; b += BLOCK) starts.push(b);
    starts.push(secret.length - BLOCK);
    for (const b of starts) {
      const block = secret.slice(b, b + BLOCK);
      for (let at = text.indexOf(block); at !== -1; at = text.indexOf(block, at + 1)) {
        // Grow the match around the block as far as text and secret agree.
        let left = 0;
        while (left < b && at - left > 0 && text[at - left - 1] === secret[b - left - 1]) left++;
        let right = BLOCK;
        while (
          b + right < secret.length &&
          at + right < text.length &&
          text[at + right] === secret[b + right]
        )
          right++;
        if (left + right >= FRAGMENT) cut.push([at - left, at + right]);
      }
    }
    if (cut.length === 0) return text;
    cut.sort((x, y) => x[0] - y[0]);
    let out = '';
    let pos = 0;
    for (const [start, end] of cut) {
      if (end <= pos) continue;
      if (start >= pos) out += text.slice(pos, start) + MASK;
      pos = end;
    }
    return out + text.slice(pos);
  };

  const redact = (text: string): string => {
    if (ordered.length === 0 || typeof text !== 'string') return text;
    let out = text;
    for (const secret of ordered) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    for (const secret of ordered) out = maskFragments(out, secret);
    return out;
  };

  const leaks = (text: string): boolean => redact(text) !== text;

  const redactValue = <T>(value: T): T => {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = walk(x);
        return out;
      }
      return v;
    };
    return walk(value) as T;
  };

  return {
    add,
    redact,
    redactValue,
    leaks,
    get size() {
      return known.size;
    },
  };
}
