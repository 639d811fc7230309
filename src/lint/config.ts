import { diagnostic, didYouMean } from '../diagnostics/catalog.js';
import type { Diagnostic, Result, Severity, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { validateConfig } from '../generated/config-validator.js';
import type { ValidatorError } from '../generated/validators.js';
import { matchesWildcard } from './glob.js';
import { parseJsonc } from './jsonc.js';
import type { AnyRule, RuleLevel } from './rule.js';

/** The name of the configuration file; the folder holding it is the root of one project. */
export const CONFIG_FILE = 'aclc.config.json';

/** `aclc.config.json`, as validated against `schemas/config.schema.json`. */
export interface LintConfig {
  /** Rule id → level, or `[level, options]`. */
  rules?: Record<string, RuleLevel | [RuleLevel, Record<string, unknown>]>;
  /** App names (with `*` wildcards) whose allow policies must require MFA. */
  sensitiveApps?: string[];
  /** Files skipped when a folder is linted, relative to the configuration's folder. */
  ignore?: string[];
}

/** A rule as this run applies it. */
export interface EffectiveRule {
  rule: AnyRule;
  severity: Severity | 'off';
  options: Record<string, unknown>;
}

function configError(span: Span, reason: string, help: string): Diagnostic {
  return diagnostic('ACL0701', span, { reason }, { help });
}

/** `/rules/long-session/1/max` → `rules.long-session[1].max`. */
function readablePath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^[0-9]+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  }
  return out === '' ? '(top level)' : out;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

const shown = (v: unknown) => `\`${JSON.stringify(v)}\``;

/**
 * Readable messages for the configuration's schema errors (a small cousin of `src/schemas/validate.ts`, which the
 * lint path does not load). The branches of a failed `anyOf` are left out: the `anyOf` itself says it.
 */
function formatErrors(errors: readonly ValidatorError[], data: unknown): string[] {
  const branches = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const out: string[] = [];
  for (const e of errors) {
    if (branches.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    const where = readablePath(e.instancePath);
    const value = valueAt(data, e.instancePath);
    const p = e.params;
    let message: string;
    switch (e.keyword) {
      case 'additionalProperties':
        message = `${where}: unknown field \`${String(p.additionalProperty)}\``;
        break;
      case 'type':
        message = `${where}: must be ${String(p.type)}, found ${shown(value)}`;
        break;
      case 'enum':
        message = `${where}: ${shown(value)} is not one of ${(p.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
        break;
      case 'pattern':
        message = `${where}: ${shown(value)} is not a duration; write one such as \`30m\`, \`24h\` or \`2h45m\``;
        break;
      case 'minLength':
        message = `${where}: must not be empty`;
        break;
      case 'anyOf':
        message = `${where}: ${shown(value)} does not match any allowed form`;
        break;
      default:
        message = `${where}: ${e.message ?? `fails \`${e.keyword}\``}`;
    }
    if (!out.includes(message)) out.push(message);
  }
  return out;
}

/** The span of the first `"key"` in the configuration text, or its start. */
function keySpan(file: SourceFile | undefined, key: string): Span {
  if (!file) return { file: CONFIG_FILE, start: 0, end: 0 };
  const quoted = JSON.stringify(key);
  const at = file.text.indexOf(quoted);
  return at < 0
    ? { file: file.path, start: 0, end: 0 }
    : { file: file.path, start: at, end: at + quoted.length };
}

/** Parse and validate a configuration file. Never throws; a broken file gives diagnostics and no config. */
export function parseConfig(file: SourceFile): Result<LintConfig | undefined> {
  const parsed = parseJsonc(file.text);
  if (!parsed.ok) {
    const end = Math.min(parsed.offset + 1, file.text.length);
    return {
      value: undefined,
      diagnostics: [
        configError(
          { file: file.path, start: parsed.offset, end },
          `\`${file.path}\` is not valid JSON: ${parsed.reason}`,
          'fix the JSON syntax (comments and trailing commas are allowed)',
        ),
      ],
    };
  }
  const data = parsed.value;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      value: undefined,
      diagnostics: [
        configError(
          { file: file.path, start: 0, end: 0 },
          `invalid configuration: the file must hold a JSON object, found \`${JSON.stringify(data)}\``,
          'write `{}` for the defaults, or an object with `rules`, `sensitiveApps` and `ignore`',
        ),
      ],
    };
  }
  if (!validateConfig(data)) {
    const help = 'see `schemas/config.schema.json` for the allowed keys and values';
    const errors = validateConfig.errors ?? [];
    const rules = (data as { rules?: Record<string, unknown> }).rules ?? {};
    const diagnostics: Diagnostic[] = [];
    const ruleIds = new Set<string>();
    for (const e of errors) {
      const id = /^\/rules\/([^/]+)/.exec(e.instancePath)?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~');
      if (id !== undefined) ruleIds.add(id);
    }
    for (const id of ruleIds) {
      const reason = ruleEntryProblem(id, rules[id], errors, data);
      diagnostics.push(configError(keySpan(file, id), `invalid configuration: ${reason}`, help));
    }
    const rest = errors.filter((e) => !/^\/rules\/[^/]+/.test(e.instancePath));
    for (const message of formatErrors(rest, data)) {
      diagnostics.push(
        configError({ file: file.path, start: 0, end: 0 }, `invalid configuration: ${message}`, help),
      );
    }
    return { value: undefined, diagnostics };
  }
  return { value: data as LintConfig, diagnostics: [] };
}

