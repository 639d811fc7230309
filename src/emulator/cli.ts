/**
 * What `aclc emulator` needs: option parsing into diagnostics (pure) and starting the server with a banner.
 */

import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Result, Span } from '../diagnostics/diagnostic.js';
import { StateFileError } from './persist.js';
import { type EmulatorHandle, type EmulatorOptions, type FailMode, startEmulator } from './server.js';

/** Raw flag values as the command line gives them (all strings; `undefined` when not given). */
export interface EmulatorCliFlags {
  /** `--port N` (0 = random; default 8787). */
  port?: string;
  /** `--host ADDR` (default 127.0.0.1). */
  host?: string;
  /** `--token T` (default `aclc-emulator-token`). */
  token?: string;
  /** `--account ID` (32 hex characters). */
  account?: string;
  /** `--state FILE`: persist here; reloaded on the next start. */
  state?: string;
  /** `--seed FILE`: start from this account (ignored when the state file exists). */
  seed?: string;
  /** `--fail-rate P`, 0 ≤ P ≤ 1. */
  failRate?: string;
  /** `--fail-mode before|after|reset|mixed`. */
  failMode?: string;
  /** `--rate-limit N/WINDOW`, e.g. `1200/300s`, `10/500ms`, `100/1m`. */
  rateLimit?: string;
  /** `--latency MS`. */
  latency?: string;
  /** `--tag-duplicates refuse|accept`: what a create of an existing Access tag name answers. */
  tagDuplicates?: string;
}

const CLI_SPAN: Span = { file: '<command line>', start: 0, end: 0 };
const FAIL_MODES: readonly FailMode[] = ['before', 'after', 'reset', 'mixed'];
export const DEFAULT_EMULATOR_PORT = 8787;

/** Parse the flags; `value` is `undefined` when any is invalid (each gets an ACL0821). */
export function parseEmulatorFlags(flags: EmulatorCliFlags): Result<EmulatorOptions | undefined> {
  const diagnostics: Diagnostic[] = [];
  const bad = (option: string, reason: string, usage: string) =>
    diagnostics.push(diagnostic('ACL0821', CLI_SPAN, { option, reason, usage }));
  const options: EmulatorOptions = { port: DEFAULT_EMULATOR_PORT };

  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port > 65535)
      bad(
        '--port',
        `\`${flags.port}\` is not a port number`,
        'write `--port 8787`, or `--port 0` for a free port',
      );
    else options.port = port;
  }
  if (flags.host !== undefined) options.host = flags.host;
  if (flags.token !== undefined) {
    if (flags.token.trim() === '') bad('--token', 'the token is empty', 'write `--token SOME-SECRET`');
    else options.token = flags.token;
  }
  if (flags.account !== undefined) {
    if (!/^[0-9a-f]{32}$/i.test(flags.account))
      bad(
        '--account',
        `\`${flags.account}\` is not 32 hexadecimal characters`,
        'write `--account 0123456789abcdef0123456789abcdef`',
      );
    else options.accountId = flags.account.toLowerCase();
  }
  if (flags.state !== undefined) options.stateFile = flags.state;
  if (flags.seed !== undefined) options.seedFile = flags.seed;
  if (flags.failRate !== undefined) {
    const p = Number(flags.failRate);
    if (flags.failRate.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1)
      bad(
        '--fail-rate',
        `\`${flags.failRate}\` is not a probability`,
        'write a number from 0 to 1, e.g. `--fail-rate 0.1`',
      );
    else options.failRate = p;
  }
  if (flags.failMode !== undefined) {
    if (!FAIL_MODES.includes(flags.failMode as FailMode))
      bad(
        '--fail-mode',
        `\`${flags.failMode}\` is not a failure mode`,
        'use `before`, `after`, `reset` or `mixed`',
      );
    else options.failMode = flags.failMode as FailMode;
  }
  if (flags.rateLimit !== undefined) {
    const limit = parseRateLimit(flags.rateLimit);
    if (!limit)
      bad(
        '--rate-limit',
        `\`${flags.rateLimit}\` is not a rate limit`,
        'write REQUESTS/WINDOW, e.g. `--rate-limit 1200/300s` or `10/500ms`',
      );
    else options.rateLimit = limit;
  }
  if (flags.tagDuplicates !== undefined) {
    if (flags.tagDuplicates !== 'refuse' && flags.tagDuplicates !== 'accept')
      bad(
        '--tag-duplicates',
        `\`${flags.tagDuplicates}\` is neither \`refuse\` nor \`accept\``,
        'write `--tag-duplicates accept` to store a second tag of an existing name',
      );
    else options.tagDuplicates = flags.tagDuplicates;
  }
  if (flags.latency !== undefined) {
    const ms = Number(flags.latency);
    if (!/^\d+$/.test(flags.latency))
      bad('--latency', `\`${flags.latency}\` is not a number of milliseconds`, 'write e.g. `--latency 50`');
    else options.latencyMs = ms;
  }
  return { value: diagnostics.length ? undefined : options, diagnostics };
}

/** `1200/300s`, `10/500ms`, `100/1m`, or `N/MS` with a bare number of milliseconds. */
export function parseRateLimit(text: string): { requests: number; windowMs: number } | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return undefined;
  const requests = Number(m[1]);
  const unit = m[3] === 's' ? 1000 : m[3] === 'm' ? 60_000 : 1;
  const windowMs = Number(m[2]) * unit;
  return requests >= 1 && windowMs >= 1 ? { requests, windowMs } : undefined;
}

/** The lines `aclc emulator` prints once listening: where it is and how to point aclc at it. */
export function emulatorBanner(handle: EmulatorHandle, options: EmulatorOptions): string[] {
  const lines = [
    `aclc emulator listening on ${handle.url}`,
    `  export ACLC_API_BASE=${handle.url}`,
    `  export CLOUDFLARE_ACCOUNT_ID=${handle.accountId}`,
    // A token the user chose is a secret and is not echoed; the built-in default is public.
    options.token === undefined
      ? `  export CLOUDFLARE_API_TOKEN=${handle.token}`
      : '  export CLOUDFLARE_API_TOKEN=<the token given with --token>',
  ];
  if (options.stateFile) lines.push(`  state persists to ${options.stateFile}`);
  if (options.failRate)
    lines.push(
      `  failing ${Math.round(options.failRate * 100)}% of requests (${options.failMode ?? 'before'})`,
    );
  if (options.rateLimit)
    lines.push(`  rate limit ${options.rateLimit.requests} requests per ${options.rateLimit.windowMs} ms`);
  return lines;
}

/**
 * Start the emulator for the CLI. Load failures (seed or state file) come back as ACL0820 diagnostics, other start
 * failures (port in use, …) as ACL0821 on `--port`. The caller prints the banner and keeps the process alive until
 * a signal, then calls `handle.close()`.
 */
export async function serveEmulator(options: EmulatorOptions): Promise<Result<EmulatorHandle | undefined>> {
  try {
    return { value: await startEmulator(options), diagnostics: [] };
  } catch (e) {
    if (e instanceof StateFileError) {
      return {
        value: undefined,
        diagnostics: [diagnostic('ACL0820', CLI_SPAN, { what: e.what, path: e.path, reason: e.reason })],
      };
    }
    const reason =
      (e as { code?: string }).code === 'EADDRINUSE'
        ? `port ${options.port} is in use`
        : (e as Error).message;
    return {
      value: undefined,
      diagnostics: [
        diagnostic('ACL0821', CLI_SPAN, {
          option: '--port',
          reason,
          usage: 'choose another port, or `--port 0` for a free one',
        }),
      ],
    };
  }
}
