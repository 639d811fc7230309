/**
 * Error codes and messages the emulator answers with, in Cloudflare's style (`access.api.error.<kind>: detail`).
 * Codes seen in real API answers: 10000 (authentication), 9109 (no access to the account), 7000/7003 (routing),
 * 6007 (malformed JSON), 971 (rate limited), 11010 (application already exists), 11020 (failed to load group),
 * 12130 (invalid request, e.g. duplicate precedence). 12131 (in use) and 10001 (internal error) are this
 * emulator's choice where the real code is not documented.
 */
import type { ApiMessage } from '../api/envelope.js';

export interface ErrorReply {
  status: number;
  errors: ApiMessage[];
}

const reply = (status: number, code: number, message: string): ErrorReply => ({
  status,
  errors: [{ code, message }],
});

export const E = {
  authMissing: () => reply(401, 10000, 'Authentication error'),
  authWrong: () => reply(403, 10000, 'Authentication error'),
  accountForbidden: () => reply(403, 9109, 'Unauthorized to access requested resource'),
  noRoute: () => reply(404, 7000, 'No route for that URI'),
  methodNotAllowed: () => reply(405, 7001, 'Method not allowed for this endpoint'),
  notFound: (path: string) =>
    reply(404, 7003, `Could not route to ${path}, perhaps your object identifier is invalid?`),
  malformedJson: () => reply(400, 6007, 'Malformed JSON in request body'),
  bodyIncomplete: () =>
    reply(400, 6007, 'Malformed JSON in request body: the body ended before its Content-Length'),
  rateLimited: () => reply(429, 971, 'Please wait and consider throttling your request speed'),
  internal: () => reply(500, 10001, 'access.api.error.internal_server_error: an internal error occurred'),
  invalid: (detail: string) => reply(400, 12130, `access.api.error.invalid_request: ${detail}`),
  precedence: () => reply(400, 12130, 'access.api.error.invalid_request: policy precedences must be unique'),
  unknownGroup: (id: string) =>
    reply(400, 11020, `access.api.error.failed_to_load_group: group \`${id}\` does not exist`),
  appExists: (domain: string) =>
    reply(
      409,
      11010,
      `access.api.error.application_already_exists: an application for \`${domain}\` already exists`,
    ),
  inUse: (what: string, by: string) =>
    reply(409, 12131, `access.api.error.conflict: ${what} is in use by ${by}`),
} as const;
