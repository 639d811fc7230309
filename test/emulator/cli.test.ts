import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorBanner, parseEmulatorFlags, parseRateLimit, serveEmulator } from '../../src/emulator/cli.js';

const span = { file: '<command line>', start: 0, end: 0 };

describe('parseEmulatorFlags', () => {
  it('turns flags into options', () => {
    expect(
      parseEmulatorFlags({
        port: '0',
        token: 't',
        account: 'ABCDEF0123456789abcdef0123456789',
        state: 's.json',
        seed: 'seed.json',
        failRate: '0.25',
        failMode: 'mixed',
        rateLimit: '1200/300s',
        latency: '20',
        tagDuplicates: 'accept',
      }),
    ).toEqual({
      value: {
        port: 0,
        token: 't',
        accountId: 'abcdef0123456789abcdef0123456789',
        stateFile: 's.json',
        seedFile: 'seed.json',
        failRate: 0.25,
        failMode: 'mixed',
        rateLimit: { requests: 1200, windowMs: 300_000 },
        latencyMs: 20,
        tagDuplicates: 'accept',
      },
      diagnostics: [],
    });
    expect(parseEmulatorFlags({ tagDuplicates: 'refuse' }).value).toEqual({
      port: 8787,
      tagDuplicates: 'refuse',
    });
    expect(parseEmulatorFlags({ tagDuplicates: 'sometimes' }).diagnostics.map((d) => d.message)).toEqual([
      'invalid emulator option `--tag-duplicates`: `sometimes` is neither `refuse` nor `accept`',
    ]);
    expect(parseEmulatorFlags({}).value).toEqual({ port: 8787 });
  });

  it('reports each bad flag with ACL0821', () => {
    const r = parseEmulatorFlags({
      port: 'http',
      failRate: '2',
      failMode: 'sometimes',
      rateLimit: 'fast',
      account: 'x',
    });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toEqual([
      {
        code: 'ACL0821',
        severity: 'error',
        span,
        message: 'invalid emulator option `--port`: `http` is not a port number',
        help: 'write `--port 8787`, or `--port 0` for a free port',
      },
      {
        code: 'ACL0821',
        severity: 'error',
        span,
        message: 'invalid emulator option `--account`: `x` is not 32 hexadecimal characters',
        help: 'write `--account 0123456789abcdef0123456789abcdef`',
      },
      {
        code: 'ACL0821',
        severity: 'error',
        span,
        message: 'invalid emulator option `--fail-rate`: `2` is not a probability',
        help: 'write a number from 0 to 1, e.g. `--fail-rate 0.1`',
      },
      {
        code: 'ACL0821',
        severity: 'error',
        span,
        message: 'invalid emulator option `--fail-mode`: `sometimes` is not a failure mode',
        help: 'use `before`, `after`, `reset` or `mixed`',
      },
      {
        code: 'ACL0821',
        severity: 'error',
        span,
        message: 'invalid emulator option `--rate-limit`: `fast` is not a rate limit',
        help: 'write REQUESTS/WINDOW, e.g. `--rate-limit 1200/300s` or `10/500ms`',
      },
    ]);
  });

  it('parses rate limits with units', () => {
    expect(parseRateLimit('10/500ms')).toEqual({ requests: 10, windowMs: 500 });
    expect(parseRateLimit('100/1m')).toEqual({ requests: 100, windowMs: 60_000 });
    expect(parseRateLimit('5/250')).toEqual({ requests: 5, windowMs: 250 });
    expect(parseRateLimit('0/1s')).toBeUndefined();
  });
});

describe('serveEmulator', () => {
  it('starts, and the banner says how to point aclc at it', async () => {
    const r = await serveEmulator({ port: 0, token: 'tok', stateFile: undefined });
    const handle = r.value;
    if (!handle) throw new Error('not started');
    try {
      expect(emulatorBanner(handle, { failRate: 0.1, rateLimit: { requests: 5, windowMs: 1000 } })).toEqual([
        `aclc emulator listening on ${handle.url}`,
        `  export ACLC_API_BASE=${handle.url}`,
        '  export CLOUDFLARE_ACCOUNT_ID=0000000000000000000000000000ac1c',
        '  export CLOUDFLARE_API_TOKEN=tok',
        '  failing 10% of requests (before)',
        '  rate limit 5 requests per 1000 ms',
      ]);
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    } finally {
      await handle.close();
    }
  });

  it('reports an unreadable seed as ACL0820 and a taken port as ACL0821', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aclc-cli-'));
    try {
      const seed = join(dir, 'seed.json');
      await writeFile(seed, '{nope');
      const r = await serveEmulator({ port: 0, seedFile: seed });
      expect(r.value).toBeUndefined();
      expect(r.diagnostics).toHaveLength(1);
      expect(r.diagnostics[0]?.code).toBe('ACL0820');
      expect(
        r.diagnostics[0]?.message.startsWith(`cannot load emulator seed file \`${seed}\`: not JSON (`),
      ).toBe(true);
      const missing = await serveEmulator({ port: 0, seedFile: join(dir, 'absent.json') });
      expect(missing.diagnostics[0]?.message).toBe(
        `cannot load emulator seed file \`${join(dir, 'absent.json')}\`: no such file`,
      );

      const first = await serveEmulator({ port: 0 });
      const port = first.value?.port as number;
      const second = await serveEmulator({ port });
      expect(second.diagnostics.map((d) => d.message)).toEqual([
        `invalid emulator option \`--port\`: port ${port} is in use`,
      ]);
      await first.value?.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
