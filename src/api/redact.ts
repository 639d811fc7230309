/**
 * A redactor: every place that prints or writes text that may carry a secret (API token, global key, service
 * token secret) passes it through one of these first. Pure: it only rewrites strings.
 */
export interface Redactor {
  /** Remember one more secret; empty strings are ignored. */
  add(secret: string | undefined): void;
  /** `text` with every configured secret replaced by `***`. */
  redact(text: string): string;
  /** A deep copy of a JSON-like value with every string redacted (object keys are kept). */
  redactValue<T>(value: T): T;
  /** How many secrets are configured (never the secrets themselves). */
  readonly size: number;
}

export const MASK = '***';

/** Create a redactor for the given secrets (more can be added later with `add`). */
export function createRedactor(secrets: Iterable<string | undefined> = []): Redactor {
  const known = new Set<string>();
  // Longest first, so a secret that contains another is masked whole.
  let ordered: string[] = [];
  const add = (secret: string | undefined): void => {
    if (!secret || known.has(secret)) return;
    known.add(secret);
    ordered = [...known].sort((a, b) => b.length - a.length);
  };
  for (const s of secrets) add(s);

  const redact = (text: string): string => {
    let out = text;
    for (const secret of ordered) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  };

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
    get size() {
      return known.size;
    },
  };
}

/**
 * The process-wide redactor. The client registers the credentials it is given and any service-token secret it
 * sees; renderers and log writers call `redactSecrets` on what they print.
 */
export const globalRedactor: Redactor = createRedactor();

/** Redact with the process-wide redactor. */
export function redactSecrets(text: string): string {
  return globalRedactor.redact(text);
}
