import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, aclc, BASE, Project, TOKEN } from './harness.js';

/**
 * Credential errors exit with the code the README's table gives them: missing, malformed or misplaced credentials
 * are bad settings, found before any request (exit 2, or 1 under `plan --detailed-exitcode`, where 2 means
 * "changes"); credentials the API itself refuses are a failed API call (exit 1). The same in every command that
 * talks to the API.
 */

let account: Account;
let project: Project;
beforeAll(async () => {
  account = await Account.start();
  project = new Project().write('main.acl', BASE);
});
afterAll(async () => {
  await account.close();
  project.remove();
});

const ZWSP = '\u200b';
const COMMANDS: [string, string[], { usage: number }][] = [
  ['plan', ['plan', '.'], { usage: 2 }],
  ['plan --detailed-exitcode', ['plan', '.', '--detailed-exitcode'], { usage: 1 }],
  ['apply', ['apply', '.', '--auto-approve'], { usage: 2 }],
  ['import', ['import', '--out', 'imported'], { usage: 2 }],
  ['export', ['export'], { usage: 2 }],
];

/** Each bad environment, what it is reported as, and whether it is a setting (2) or an API failure (1). */
const CASES: [string, (env: Record<string, string>) => Record<string, string>, string, 'usage' | 'api'][] = [
  ['no credentials', ({ CLOUDFLARE_API_TOKEN: _, ...env }) => env, 'ACL0801', 'usage'],
  [
    'an email without a key',
    ({ CLOUDFLARE_API_TOKEN: _, ...env }) => ({ ...env, CLOUDFLARE_EMAIL: 'ops@example.com' }),
    'ACL0802',
    'usage',
  ],
  ['no account id', ({ CLOUDFLARE_ACCOUNT_ID: _, ...env }) => env, 'ACL0803', 'usage'],
  ['a malformed account id', (env) => ({ ...env, CLOUDFLARE_ACCOUNT_ID: 'not-an-id' }), 'ACL0806', 'usage'],
  ['a bad API base', (env) => ({ ...env, ACLC_API_BASE: 'ftp://example.com' }), 'ACL0804', 'usage'],
  [
    'credentials in the API base',
    (env) => ({ ...env, ACLC_API_BASE: env.ACLC_API_BASE?.replace('://', `://user:${TOKEN}@`) ?? '' }),
    'ACL0873',
    'usage',
  ],
  [
    'a token with a zero-width space',
    (env) => ({ ...env, CLOUDFLARE_API_TOKEN: `${TOKEN}${ZWSP}` }),
    'ACL0830',
    'usage',
  ],
  ['a token the API refuses', (env) => ({ ...env, CLOUDFLARE_API_TOKEN: `${TOKEN}x` }), 'ACL0811', 'api'],
];

describe('credential errors exit with the documented code', () => {
  describe.each(CASES)('%s', (_name, change, code, kind) => {
    it.each(COMMANDS)('%s', async (_command, argv, expected) => {
      const mark = account.mark();
      const run = await aclc(argv, change(account.env()), project.dir);
      expect(run.err).toContain(`error[${code}]`);
      expect(run.code).toBe(kind === 'api' ? 1 : expected.usage);
      expect(`${run.out}${run.err}`).not.toContain(TOKEN);
      // A bad setting is found before any request is sent.
      if (kind === 'usage') expect(account.log.slice(mark)).toEqual([]);
      else expect(account.log.length).toBeGreaterThan(mark);
    });
  });
});
