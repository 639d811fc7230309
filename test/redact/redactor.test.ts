import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../src/api/envelope.js';
import { createRedactor, FRAGMENT, MASK } from '../../src/redact/redactor.js';
import { collectSecrets, urlCredentials } from '../../src/redact/secrets.js';

const TOKEN = 'Zk3q9VxR2mT7pL0sY5wN8bC4dF6gH1jK3aE9uQ2r';

/** Whether `text` holds `secret` or any run of `FRAGMENT` of its characters. */
function holdsPart(text: string, secret: string): boolean {
  for (let i = 0; i + FRAGMENT <= secret.length; i++)
    if (text.includes(secret.slice(i, i + FRAGMENT))) return true;
  return text.includes(secret);
}

describe('redactor', () => {
  it('masks the exact value and its JSON and URL spellings', () => {
    const secret = 'a"b\\c/d e+f&g';
    const r = createRedactor([secret]);
    expect(r.redact(`x ${secret} y`)).toBe(`x ${MASK} y`);
    expect(r.redact(JSON.stringify({ v: secret }))).toBe(`{"v":"${MASK}"}`);
    expect(r.redact(`?q=${encodeURIComponent(secret)}`)).toBe(`?q=${MASK}`);
  });

  it('masks what is left of a secret cut short (a run of FRAGMENT characters or more)', () => {
    const r = createRedactor([TOKEN]);
    expect(r.redact(`Bearer ${TOKEN.slice(0, 26)}`)).toBe(`Bearer ${MASK}`);
    expect(r.redact(`…${TOKEN.slice(17)}`)).toBe(`…${MASK}`);
    expect(r.redact(TOKEN.slice(5, 5 + FRAGMENT))).toBe(MASK);
    // Shorter runs are ordinary text.
    expect(r.redact(TOKEN.slice(3, 3 + FRAGMENT - 1))).toBe(TOKEN.slice(3, 3 + FRAGMENT - 1));
  });

  it('masks every occurrence and every fragment, wherever they are placed (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          minLength: 20,
          maxLength: 48,
          unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'),
        }),
        fc.array(fc.tuple(fc.string({ maxLength: 30 }), fc.nat(), fc.nat()), { maxLength: 6 }),
        (secret, pieces) => {
          const r = createRedactor([secret]);
          const text = pieces
            .map(([filler, a, b]) => {
              const start = a % secret.length;
              const end = Math.min(secret.length, start + FRAGMENT + (b % secret.length));
              return filler + secret.slice(start, end);
            })
            .join(' ');
          expect(holdsPart(r.redact(text), secret)).toBe(false);
        },
      ),
      { seed: 14, numRuns: 300 },
    );
  });

  it('ignores values too short to be credentials', () => {
    const r = createRedactor(['abc', '']);
    expect(r.size).toBe(0);
    expect(r.redact('abc')).toBe('abc');
  });

  it('masks a non-JSON error body that echoes the Authorization header before it is cut to length', () => {
    const body = `Authorization: Bearer ${TOKEN} was refused (this proxy answers in plain text)`;
    const r = createRedactor([TOKEN]);
    const parsed = parseEnvelope(body, undefined, r.redact);
    expect(parsed.ok).toBe(false);
    const reason = parsed.ok ? '' : parsed.reason;
    expect(holdsPart(reason, TOKEN)).toBe(false);
    // Without redaction the excerpt would have kept part of the token: this is the case the order fixes.
    const raw = parseEnvelope(body);
    expect(holdsPart(raw.ok ? '' : raw.reason, TOKEN)).toBe(true);
  });
});

describe('secrets', () => {
  it('finds credentials written into a URL, encoded or not', () => {
    expect(urlCredentials(`https://user:${encodeURIComponent('p@ss/w:rd!')}@api.example.com/v4`)).toEqual([
      'user',
      'user',
      'p%40ss%2Fw%3Ard!',
      'p@ss/w:rd!',
    ]);
    expect(urlCredentials('https://api.cloudflare.com/client/v4')).toEqual([]);
  });

  it('collects the token, the key, URL credentials and secret flags', () => {
    const found = collectSecrets(
      {
        CLOUDFLARE_API_TOKEN: ` ${TOKEN} `,
        CLOUDFLARE_API_KEY: 'key123456789',
        ACLC_API_BASE: 'https://u:pw123456@h/',
      },
      ['plan', '--api-base=https://x:flagpass99@h/', 'emulator', '--token', 'emutoken77'],
    );
    for (const s of [TOKEN, 'key123456789', 'pw123456', 'flagpass99', 'emutoken77'])
      expect(found).toContain(s);
  });
});
