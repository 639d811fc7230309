import {
  type Analyzer,
  type AnalyzerBudget,
  type AnalyzerStats,
  createAnalyzer,
} from '../analysis/engine.js';
import { CATALOG, didYouMean } from '../diagnostics/catalog.js';
import type { Diagnostic, Fix, Result, Span } from '../diagnostics/diagnostic.js';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { breakLength } from '../diagnostics/lines.js';
import type { SourceFile } from '../diagnostics/source.js';
import { projectGroups } from '../eval/source.js';
import type { Formula } from '../model/formula.js';
import type { Project } from '../model/project.js';
import type { AstFile } from '../parser/ast.js';
import { errorFreePart, type Skipped } from './clean.js';
import { type EffectiveRule, type LintConfig, resolveRules } from './config.js';
import { DIRECTIVE_NAMES } from './directive.js';
import { type AppOrder, appOrders } from './order.js';
import { type AnyRule, fillTemplate, type ReportDescriptor, type RuleContext } from './rule.js';
import { RULES } from './rules/index.js';
import {
  DIRECTIVES,
  parseSuppressions,
  type Suppression,
  SuppressionIndex,
  type UnknownDirective,
} from './suppress.js';
import { append } from './walk.js';

/** A parsed and resolved project, and which of its files to report on. */
export interface LintInput {
  /** Every source file of the project. */
  files: readonly SourceFile[];
  /** Their syntax trees (same order; a file that failed to parse still has a partial tree). */
  asts: readonly AstFile[];
  /** The resolved project. */
  project: Project;
  /** Diagnostics of parsing and resolving. */
  diagnostics: readonly Diagnostic[];
  /** Report findings only in these files (by path); all files when absent. */
  only?: ReadonlySet<string>;
  /** The configuration file the config came from, to place configuration diagnostics. */
  configFile?: SourceFile;
}

/** Knobs for tests and benchmarks. */
export interface LintOptions {
  /** The rules to run (default: every registered rule). */
  rules?: readonly AnyRule[];
  /** Budget of the analysis engine. */
  budget?: AnalyzerBudget;
  /** Receives the engine's work counters at the end of the run (for `npm run bench`). */
  onStats?: (stats: AnalyzerStats) => void;
}

/**
 * BDD steps one lint run may spend on all its questions (about 100 ns each, so a few seconds): past it the remaining
 * semantic checks are skipped and counted in the `analysis-incomplete` note, whatever the size of the input.
 */
export const LINT_TOTAL_STEPS = 50_000_000;

const META_RULES = {
  incomplete: 'analysis-incomplete',
  unused: 'unused-suppression',
  invalid: 'invalid-suppression',
};

/**
 * Lint one project: compiler diagnostics (those a correctness rule covers shown under its id), every enabled rule,
 * then inline suppressions and configured severities. Pure: no files, no terminal, never throws on bad input.
 */
