import type { LiveState } from '../deploy/live.js';
import { accountObjects } from '../deploy/resolve.js';
import { bodyText, type ExprContext } from '../import/expr.js';
import { identifierFor, idLiteral, quote } from '../import/text.js';
import { SYNTH_PREFIX } from '../model/compiled.js';
import type { RefKind } from '../model/formula.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';

/** A rule body: the three lists of a group or a policy. */
export interface RuleLists {
  include?: unknown;
  exclude?: unknown;
  require?: unknown;
}

/**
 * Prints conditions of groups and policies, live or planned, in the `.acl` language with names instead of ids. It is
 * the importer's printer (`src/import/expr.ts`) with a context that names account objects as the account has them,
 * `$ref:` placeholders of objects a plan creates by their declared name, and synthesized groups (`aclc~…`) as the
 * condition they stand for, in parentheses, as `aclc import` writes them back.
 */
export class ConditionPrinter {
  private readonly groupsById = new Map<string, { name: string; body: RuleLists }>();
  private readonly idpNames = new Map<string, string>();
  /** Synthesized groups the plan creates, by name. */
  private readonly planned = new Map<string, RuleLists>();
  private readonly inlining = new Set<string>();

  constructor(
    private readonly live: LiveState,
    planned: Iterable<{ name: string; body: RuleLists }> = [],
  ) {
    for (const g of live.groups) this.groupsById.set(g.id, { name: g.name, body: g });
    const taken = new Set<string>();
    for (const i of live.idps ?? []) this.idpNames.set(i.id, identifierFor(i.name, taken));
    for (const g of planned) this.planned.set(g.name, g.body);
  }

  /**
   * The condition of a body, e.g. `email_domain("example.com") and not country("KP")`. Rules the language has no
   * selector for are named after it, so a condition is never shown narrower than it is.
   */
  condition(body: RuleLists): string {
    let unwritable = 0;
    const text = bodyText(
      body,
      this.context(() => unwritable++),
    );
    return unwritable === 0 ? text : `${text} (+ ${unwritable} rule(s) aclc has no selector for)`;
  }

  /** One rule as a selector, e.g. `group("Eng")`. */
  rule(rule: unknown): string {
    const text = bodyText({ include: [rule] }, this.context());
    return text === 'not everyone' ? JSON.stringify(rule) : text;
  }

  private context(onUnwritable: () => void = () => {}): ExprContext {
    const refName = (kind: RefKind, id: string): string | undefined => {
      if (isPlaceholder(id)) return refFromWire(kind, id).name;
      const found = accountObjects(this.live, kind).filter((o) => o.id === id);
      return found.length === 1 ? found[0]?.name : undefined;
    };
    return {
      idp: (id) => this.idpNames.get(id) ?? idLiteral(id),
      ref: (kind, id) => {
        const name = refName(kind, id);
        return name !== undefined ? quote(name) : idLiteral(id);
      },
      group: (id) => {
        const name = isPlaceholder(id) ? refFromWire('group', id).name : this.groupsById.get(id)?.name;
        if (name === undefined) return `group(${idLiteral(id)})`;
        if (name.startsWith(SYNTH_PREFIX) && !this.inlining.has(name)) {
          const body = this.planned.get(name) ?? this.groupsById.get(id)?.body;
          if (body) {
            this.inlining.add(name);
            try {
              return `(${this.condition(body)})`;
            } finally {
              this.inlining.delete(name);
            }
          }
        }
        return `group(${quote(name)})`;
      },
      warn: () => onUnwritable(),
    };
  }
}