const LEVELS = ['off', 'info', 'warning', 'error'];

/** What is wrong with one `rules` entry, in words. */
function ruleEntryProblem(
  id: string,
  value: unknown,
  errors: readonly ValidatorError[],
  data: unknown,
): string {
  const where = `rules.${id}`;
  const levelProblem = (v: unknown) =>
    `${where}: \`${JSON.stringify(v)}\` is not a level; use \`off\`, \`info\`, \`warning\` or \`error\``;
  if (!Array.isArray(value)) return levelProblem(value);
  if (value.length !== 2) return `${where}: write a level, or \`[level, options]\` with two items`;
  if (!LEVELS.includes(value[0] as string)) return levelProblem(value[0]);
  const prefix = `/rules/${id.replace(/~/g, '~0').replace(/\//g, '~1')}/1`;
  const inner = formatErrors(
    errors.filter((e) => e.instancePath.startsWith(prefix)),
    data,
  );
  return inner.length > 0 ? inner.join('; ') : `${where}: the options must be an object`;
}

/**
 * Each registered rule's severity and options under a configuration. Unknown rule ids and attempts to lower a
 * compiler error are reported (the rule keeps its default).
 */
export function resolveRules(
  config: LintConfig,
  rules: readonly AnyRule[],
  configFile?: SourceFile,
): Result<Map<string, EffectiveRule>> {
  const diagnostics: Diagnostic[] = [];
  const effective = new Map<string, EffectiveRule>();
  for (const rule of rules) {
    effective.set(rule.meta.id, {
      rule,
      severity: rule.meta.defaultSeverity,
      options: { ...(rule.defaultOptions ?? {}) },
    });
  }
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    const target = effective.get(id);
    const span = keySpan(configFile, id);
    if (!target) {
      const help = didYouMean(id, effective.keys(), 'the rule ids are listed in `docs/rules/`');
      diagnostics.push(configError(span, `unknown rule \`${id}\` in the configuration`, help));
      continue;
    }
    const [level, options] = Array.isArray(setting) ? setting : [setting, undefined];
    if (target.rule.meta.covers && level !== 'error') {
      diagnostics.push(
        configError(
          span,
          `rule \`${id}\` reports compiler errors and cannot be set to \`${level}\``,
          'compiler errors always fail the run; remove this entry',
        ),
      );
      continue;
    }
    target.severity = level;
    if (options !== undefined) {
      if (!target.rule.meta.options) {
        diagnostics.push(
          configError(span, `rule \`${id}\` takes no options`, `write \`"${id}": "${level}"\``),
        );
        continue;
      }
      target.options = { ...target.options, ...options };
    }
  }
  return { value: effective, diagnostics };
}

/** Whether `name` matches a pattern where `*` stands for any run of characters (case-sensitive); linear time. */
export function matchesPattern(pattern: string, name: string): boolean {
  return matchesWildcard(pattern, name);
}
