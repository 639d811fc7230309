import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelope } from '../../src/api/envelope.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from '../../src/api/retry.js';
import { createRedactor } from '../../src/redact/redactor.js';
import { validateEnvelope } from '../../src/schemas/validate.js';

describe('parseEnvelope', () => {
  it('parses a success with result_info', () => {
    const text = JSON.stringify({
      success: true,
      errors: [],
      messages: [],
      result: [{ id: 'a' }],
      result_info: { page: 2, per_page: 1, count: 1, total_count: 3, total_pages: 3 },
    });
    expect(parseEnvelope(text, validateEnvelope)).toEqual({
      ok: true,
      envelope: {
        success: true,
        errors: [],
        messages: [],
        result: [{ id: 'a' }],
        result_info: { page: 2, per_page: 1, count: 1, total_count: 3, total_pages: 3 },
      },
    });
  });

  it('keeps error codes and messages of a failure', () => {
    const text = JSON.stringify({
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
      messages: [],
      result: null,
    });
    const parsed = parseEnvelope(text, validateEnvelope);
    expect(parsed.ok && parsed.envelope.errors).toEqual([{ code: 10000, message: 'Authentication error' }]);
  });

  it('refuses bodies that are not envelopes', () => {
    expect(parseEnvelope('', validateEnvelope)).toEqual({ ok: false, reason: 'the body is empty' });
    expect(parseEnvelope('[1]', validateEnvelope)).toEqual({
      ok: false,
      reason: 'the body is not a JSON object',
    });
    expect(parseEnvelope('{"result":1}', validateEnvelope)).toEqual({
      ok: false,
      reason: '`success` is missing or not a boolean',
    });
    expect(parseEnvelope('{"success":true,"errors":"x","messages":[]}', validateEnvelope)).toEqual({
      ok: false,
      reason: 'errors: must be array, found a string',
    });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const r = parseEnvelope(text, validateEnvelope);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });
});

describe('retry policy', () => {
  it('computes full-jitter delays within the doubling cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelay(attempt, { baseMs: 100, capMs: 5000 }, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.min(5000, 100 * 2 ** attempt));
        },
      ),
      { numRuns: 200 },
    );
    expect(backoffDelay(3, { baseMs: 100, capMs: 5000 }, () => 0.5)).toBe(400);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('retries 429 and 5xx but not 4xx or 501', () => {
    expect([429, 500, 502, 503, 504, 520].map(isRetryableStatus)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 409, 501].map(isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('redactor', () => {
  it('masks every configured secret, longest first', () => {
    const r = createRedactor(['abc123', 'abc123456', undefined, '']);
    expect(r.redact('x abc123456 y abc123 z')).toBe('x *** y *** z');
    expect(r.size).toBe(2);
    expect(r.redactValue({ a: ['abc123'], b: { c: 'key abc123' }, n: 1 })).toEqual({
      a: ['***'],
      b: { c: 'key ***' },
      n: 1,
    });
  });

  it('leaves no secret in the output', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 20 }),
        fc.array(fc.string(), { maxLength: 4 }),
        (secret, parts) => {
          const r = createRedactor([secret]);
          expect(r.redact(parts.join(secret))).not.toContain(secret);
        },
      ),
      { numRuns: 200 },
    );
  });
});