export function lintProject(
  input: LintInput,
  config: LintConfig = {},
  options: LintOptions = {},
): Result<void> {
  const rules = options.rules ?? RULES;
  const resolved = resolveRules(config, rules, input.configFile);
  const effective = resolved.value;
  const files = new Map(input.files.map((f) => [f.path, f]));
  const compilerErrors = hasErrors(input.diagnostics);

  const covered = new Map<string, EffectiveRule>();
  for (const e of effective.values()) for (const code of e.rule.meta.covers ?? []) covered.set(code, e);

  const found: Diagnostic[] = input.diagnostics.filter((d) => !covered.has(d.code));
  const incomplete: { span: Span; what: string }[] = [];
  // With compiler errors, semantic rules see the declarations that hold none and use none that do.
  const part = compilerErrors
    ? errorFreePart(input.project, input.diagnostics)
    : { project: input.project, skipped: [] as Skipped[] };
  const sharedValues = new Map<string, unknown>();
  const sharedFull = new Map<string, unknown>();
  let analyzer: Analyzer | undefined;
  let orders: AppOrder[] | undefined;
  const getAnalyzer = (): Analyzer => {
    analyzer ??= createAnalyzer({
      groups: projectGroups(part.project),
      budget: { totalSteps: LINT_TOTAL_STEPS, ...options.budget },
      sizeFor: projectFormulas(part.project),
    });
    return analyzer;
  };

  for (const e of effective.values()) {
    const { rule } = e;
    if (e.severity === 'off' && !rule.meta.covers) continue;
    const severity = rule.meta.covers ? 'error' : e.severity === 'off' ? 'info' : e.severity;
    const semantic = rule.meta.needsValidProject === true;
    const values = semantic ? sharedValues : sharedFull;
    const ctx: RuleContext<Record<string, unknown>> = {
      project: semantic ? part.project : input.project,
      asts: input.asts,
      files,
      compilerDiagnostics: input.diagnostics,
      options: e.options,
      sensitiveApps: config.sensitiveApps ?? [],
      analyzer: getAnalyzer,
      appOrders: () => {
        orders ??= appOrders(part.project);
        return orders;
      },
      shared: <T>(key: string, compute: () => T): T => {
        let value = values.get(key) as T | undefined;
        if (value === undefined && !values.has(key)) {
          value = compute();
          values.set(key, value);
        }
        return value as T;
      },
      report: (r: ReportDescriptor) => found.push(fromDescriptor(rule, severity, r)),
      reemit: (d: Diagnostic, fix?: Fix | null) => {
        // The compiler's code stays: `ACL0302` is named `undefined-reference` by every renderer (diagnostics/rules.ts).
        const copy: Diagnostic = { ...d, severity: 'error' };
        if (fix === null) delete copy.fix;
        else if (fix) copy.fix = fix;
        found.push(copy);
      },
      incomplete: (span, what) => incomplete.push({ span, what }),
    };
    rule.check(ctx);
  }

  if (analyzer && options.onStats) options.onStats(analyzer.stats());
  const first = incomplete[0];
  const incompleteRule = effective.get(META_RULES.incomplete);
  if (first && incompleteRule && incompleteRule.severity !== 'off') {
    found.push({
      code: META_RULES.incomplete,
      severity: incompleteRule.severity,
      message: `analysis gave up on its budget for ${first.what}${incomplete.length > 1 ? ` and ${incomplete.length - 1} more check(s)` : ''}`,
      span: first.span,
      help: 'split large apps or groups; the findings reported are still exact, but some checks were skipped',
    });
  }

  const only = input.only;
  const anySemantic = [...effective.values()].some(
    (e) => e.rule.meta.needsValidProject && e.severity !== 'off',
  );
  if (part.skipped.length > 0 && anySemantic && incompleteRule && incompleteRule.severity !== 'off') {
    for (const note of skippedNotes(part.skipped))
      found.push({ code: META_RULES.incomplete, severity: incompleteRule.severity, ...note });
  }

  const inScope = (span: Span) => !only || only.has(span.file);
  const reported = applySuppressions(
    found.filter((d) => inScope(d.span)),
    input,
    effective,
    covered,
  );
  return { value: undefined, diagnostics: sortDiagnostics([...resolved.diagnostics, ...reported]) };
}

/** Every condition of a project (groups, then policies): what the semantic rules ask about. */
function* projectFormulas(project: Project): Iterable<Formula> {
  for (const g of project.groups.values()) if (g.formula) yield g.formula;
  for (const p of project.policies.values()) yield p.formula;
}

