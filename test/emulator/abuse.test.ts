import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { call, emulators, everyone } from './helpers.js';

const emu = emulators();
afterEach(() => emu.closeAll());

/** A request with its path sent exactly as written (fetch and URL would resolve `..` first). */
function raw(
  port: number,
  method: string,
  path: string,
  token: string,
): Promise<{ status: number; body: { success: boolean; errors: { code: number }[]; result: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('emulator under abuse', () => {
  it('answers 404 to dot segments as ids, never another route', async () => {
    const e = await emu.start();
    await call(e, 'POST', '/access/groups', { name: 'g', ...everyone });
    const base = `/client/v4/accounts/${e.accountId}/access/groups`;
    for (const id of ['..', '%2e%2e', '%2E%2E', '.', '%2e', '.%2e']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const answer = await raw(e.port, method, `${base}/${id}`, e.token);
        expect([id, method, answer.status, answer.body.success]).toEqual([id, method, 404, false]);
      }
    }
    const nested = await raw(e.port, 'GET', `${base}/../groups`, e.token);
    expect(nested.status).toBe(404);
    expect(e.state().groups).toHaveLength(1);
  });

  it('treats `__proto__` and other prototype names as ordinary zone ids and object ids', async () => {
    const e = await emu.start();
    for (const zone of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
      const made = await call(e, 'POST', `~/zones/${zone}/access/groups`, { name: `g-${zone}`, ...everyone });
      expect([zone, made.status]).toEqual([zone, 201]);
      const listed = await call(e, 'GET', `~/zones/${zone}/access/groups`);
      expect(listed.body.result.map((g: { name: string }) => g.name)).toEqual([`g-${zone}`]);
    }
    for (const id of ['__proto__', 'constructor', 'prototype']) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const answer = await call(
          e,
          method,
          `/access/groups/${id}`,
          method === 'PUT' ? { name: 'x', ...everyone } : undefined,
        );
        expect([id, method, answer.status]).toEqual([id, method, 404]);
      }
    }
    // a rule keyed `__proto__` is an unknown rule type: refused, not a crash
    const rule = await call(e, 'POST', '/access/groups', '{"name":"p","include":[{"__proto__":{"id":"x"}}]}');
    expect(rule.status).toBe(400);
    // the state file form stays plain JSON
    expect(Object.keys(JSON.parse(JSON.stringify(e.state())).zones)).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
    ]);
  });

  it('answers 400 to a body shorter than its Content-Length instead of waiting forever', async () => {
    const e = await emu.start({ bodyTimeoutMs: 300 });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(e.port, '127.0.0.1', () => {
        const body = '{"name":"g"';
        socket.write(
          `POST /client/v4/accounts/${e.accountId}/access/groups HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            `Authorization: Bearer ${e.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n${body}`,
        );
      });
      let text = '';
      socket.on('data', (c) => {
        text += c.toString('utf8');
      });
      socket.on('end', () => resolve(text));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":6007');
    expect(answer).toContain('the body ended before its Content-Length');
    expect(e.state().groups).toEqual([]);
    // the emulator still serves others
    expect((await call(e, 'GET', '/access/groups')).status).toBe(200);
  });
});
