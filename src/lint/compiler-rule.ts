import type { DiagnosticCode } from '../diagnostics/catalog.js';
import type { Diagnostic, Fix } from '../diagnostics/diagnostic.js';
import { type AnyRule, defineRule } from './rule.js';

/** What a correctness rule that shows compiler findings needs to say about itself. */
export interface CompilerRuleSpec {
  id: string;
  summary: string;
  covers: readonly DiagnosticCode[];
  /** Which compiler fixes are safe for `aclc lint --fix`; others are dropped (their help still says what to do). */
  safeFix?: (d: Diagnostic) => boolean;
}

/**
 * A correctness rule whose findings the compiler already makes: it re-emits them under its id, with the compiler's
 * span, message, help and related notes. Always an error.
 */
export function compilerRule(spec: CompilerRuleSpec): AnyRule {
  const covers = new Set<string>(spec.covers);
  return defineRule({
    meta: {
      id: spec.id,
      category: 'correctness',
      defaultSeverity: 'error',
      summary: spec.summary,
      fixable: spec.safeFix !== undefined,
      covers: spec.covers,
    },
    messages: { compiler: '{message}' },
    check(ctx) {
      for (const d of ctx.compilerDiagnostics) {
        if (!covers.has(d.code)) continue;
        const fix: Fix | null = d.fix && spec.safeFix?.(d) ? d.fix : null;
        ctx.reemit(d, fix);
      }
    },
  });
}