/** One note per file: which declarations the semantic rules left out, and why. */
function skippedNotes(skipped: readonly Skipped[]): Omit<Diagnostic, 'code' | 'severity'>[] {
  const byFile = new Map<string, Skipped[]>();
  for (const s of skipped) append(byFile, s.span.file, s);
  return [...byFile.values()].map((list) => {
    const shown = list.slice(0, 5).map((s) => `${s.what} (${s.why})`);
    const more = list.length > 5 ? `, and ${list.length - 5} more` : '';
    return {
      message: `semantic checks skipped for ${list.length} declaration${list.length > 1 ? 's' : ''} with errors or using one: ${shown.join(', ')}${more}`,
      span: (list[0] as Skipped).span,
      help: 'fix the errors to check them too (lint the whole folder to see those reported in other files); every other declaration was checked',
    };
  });
}

/**
 * The same text, made one flat string: a string built with `+` or a template is a chain of its pieces until it is
 * read, and reading a character makes V8 flatten it in place (tens of thousands of findings are held until printed).
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

function fromDescriptor(rule: AnyRule, severity: Diagnostic['severity'], r: ReportDescriptor): Diagnostic {
  const template = rule.messages[r.messageId];
  // INVARIANT: message ids are checked by each rule's table test; an unknown id still yields a readable message.
  const d: Diagnostic = {
    code: rule.meta.id,
    severity,
    message: template === undefined ? r.messageId : fillTemplate(template, r.data),
    span: r.span,
  };
  if (r.help) d.help = flat(r.help);
  if (r.related?.length) d.related = r.related.map((n) => ({ span: n.span, message: flat(n.message) }));
  if (r.fix) d.fix = r.fix;
  if (r.witness) d.witness = r.witness;
  return d;
}

/** Drop suppressed findings; report suppressions without a reason, with unknown ids, or that match nothing. */
function applySuppressions(
  found: Diagnostic[],
  input: LintInput,
  effective: ReadonlyMap<string, EffectiveRule>,
  covered: ReadonlyMap<string, EffectiveRule>,
): Diagnostic[] {
  const files = new Map(input.files.map((f) => [f.path, f]));
  const suppressions: Suppression[] = [];
  const unknown: UnknownDirective[] = [];
  for (const ast of input.asts) {
    const file = files.get(ast.span.file);
    if (!file || (input.only && !input.only.has(file.path))) continue;
    const parsed = parseSuppressions(ast, file);
    suppressions.push(...parsed.suppressions);
    unknown.push(...parsed.unknown);
  }
  if (suppressions.length === 0 && unknown.length === 0) return found;

  // Suppressions by file and rule id, so each finding looks only at the ones that name its rule, by what they cover.
  const byRule = new Map<string, { s: Suppression; i: number }[]>();
  for (const s of suppressions) {
    s.ids.forEach((x, i) => {
      const key = `${s.span.file}\0${x.id}`;
      append(byRule, key, { s, i });
    });
  }
  const indexes = new Map([...byRule].map(([key, list]) => [key, new SuppressionIndex(list)]));
  const used = new Set<string>();
  const idKey = (s: Suppression, i: number) => `${s.span.file}:${s.span.start}:${i}`;
  const suppressible = (id: string) => effective.has(id) && !effective.get(id)?.rule.meta.covers;
  const kept = found.filter((d) => {
    if (!suppressible(d.code)) return true;
    const index = indexes.get(`${d.span.file}\0${d.code}`);
    if (!index) return true;
    const hits = index.covering(d.span.start);
    for (const { s, i } of hits) used.add(idKey(s, i));
    return hits.length === 0;
  });

  const meta: Diagnostic[] = [];
  const push = (id: string, d: Omit<Diagnostic, 'code' | 'severity'>) => {
    const level = effective.get(id)?.severity;
    if (level && level !== 'off') meta.push({ code: id, severity: level, ...d });
  };
  for (const u of unknown) {
    push(META_RULES.invalid, {
      message: `unknown directive \`${u.word}\``,
      span: u.span,
      help: didYouMean(
        u.word,
        DIRECTIVE_NAMES,
        `aclc reads ${DIRECTIVE_NAMES.map((n) => `\`${n}\``).join(', ')}; write \`# ${DIRECTIVES.nextLine} <rule-id> -- <reason>\``,
      ),
    });
  }
  for (const s of suppressions) {
    const directive = FORM_DIRECTIVE[s.form];
    if (s.ids.length === 0) {
      push(META_RULES.invalid, {
        message: 'suppression names no rule',
        span: s.span,
        help: `write \`# ${directive} <rule-id> -- <reason>\``,
      });
      continue;
    }
    if (s.reason === undefined) {
      push(META_RULES.invalid, {
        message: `suppression of ${s.ids.map((x) => `\`${x.id}\``).join(', ')} gives no reason`,
        span: s.span,
        help: 'add ` -- <why this is fine>` after the rule ids',
      });
    }
    const unused: number[] = [];
    s.ids.forEach((x, i) => {
      if (Object.hasOwn(CATALOG, x.id) || covered.get(x.id) || effective.get(x.id)?.rule.meta.covers) {
        push(META_RULES.invalid, {
          message: `\`${x.id}\` is a compiler error and cannot be suppressed`,
          span: x.span,
          help: 'fix the error instead',
        });
      } else if (!effective.has(x.id)) {
        push(META_RULES.invalid, {
          message: `unknown rule \`${x.id}\` in suppression`,
          span: x.span,
          help: didYouMean(x.id, effective.keys(), 'the rule ids are listed in `docs/rules/`'),
        });
      } else if (!used.has(idKey(s, i))) unused.push(i);
    });
    for (const i of unused) {
      const x = s.ids[i] as Suppression['ids'][number];
      const d: Omit<Diagnostic, 'code' | 'severity'> = {
        message: `suppression of \`${x.id}\` matches no finding ${WHERE[s.form]}`,
        span: x.span,
        help: unusedHelp(s),
      };
      const fix = removalFix(s, unused, files);
      if (fix) d.fix = fix;
      push(META_RULES.unused, d);
    }
  }
  return [...kept, ...meta];
}

