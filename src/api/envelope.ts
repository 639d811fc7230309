/**
 * Cloudflare's v4 response envelope, parsed and checked. Pure: text in, value out, nothing thrown.
 */

/** One entry of `errors` or `messages`. */
export interface ApiMessage {
  code: number;
  message: string;
}

/** `result_info` of a paginated list. */
export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages: number;
}

/** A parsed envelope. `result` is unchecked JSON: the typed methods of the client give it its type. */
export interface Envelope {
  success: boolean;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result: unknown;
  result_info?: ResultInfo;
}

/** What a JSON-Schema validator returns (the shape of `src/schemas/validate.ts`). */
export type ValidationResult = { valid: true } | { valid: false; errors: string[] };
export type Validator = (value: unknown) => ValidationResult;

export type ParsedEnvelope = { ok: true; envelope: Envelope } | { ok: false; reason: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function messagesOf(v: unknown, field: string): ApiMessage[] | string {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return `\`${field}\` is not an array`;
  const out: ApiMessage[] = [];
  for (const m of v) {
    // Cloudflare occasionally sends a bare string in `messages`; keep it rather than fail.
    if (typeof m === 'string') {
      out.push({ code: 0, message: m });
      continue;
    }
    if (!isRecord(m) || typeof m.message !== 'string') return `\`${field}\` holds an entry without a message`;
    out.push({ code: typeof m.code === 'number' ? m.code : 0, message: m.message });
  }
  return out;
}

function resultInfoOf(v: unknown): ResultInfo | undefined | string {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) return '`result_info` is not an object';
  const num = (k: string): number | undefined => (typeof v[k] === 'number' ? (v[k] as number) : undefined);
  const page = num('page') ?? 1;
  const perPage = num('per_page') ?? 0;
  const count = num('count') ?? 0;
  const totalCount = num('total_count') ?? count;
  const totalPages = num('total_pages') ?? (perPage > 0 ? Math.ceil(totalCount / perPage) : 1);
  return { page, per_page: perPage, count, total_count: totalCount, total_pages: totalPages };
}

/**
 * Parse a response body as an envelope. `validate` (the JSON-Schema envelope validator) is applied when given;
 * the structural checks below always are, so a missing validator never lets a malformed body through. `redact`
 * masks secrets in the excerpt of a body that is not JSON, before it is cut to length.
 */
export function parseEnvelope(
  text: string,
  validate?: Validator,
  redact: (text: string) => string = (t) => t,
): ParsedEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Redact before cutting: a body that echoes the Authorization header must not leave part of the token behind.
    const snippet = redact(text.trim().slice(0, 4096)).slice(0, 60).replace(/\s+/g, ' ');
    return { ok: false, reason: snippet ? `the body is not JSON (\`${snippet}\`)` : 'the body is empty' };
  }
  if (!isRecord(json)) return { ok: false, reason: 'the body is not a JSON object' };
  if (typeof json.success !== 'boolean')
    return { ok: false, reason: '`success` is missing or not a boolean' };
  if (validate) {
    const v = validate(json);
    if (!v.valid)
      return {
        ok: false,
        reason: v.errors.slice(0, 3).join('; ') || 'the envelope does not match its schema',
      };
  }
  const errors = messagesOf(json.errors, 'errors');
  if (typeof errors === 'string') return { ok: false, reason: errors };
  const messages = messagesOf(json.messages, 'messages');
  if (typeof messages === 'string') return { ok: false, reason: messages };
  const info = resultInfoOf(json.result_info);
  if (typeof info === 'string') return { ok: false, reason: info };
  const envelope: Envelope = { success: json.success, errors, messages, result: json.result ?? null };
  if (info) envelope.result_info = info;
  return { ok: true, envelope };
}

/** `code message; code message` for error texts. */
export function formatApiMessages(messages: readonly ApiMessage[]): string {
  return messages.map((m) => (m.code ? `${m.code} ${m.message}` : m.message)).join('; ');
}
