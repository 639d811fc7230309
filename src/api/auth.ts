import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Result, Span } from '../diagnostics/diagnostic.js';
import { type ApiAuth, DEFAULT_BASE_URL } from './client.js';
import { headerValueProblem, tokenProblem } from './request-check.js';

/** Where to reach the API and as whom, read from the environment. */
export interface ApiConfig {
  baseUrl: string;
  accountId?: string;
  zoneId?: string;
  auth: ApiAuth;
}

/** The span environment diagnostics carry: there is no source file behind them. */
export const ENV_SPAN: Span = { file: '<environment>', start: 0, end: 0 };

const ACCOUNT_ID = /^[0-9a-f]{32}$/i;

export interface ReadApiConfigOptions {
  /** Whether `CLOUDFLARE_ACCOUNT_ID` must be set (default true; a zone-only caller sets false). */
  requireAccount?: boolean;
}

/**
 * Read `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_EMAIL` + `CLOUDFLARE_API_KEY`), `CLOUDFLARE_ACCOUNT_ID`,
 * `CLOUDFLARE_ZONE_ID` and `ACLC_API_BASE` (default `https://api.cloudflare.com/client/v4`). `value` is
 * `undefined` when an error diagnostic was produced. Secrets never appear in the diagnostics.
 */
export function readApiConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: ReadApiConfigOptions = {},
): Result<ApiConfig | undefined> {
  const diagnostics: Diagnostic[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const baseUrl = get('ACLC_API_BASE') ?? DEFAULT_BASE_URL;
  if (!isHttpUrl(baseUrl)) diagnostics.push(diagnostic('ACL0804', ENV_SPAN, { value: baseUrl }));

  const token = get('CLOUDFLARE_API_TOKEN');
  const email = get('CLOUDFLARE_EMAIL');
  const key = get('CLOUDFLARE_API_KEY');
  // A credential HTTP cannot carry is refused here, with the character at fault and never the value: sent as is,
  // every request would fail before leaving the machine.
  const unsendable = (variable: string, problem: string | undefined): boolean => {
    if (problem === undefined) return false;
    diagnostics.push(diagnostic('ACL0830', ENV_SPAN, { variable, character: problem }));
    return true;
  };
  if (token) unsendable('CLOUDFLARE_API_TOKEN', tokenProblem(token));
  else {
    if (email) unsendable('CLOUDFLARE_EMAIL', headerValueProblem(email));
    if (key) unsendable('CLOUDFLARE_API_KEY', headerValueProblem(key));
  }
  let auth: ApiAuth | undefined;
  if (token) {
    auth = { token };
    if (key) diagnostics.push(diagnostic('ACL0805', ENV_SPAN));
  } else if (email && key) {
    auth = { email, key };
  } else if (email || key) {
    diagnostics.push(
      diagnostic(
        'ACL0802',
        ENV_SPAN,
        email
          ? { present: 'CLOUDFLARE_EMAIL', missing: 'CLOUDFLARE_API_KEY' }
          : { present: 'CLOUDFLARE_API_KEY', missing: 'CLOUDFLARE_EMAIL' },
      ),
    );
  } else {
    diagnostics.push(diagnostic('ACL0801', ENV_SPAN));
  }

  const accountId = get('CLOUDFLARE_ACCOUNT_ID');
  const zoneId = get('CLOUDFLARE_ZONE_ID');
  if (accountId === undefined) {
    if (options.requireAccount !== false || zoneId === undefined)
      diagnostics.push(diagnostic('ACL0803', ENV_SPAN));
  } else if (!ACCOUNT_ID.test(accountId)) {
    diagnostics.push(diagnostic('ACL0806', ENV_SPAN, { value: accountId }));
  }

  if (diagnostics.some((d) => d.severity === 'error') || !auth) return { value: undefined, diagnostics };
  const value: ApiConfig = { baseUrl, auth };
  if (accountId) value.accountId = accountId;
  if (zoneId) value.zoneId = zoneId;
  return { value, diagnostics };
}

/**
 * An http(s) URL the client can use as its base: no query, fragment or credentials (they would be dropped or sent
 * where they do not belong) and only visible ASCII once parsed.
 */
function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
    if (u.search || u.hash || u.username || u.password || !u.hostname) return false;
    return /^[\x21-\x7e]+$/.test(u.href);
  } catch {
    return false;
  }
}
