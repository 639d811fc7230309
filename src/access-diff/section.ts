import type { Style } from '../cli/render/human.js';
import type { LiveState } from '../deploy/live.js';
import type { Plan } from '../deploy/plan.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { gateFindings } from './gate.js';
import { planAccessDiff } from './plan.js';
import { renderAccessDiff } from './render.js';
import type { AccessDiff } from './types.js';

export interface SectionOptions {
  style: Style;
  width: number;
  /** `sensitiveApps` of the project's configuration. */
  sensitive: readonly string[];
  failOnWiden?: boolean;
  /** For `apply`: refuse sensitive widenings unless `allowWiden`. */
  apply?: boolean;
  allowWiden?: boolean;
  spanOfApp(name: string): Span;
}

/**
 * The "Access changes" section of `plan` and `apply`: who gains and who loses access if the plan is applied, and
 * the widening gate's findings. Empty when the plan changes nothing. An engine failure is a warning (ACL0892) and
 * the plan goes on without the section.
 */
export function accessChangesSection(
  live: LiveState,
  plan: Plan,
  options: SectionOptions,
): { text: string; diff?: AccessDiff; diagnostics: Diagnostic[] } {
  if (plan.changes.length === 0) return { text: '', diagnostics: [] };
  let diff: AccessDiff;
  try {
    diff = planAccessDiff(live, plan);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      text: '',
      diagnostics: [diagnostic('ACL0892', { file: '<plan>', start: 0, end: 0 }, { app: '*', reason })],
    };
  }
  const text = renderAccessDiff(diff, { format: 'human', width: options.width, style: options.style });
  const diagnostics = gateFindings(diff, {
    sensitive: options.sensitive,
    spanOf: options.spanOfApp,
    ...(options.failOnWiden ? { failOnWiden: true } : {}),
    ...(options.apply ? { apply: true } : {}),
    ...(options.allowWiden ? { allowWiden: true } : {}),
  });
  return { text, diff, diagnostics };
}
