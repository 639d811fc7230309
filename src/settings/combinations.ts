import { diagnostic } from '../diagnostics/catalog.js';
import type { WireSettings } from '../model/project.js';
import type { Setting } from '../parser/ast.js';
import type { FinishContext } from './schema.js';

/** Rules about settings written together, for the tables' `finish` checks. */

/** Report `first` and `second` given together when `first` is `true`. */
export function conflict(
  out: WireSettings,
  ctx: FinishContext,
  first: string,
  firstWire: string,
  second: string,
  reason: string,
): void {
  const a = ctx.written.get(first)?.[0];
  const b = ctx.written.get(second)?.[0];
  if (out[firstWire] !== true || !a || !b) return;
  ctx.diagnostics.push(
    diagnostic(
      'ACL0508',
      b.key.span,
      { first, second, reason },
      { related: [{ span: a.key.span, message: `\`${first}\` is turned on here` }] },
    ),
  );
}

/**
 * Exactly one of `first` and `second`: ACL0508 at `second` when both are written (`reason` says why, `first` is
 * related), ACL0507 at the owner when neither is (`usage` shows how to write it). Returns the two as written.
 */
export function exactlyOne(
  ctx: FinishContext,
  first: string,
  second: string,
  text: { where: string; reason: string; usage: string },
): { first?: Setting; second?: Setting } {
  const a = ctx.written.get(first)?.[0];
  const b = ctx.written.get(second)?.[0];
  if (a && b) {
    ctx.diagnostics.push(
      diagnostic(
        'ACL0508',
        b.key.span,
        { first, second, reason: text.reason },
        { related: [{ span: a.key.span, message: `\`${first}\` given here` }] },
      ),
    );
  } else if (!a && !b) {
    ctx.diagnostics.push(
      diagnostic('ACL0507', ctx.owner.span, {
        where: text.where,
        missing: `\`${first}\` or \`${second}\``,
        usage: text.usage,
      }),
    );
  }
  return { ...(a ? { first: a } : {}), ...(b ? { second: b } : {}) };
}
