import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEmulator } from '../../src/cli/commands/emulator.js';
import type { Io } from '../../src/cli/context.js';
import { CLI, ensureBuilt } from './harness.js';

function captureIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: {},
      cwd: process.cwd(),
    },
    out: () => out,
    err: () => err,
  };
}

beforeAll(() => ensureBuilt());

describe('aclc emulator', () => {
  it('serves the API, prints how to reach it, and stops cleanly', async () => {
    const { io, out, err } = captureIo();
    let stop: (why: string) => void = () => undefined;
    const until = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const running = runEmulator({ port: '0', token: 'cmd-token', until }, io);
    for (let i = 0; i < 200 && !out().includes('listening on'); i++)
      await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (\S+)/.exec(out())?.[1] as string;
    const account = /CLOUDFLARE_ACCOUNT_ID=(\S+)/.exec(out())?.[1] as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    const res = await fetch(`${url}/accounts/${account}/access/groups`, {
      headers: { authorization: 'Bearer cmd-token' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, result: [] });
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(err()).toBe('emulator stopped (SIGTERM)\n');
    await expect(fetch(`${url}/accounts/${account}/access/groups`)).rejects.toThrow();
  });

  it('rejects bad options with a usage error', async () => {
    const { io, err } = captureIo();
    expect(await runEmulator({ port: 'eighty', until: Promise.resolve() }, io)).toBe(2);
    expect(err()).toContain(
      'error[ACL0821]: invalid emulator option `--port`: `eighty` is not a port number',
    );
  });

  it('runs from the built CLI until SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    for (let i = 0; i < 500 && !out.includes('listening on'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(out).toContain('aclc emulator listening on http://127.0.0.1:');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
