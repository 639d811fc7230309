import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAGMENT } from '../../src/redact/redactor.js';
import { fakeServer } from '../api/fake-server.js';
import { Account, aclc, BASE, Project, type Run, SEED } from '../integration/harness.js';

/**
 * Issue 14, item 1, as a property: whatever the secret and wherever it is placed (the token or key, pasted into
 * the API base with or without credentials, the account id, the rate-limit variable, the configuration, a name in
 * the account, an error body the API echoes it in), nothing aclc prints or writes holds it, whole or in part.
 */

const TOKEN_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];

/** Whether `text` holds `secret` or a run of `FRAGMENT` of its characters. */
function leak(text: string, secret: string): string | undefined {
  for (let i = 0; i + FRAGMENT <= secret.length; i++) {
    const part = secret.slice(i, i + FRAGMENT);
    const at = text.indexOf(part);
    if (at !== -1) return text.slice(Math.max(0, at - 40), at + 60);
  }
  return undefined;
}

function filesUnder(dir: string, skip: Set<string>): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, skip));
    else if (!skip.has(p)) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

const placement = fc.record({
  auth: fc.constantFrom('token', 'key'),
  apiBase: fc.constantFrom('ok', 'credentials', 'scheme', 'bare', 'flag-credentials', 'flag-scheme'),
  accountId: fc.constantFrom('ok', 'env', 'flag'),
  rateLimit: fc.boolean(),
  config: fc.boolean(),
  inAccount: fc.boolean(),
  command: fc.constantFrom('plan', 'apply', 'plan-out', 'import'),
});

describe('no secret in any output or file', () => {
  it('holds for randomly placed secrets in flags, variables, configuration and API answers (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 24, maxLength: 48, unit: fc.constantFrom(...TOKEN_CHARS) }),
        placement,
        async (secret, where) => {
          const seed = where.inAccount
            ? {
                ...SEED,
                groups: [{ name: `echo ${secret}`, include: [{ everyone: {} }], exclude: [], require: [] }],
              }
            : SEED;
          const account = await Account.start({ token: secret, seed });
          const project = new Project().write('main.acl', BASE);
          const written = new Set([join(project.dir, 'main.acl')]);
          try {
            if (where.config) {
              project.write('aclc.config.json', JSON.stringify({ ignore: [`${secret}/**`] }));
              written.add(join(project.dir, 'aclc.config.json'));
            }
            const env: Record<string, string> = {
              ACLC_API_BASE: account.emu.url,
              CLOUDFLARE_ACCOUNT_ID: account.emu.accountId,
              NO_COLOR: '1',
            };
            if (where.auth === 'token') env.CLOUDFLARE_API_TOKEN = secret;
            else Object.assign(env, { CLOUDFLARE_EMAIL: 'ops@example.com', CLOUDFLARE_API_KEY: secret });
            const flags: string[] = [];
            const url = new URL(account.emu.url);
            if (where.apiBase === 'credentials')
              env.ACLC_API_BASE = `http://ci:${secret}@${url.host}${url.pathname}`;
            if (where.apiBase === 'scheme') env.ACLC_API_BASE = `${secret}://${url.host}`;
            if (where.apiBase === 'bare') env.ACLC_API_BASE = secret;
            if (where.apiBase === 'flag-credentials')
              flags.push('--api-base', `http://${secret}@${url.host}${url.pathname}`);
            if (where.apiBase === 'flag-scheme') flags.push(`--api-base=ftp://${secret}`);
            if (where.accountId === 'env') env.CLOUDFLARE_ACCOUNT_ID = secret;
            if (where.accountId === 'flag') flags.push('--account-id', secret);
            if (where.rateLimit) env.ACLC_RATE_LIMIT = secret;

            const runs: Run[] = [];
            if (where.command === 'plan') runs.push(await aclc(['plan', '.', ...flags], env, project.dir));
            if (where.command === 'apply')
              runs.push(await aclc(['apply', '.', '--auto-approve', ...flags], env, project.dir));
            if (where.command === 'plan-out')
              runs.push(await aclc(['plan', '.', '--out', 'plan.json', ...flags], env, project.dir));
            if (where.command === 'import')
              runs.push(await aclc(['import', '--out', 'imported', ...flags], env, project.dir));
            for (const r of runs) {
              expect(leak(r.out, secret)).toBeUndefined();
              expect(leak(r.err, secret)).toBeUndefined();
              // Something was said: the property is not vacuous.
              expect(r.out.length + r.err.length).toBeGreaterThan(0);
            }
            for (const text of filesUnder(project.dir, written)) expect(leak(text, secret)).toBeUndefined();
          } finally {
            await account.close();
            project.remove();
          }
        },
      ),
      { seed: 1414, numRuns: 16 },
    );
  }, 120_000);

  it('masks a token that an error body echoes, even a non-JSON one cut to length', async () => {
    const secret = 'Zk3q9VxR2mT7pL0sY5wN8bC4dF6gH1jK3aE9uQ2r';
    for (const shape of ['text', 'json']) {
      const server = await fakeServer((req, res: ServerResponse) => {
        const echoed = `Authorization: ${String(req.headers.authorization)}`;
        if (shape === 'text') {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end(echoed);
        } else {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              success: false,
              errors: [{ code: 10000, message: echoed }],
              messages: [],
              result: null,
            }),
          );
        }
      });
      const project = new Project().write('main.acl', BASE);
      try {
        const env = {
          ACLC_API_BASE: server.url,
          CLOUDFLARE_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
          CLOUDFLARE_API_TOKEN: secret,
          NO_COLOR: '1',
        };
        const r = await aclc(['plan', '.'], env, project.dir);
        expect(r.code).toBe(1);
        expect(r.err).toContain('Authorization: Bearer ***');
        expect(leak(r.out + r.err, secret)).toBeUndefined();
        writeFileSync(join(project.dir, 'seen.txt'), '');
      } finally {
        await server.close();
        project.remove();
      }
    }
  });
});
