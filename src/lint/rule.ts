import type { Analyzer } from '../analysis/engine.js';
import type { DiagnosticCode } from '../diagnostics/catalog.js';
import type { Diagnostic, Fix, Related, Severity, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { Identity } from '../model/identity.js';
import type { Project } from '../model/project.js';
import type { AstFile } from '../parser/ast.js';
import type { AppOrder } from './order.js';

/** What a rule is about; categories group the docs and the defaults. */
export type RuleCategory = 'correctness' | 'semantics' | 'traps' | 'hygiene';

/** A rule's level in the configuration: a severity, or `off`. */
export type RuleLevel = 'off' | Severity;

/** A JSON Schema (draft 2020-12) for a rule's options object. */
export type OptionsSchema = Record<string, unknown>;

export interface RuleMeta {
  /** Kebab-case id, unique in the catalog namespace; the rule's file, test and doc page share it. */
  id: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** One line: what the rule finds. */
  summary: string;
  /** Whether some of its findings carry a safe fix that `aclc lint --fix` applies. */
  fixable: boolean;
  /** Schema of the options object (`[level, options]` in the config); copied into `schemas/config.schema.json`. */
  options?: OptionsSchema;
  /**
   * Compiler codes this rule shows under its own id. The compiler already detects them; the rule re-emits the
   * compiler's diagnostic (same span, help, related). Such rules are always `error`: compiler errors cannot be
   * turned down.
   */
  covers?: readonly DiagnosticCode[];
  /**
   * Whether the rule analyses conditions (semantic rules do). With compiler errors it sees only the declarations that
   * hold none and use none that do (`src/lint/clean.ts`); the others are named in an `analysis-incomplete` note.
   */
  needsValidProject?: boolean;
}

/** What a rule hands to `report`: the message by id, filled from `data`. */
export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  span: Span;
  related?: Related[];
  witness?: Identity;
  fix?: Fix;
  help?: string;
}

/** Everything a rule may look at, plus `report`. Nothing here touches files or the terminal. */
export interface RuleContext<Options = Record<string, unknown>> {
  /** The resolved project (partial when the compiler found errors). */
  readonly project: Project;
  /** Parsed files of the whole project, in load order. */
  readonly asts: readonly AstFile[];
  /** Source files by path. */
  readonly files: ReadonlyMap<string, SourceFile>;
  /** Diagnostics of parsing and resolving (for rules that re-emit compiler findings). */
  readonly compilerDiagnostics: readonly Diagnostic[];
  /** The rule's options: its defaults overlaid with the configuration. */
  readonly options: Options;
  /** App-name patterns of the configuration's `sensitiveApps`. */
  readonly sensitiveApps: readonly string[];
  /** The analysis engine for this project, created on first use and shared by every rule (and its caches). */
  analyzer(): Analyzer;
  /** Each app's policies in the order Access evaluates them, computed once per run. */
  appOrders(): readonly AppOrder[];
  /** A value computed once per run and shared between rules (e.g. prefix unions of an app's policies). */
  shared<T>(key: string, compute: () => T): T;
  /** Report a finding. */
  report(descriptor: ReportDescriptor): void;
  /** Re-emit a compiler diagnostic under this rule's id (same span, help, related, fix). */
  reemit(diagnostic: Diagnostic, fix?: Fix | null): void;
  /** Note that an analysis gave up on its budget; the run then reports one `analysis-incomplete`. */
  incomplete(span: Span, what: string): void;
}

/** One lint rule: metadata, messages by id, and a check over the project. */
export interface LintRule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  /** Message templates by message id (camelCase); `{name}` placeholders are filled from `data`. */
  messages: Readonly<Record<string, string>>;
  /** Option values used when the configuration gives none. */
  defaultOptions?: Options;
  check(ctx: RuleContext<Options>): void;
}

/** A rule as the registry holds it: options are plain data, checked against `meta.options`. */
export type AnyRule = LintRule<Record<string, unknown>>;

/**
 * Define a rule: `check` sees its options typed; the registry sees a plain rule.
 * INVARIANT: `options` given to `check` are `defaultOptions` overlaid with configuration validated against
 * `meta.options` (through `schemas/config.schema.json`), so they have the shape of `Options`.
 */
export function defineRule<Options extends object = Record<string, unknown>>(
  rule: LintRule<Options>,
): AnyRule {
  return rule as unknown as AnyRule;
}

/** Fill `{name}` placeholders; unknown names are left as written. */
export function fillTemplate(template: string, data: Record<string, string | number> = {}): string {
  const parts = templateParts(template);
  // Joined, not appended: `join` makes one flat string where `+=` would keep a chain of pieces for every message
  // (tens of thousands of findings are held until they are printed).
  const out: string[] = [parts[0] as string];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    out.push(name in data ? String(data[name]) : `{${name}}`, parts[i + 1] as string);
  }
  return out.join('');
}

/** A template split at its placeholders: text, name, text, name, …, text (rules fill the same few many times). */
function templateParts(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (!parts) {
    parts = template.split(/\{([a-zA-Z_]+)\}/);
    splitTemplates.set(template, parts);
  }
  return parts;
}

const splitTemplates = new Map<string, readonly string[]>();
