import { describe, expect, it } from 'vitest';
import { readApiConfig } from '../../src/api/auth.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const span = { file: '<environment>', start: 0, end: 0 };

describe('readApiConfig', () => {
  it('reads a token, the account and the default base URL', () => {
    expect(readApiConfig({ CLOUDFLARE_API_TOKEN: 't0k', CLOUDFLARE_ACCOUNT_ID: ACCOUNT })).toEqual({
      value: { baseUrl: 'https://api.cloudflare.com/client/v4', accountId: ACCOUNT, auth: { token: 't0k' } },
      diagnostics: [],
    });
  });

  it('reads an email and global key, and ACLC_API_BASE', () => {
    const r = readApiConfig({
      CLOUDFLARE_EMAIL: 'a@example.com',
      CLOUDFLARE_API_KEY: 'k3y',
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
      ACLC_API_BASE: 'http://127.0.0.1:8787/client/v4',
    });
    expect(r.value).toEqual({
      baseUrl: 'http://127.0.0.1:8787/client/v4',
      accountId: ACCOUNT,
      auth: { email: 'a@example.com', key: 'k3y' },
    });
  });

  it('reports missing credentials and account', () => {
    expect(readApiConfig({})).toEqual({
      value: undefined,
      diagnostics: [
        {
          code: 'ACL0801',
          severity: 'error',
          message: 'no Cloudflare API credentials in the environment',
          help: 'set `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_EMAIL` and `CLOUDFLARE_API_KEY`)',
          span,
        },
        {
          code: 'ACL0803',
          severity: 'error',
          message: '`CLOUDFLARE_ACCOUNT_ID` is not set',
          help: 'set it to the 32-character id shown in the Cloudflare dashboard',
          span,
        },
      ],
    });
  });

  it('reports half a global key, a bad account id and a bad base URL without echoing secrets', () => {
    const r = readApiConfig({
      CLOUDFLARE_API_KEY: 'SECRETKEY',
      CLOUDFLARE_ACCOUNT_ID: 'nope',
      ACLC_API_BASE: 'ftp://x',
    });
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['ACL0804', '`ftp://x` is not a valid API base URL'],
      ['ACL0802', '`CLOUDFLARE_API_KEY` is set but `CLOUDFLARE_EMAIL` is not'],
      ['ACL0806', '`nope` is not a valid account id'],
    ]);
    expect(JSON.stringify(r)).not.toContain('SECRETKEY');
  });

  it('warns when both a token and a key are set, and accepts a zone without an account when allowed', () => {
    const r = readApiConfig(
      {
        CLOUDFLARE_API_TOKEN: 't',
        CLOUDFLARE_API_KEY: 'k',
        CLOUDFLARE_EMAIL: 'e@x.io',
        CLOUDFLARE_ZONE_ID: 'z1',
      },
      { requireAccount: false },
    );
    expect(r.value).toEqual({
      baseUrl: 'https://api.cloudflare.com/client/v4',
      zoneId: 'z1',
      auth: { token: 't' },
    });
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['ACL0805', 'warning']]);
  });
});
