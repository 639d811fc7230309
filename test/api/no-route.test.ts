import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorToDiagnostic } from '../../src/api/errors.js';

describe('a wrong --api-base', () => {
  it('"No route for that URI" (7000) says to check the base URL, not that an object disappeared', () => {
    const error = new ApiError({
      kind: 'not_found',
      method: 'GET',
      path: '/accounts/abc/access/groups',
      status: 404,
      errors: [{ code: 7000, message: 'No route for that URI' }],
    });
    const d = apiErrorToDiagnostic(error);
    expect(d.help).toContain('check the base URL');
    expect(d.help).toContain('/client/v4');
    expect(d.help).not.toContain('no longer exists');
  });

  it('a missing object still says so', () => {
    const error = new ApiError({
      kind: 'not_found',
      method: 'GET',
      path: '/accounts/abc/access/groups/1',
      status: 404,
      errors: [{ code: 12130, message: 'access.api.error.not_found' }],
    });
    expect(apiErrorToDiagnostic(error).help).toContain('no longer exists');
  });
});
