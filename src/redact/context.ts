import { AsyncLocalStorage } from 'node:async_hooks';
import { createRedactor, type Redactor } from './redactor.js';

/**
 * Which redactor is in force. `main` runs each command inside `withRedactor` with a redactor that knows the
 * secrets of that run (environment, flags, and whatever the API client learns), so two commands run at once in one
 * process (tests do) never mask each other's output. Outside a run the process-wide redactor applies.
 */
const store = new AsyncLocalStorage<Redactor>();

/** The process-wide redactor, for code running outside `withRedactor`. */
export const globalRedactor: Redactor = createRedactor();

/** Run `fn` with `redactor` as the active one (for everything it awaits too). */
export function withRedactor<T>(redactor: Redactor, fn: () => T): T {
  return store.run(redactor, fn);
}

/** The redactor in force here. */
export function activeRedactor(): Redactor {
  return store.getStore() ?? globalRedactor;
}

/** Redact with the active redactor: every file writer and every output stream calls this. */
export function redactSecrets(text: string): string {
  return activeRedactor().redact(text);
}
