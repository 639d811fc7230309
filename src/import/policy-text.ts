import type { AppPolicyRef, ReusablePolicy } from '../api/types.js';
import { COMPUTED_FIELDS, POLICY_DEFAULTS } from '../deploy/canonical.js';
import { DECISION_DISPLAY, type Decision } from '../model/decision.js';
import { POLICY_SETTINGS } from '../settings/policy-settings.js';
import { bodyText, type ExprContext } from './expr.js';
import { settingsText } from './settings.js';
import { quote } from './text.js';

/** How the import prints one policy: reusable (`policy "…" allow if …`) or inline in its app (`allow "…" if …`). */

export type Warn = (what: string, reason: string) => void;

/** Every line of `text` indented by two spaces (an inline policy inside its app's block). */
export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function decisionKeyword(decision: unknown, warn: Warn): string {
  const d = String(decision);
  if (d in DECISION_DISPLAY) return DECISION_DISPLAY[d as Decision];
  warn('the decision', `\`${d}\` is not a decision aclc knows`);
  return 'deny';
}

function settingsBlock(policy: Record<string, unknown>, ctx: ExprContext, warn: Warn): string {
  const known = new Set([...COMPUTED_FIELDS, 'name', 'decision', 'include', 'exclude', 'require']);
  const lines = settingsText(
    POLICY_SETTINGS,
    policy,
    { idp: ctx.idp, ref: ctx.ref, warn },
    POLICY_DEFAULTS,
    known,
  );
  return lines.length === 0 ? '' : ` {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
}

/** A reusable policy: `<keyword> "<name>" <decision> if <condition> { <settings> }`. */
export function policyText(
  keyword: string,
  name: string,
  p: ReusablePolicy,
  ctx: ExprContext,
  warn: Warn,
): string {
  const rec = p as unknown as Record<string, unknown>;
  return `${keyword} ${quote(name)} ${decisionKeyword(p.decision, warn)} if ${bodyText(p, ctx)}${settingsBlock(rec, ctx, warn)}`;
}

/** An app's own policy: `<decision> "<name>" if <condition> <precedence> { <settings> }`. */
export function inlineText(
  name: string,
  p: AppPolicyRef | ReusablePolicy,
  precedence: string,
  ctx: ExprContext,
  warn: Warn,
): string {
  const rec = p as unknown as Record<string, unknown>;
  return `${decisionKeyword(p.decision, warn)} ${quote(name)} if ${bodyText(rec, ctx)}${precedence}${settingsBlock(rec, ctx, warn)}`;
}
