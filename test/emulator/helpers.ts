import { type EmulatorHandle, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Cloudflare answers timestamps to the second (`2025-03-19T20:20:42Z`). */
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  body: any;
}

/** Emulators started by a test file, closed after each test. */
export function emulators() {
  const open: EmulatorHandle[] = [];
  return {
    async start(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
      const emu = await startEmulator({ port: 0, ...options });
      open.push(emu);
      return emu;
    },
    async closeAll(): Promise<void> {
      while (open.length) await (open.pop() as EmulatorHandle).close();
    },
  };
}

/**
 * A request to the emulator. `path` starting with `/` is below the account (`/access/groups`); a path starting
 * with `~` is below the API base (`~/zones/z/access/groups`).
 */
export async function call(
  emu: EmulatorHandle,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${emu.token}` },
): Promise<Answer> {
  const url = path.startsWith('~')
    ? `${emu.url}${path.slice(1)}`
    : `${emu.url}/accounts/${emu.accountId}${path}`;
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export const everyone = { include: [{ everyone: {} }] };

/** The error envelope of a failed call. */
export function failed(...errors: { code: number; message: string }[]) {
  return { success: false, errors, messages: [], result: null };
}