const FORM_DIRECTIVE: Readonly<Record<Suppression['form'], string>> = {
  'next-line': DIRECTIVES.nextLine,
  line: DIRECTIVES.line,
  file: DIRECTIVES.file,
};

const WHERE: Readonly<Record<Suppression['form'], string>> = {
  // One wording for both line forms: the formatter turns a same-line suppression it moves into a next-line one.
  'next-line': 'where it applies',
  line: 'where it applies',
  file: 'in this file',
};

function unusedHelp(s: Suppression): string {
  if (s.scope !== null) return 'remove it';
  if (s.form === 'line')
    return `\`${DIRECTIVES.line}\` goes at the end of the line it suppresses; above a line, write \`${DIRECTIVES.nextLine}\``;
  return `\`${DIRECTIVES.nextLine}\` goes on the line above a declaration, app item or setting; remove it or move it there`;
}

/** When every id of a comment is unused, a fix deletes the comment (its whole line when it stands alone). */
function removalFix(
  s: Suppression,
  unused: readonly number[],
  files: ReadonlyMap<string, SourceFile>,
): Fix | undefined {
  if (unused.length !== s.ids.length) return undefined;
  const file = files.get(s.span.file);
  if (!file) return undefined;
  const line = file.position(s.span.start).line;
  const lineStart = file.starts()[line - 1] ?? 0;
  if (s.trailing) {
    let start = s.span.start;
    while (start > lineStart && /[ \t]/.test(file.text[start - 1] as string)) start--;
    return {
      description: 'remove the unused suppression',
      edits: [{ span: { file: file.path, start, end: s.span.end }, text: '' }],
    };
  }
  const lineEnd = lineStart + file.lineText(line).length;
  const end = lineEnd + breakLength(file.text, lineEnd);
  return {
    description: 'remove the unused suppression',
    edits: [{ span: { file: file.path, start: lineStart, end }, text: '' }],
  };
}
