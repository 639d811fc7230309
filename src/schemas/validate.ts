import {
  validateApp as appValidator,
  validateEnvelope as envelopeValidator,
  validateGroup as groupValidator,
  validatePolicy as policyValidator,
  validateProject as projectValidator,
  validateRule as ruleValidator,
  type StandaloneValidator,
  type ValidatorError,
} from '../generated/validators.js';

/**
 * Checks of API payloads against the project's JSON Schemas (`schemas/*.schema.json`), through validators that
 * `scripts/gen-validators.mjs` compiled ahead of time: nothing is compiled at start-up.
 */
export type Validation = { valid: true } | { valid: false; errors: string[] };

const DURATION_HINT = 'a Go duration such as `30m`, `24h` or `2h45m` (units: ns, us, ms, s, m, h)';

function segments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `/groups/0/include/1/okta` → `groups[0].include[1].okta`. */
export function readablePath(pointer: string): string {
  let out = '';
  for (const s of segments(pointer)) out += /^[0-9]+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? '(top level)' : out;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const s of segments(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const list = (values: unknown): string =>
  Array.isArray(values) ? values.map((v) => `\`${String(v)}\``).join(', ') : String(values);

function describe(e: ValidatorError, data: unknown): string | undefined {
  const where = readablePath(e.instancePath);
  const value = valueAt(data, e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'if':
      return undefined; // the failing `then` branch says what is wrong
    case 'required':
      return `${where}: missing field \`${String(p.missingProperty)}\``;
    case 'additionalProperties':
      return `${where}: unknown field \`${String(p.additionalProperty)}\``;
    case 'propertyNames':
      return `${where}: unknown rule type \`${String(p.propertyName)}\``;
    case 'minProperties':
    case 'maxProperties':
      return `${where}: a rule must have exactly one rule type, found ${
        value !== null && typeof value === 'object' ? Object.keys(value).length : 0
      }`;
    case 'minItems':
      return p.limit === 1
        ? `${where}: must not be empty`
        : `${where}: must have at least ${String(p.limit)} items`;
    case 'maxItems':
      return `${where}: has ${Array.isArray(value) ? value.length : '?'} items, at most ${String(p.limit)} are allowed`;
    case 'uniqueItems':
      return `${where}: items ${String(p.j)} and ${String(p.i)} are the same`;
    case 'minLength':
      return p.limit === 1
        ? `${where}: must not be empty`
        : `${where}: must be at least ${String(p.limit)} characters`;
    case 'maxLength':
      return `${where}: is longer than ${String(p.limit)} characters`;
    case 'type':
      return `${where}: must be ${String(p.type).replace(/,/g, ' or ')}, found ${typeName(value)}`;
    case 'const':
      return `${where}: must be ${show(p.allowedValue)}, found ${show(value)}`;
    case 'enum':
      if (e.propertyName !== undefined) return undefined; // reported by `propertyNames`
      if (e.schemaPath.includes('/then/'))
        return `${where}: ${show(value)} cannot be used with a \`linked_app_token\` rule, only ${list(p.allowedValues)}`;
      return `${where}: ${show(value)} is not one of ${list(p.allowedValues)}`;
    case 'pattern':
      if (String(p.pattern).includes('ns|us'))
        return `${where}: ${show(value)} is not a duration; write ${DURATION_HINT}`;
      if (String(p.pattern).includes('(h|m)'))
        return `${where}: ${show(value)} is not a duration in minutes or hours such as \`5m\` or \`24h\``;
      return `${where}: ${show(value)} does not match \`${String(p.pattern)}\``;
    case 'anyOf':
    case 'oneOf':
      return `${where}: ${show(value)} does not match any allowed form`;
    case 'minimum':
    case 'maximum':
      return `${where}: must be ${e.keyword === 'minimum' ? 'at least' : 'at most'} ${String(p.limit)}, found ${show(value)}`;
    default:
      return `${where}: ${e.message ?? `fails \`${e.keyword}\``}`;
  }
}

/** Readable messages, one per problem: the instance path and what is wrong with it. */
export function formatErrors(errors: readonly ValidatorError[], data: unknown): string[] {
  // The branches of a failed anyOf / oneOf are noise next to "does not match any allowed form".
  const alternatives = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => `${e.schemaPath}/`);
  const out: string[] = [];
  for (const e of errors) {
    if (alternatives.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    const message = describe(e, data);
    if (message !== undefined && !out.includes(message)) out.push(message);
  }
  return out;
}

/** Run a generated validator and phrase its errors. */
export function check(validator: StandaloneValidator, value: unknown): Validation {
  if (validator(value)) return { valid: true };
  const errors = formatErrors(validator.errors ?? [], value);
  return { valid: false, errors: errors.length > 0 ? errors : ['(top level): does not match the schema'] };
}

/** One Access rule object (`{ "geo": { "country_code": "US" } }`), strictly. */
export const validateRule = (value: unknown): Validation => check(ruleValidator, value);
/** An Access group request body. */
export const validateGroup = (value: unknown): Validation => check(groupValidator, value);
/** A reusable Access policy request body. */
export const validatePolicy = (value: unknown): Validation => check(policyValidator, value);
/** A self-hosted Access application request body. */
export const validateApp = (value: unknown): Validation => check(appValidator, value);
/** A compiled project document `{ groups, policies, apps }`. */
export const validateProject = (value: unknown): Validation => check(projectValidator, value);
/** A Cloudflare API response envelope. */
export const validateEnvelope = (value: unknown): Validation => check(envelopeValidator, value);
