/**
 * The emulator's request validators: Cloudflare's own definitions (`schemas/emulator-api.schema.json`, compiled
 * ahead of time into a module of their own), not aclc's stricter output schemas.
 */
import {
  validateCfApp,
  validateCfAppPolicy,
  validateCfGroup,
  validateCfPolicy,
} from '../generated/emulator-validators.js';
import type { StandaloneValidator, ValidatorError } from '../generated/validators.js';
import { formatErrors } from '../schemas/validate.js';
import type { StoreDeps } from './types.js';

/**
 * Validate with one of Cloudflare's definitions. Under a rule that matches none of the rule types, the reasons
 * each type gives are noise: only "does not match any allowed form" is kept for it.
 */
export function check(
  validator: StandaloneValidator,
  value: unknown,
): { valid: true } | { valid: false; errors: string[] } {
  if (validator(value)) return { valid: true };
  const raw = validator.errors ?? [];
  const alternatives = raw
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => e.instancePath);
  const kept = raw.filter(
    (e: ValidatorError) =>
      e.keyword === 'oneOf' ||
      e.keyword === 'anyOf' ||
      !alternatives.some((at) => e.instancePath === at || e.instancePath.startsWith(`${at}/`)),
  );
  const errors = formatErrors(kept, value);
  return { valid: false, errors: errors.length > 0 ? errors : ['(top level): does not match the schema'] };
}

/** Validators for the store: groups, reusable policies, app-scoped policies and apps. */
export function cloudflareValidators(): StoreDeps['validators'] {
  return {
    group: (v) => check(validateCfGroup, v),
    policy: (v) => check(validateCfPolicy, v),
    appPolicy: (v) => check(validateCfAppPolicy, v),
    app: (v) => check(validateCfApp, v),
  };
}
