import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Ref } from '../model/formula.js';
import type { ListDef } from '../model/project.js';
import type { SelectorSpec } from '../selectors/table.js';

/** The list type each list selector takes. */
const LIST_TYPE: Readonly<Record<string, ListDef['type']>> = { ip_list: 'ip', email_list: 'email' };
const TYPE_WORD: Readonly<Record<ListDef['type'], string>> = { ip: 'IP', email: 'email' };

/**
 * An `ip_list("…")` / `email_list("…")` reference by name to a list declared in code: the reference with the list's
 * members, or `undefined` after ACL0761 when the list holds the other type. Other references are returned as they are.
 */
export function bindListRef(
  spec: SelectorSpec,
  ref: Ref,
  lists: ReadonlyMap<string, ListDef> | undefined,
  span: Span,
  diagnostics: Diagnostic[],
): Ref | undefined {
  const expected = LIST_TYPE[ref.kind];
  const list = ref.name !== undefined ? lists?.get(ref.name) : undefined;
  if (!expected || !list) return ref;
  if (list.type !== expected) {
    diagnostics.push(
      diagnostic(
        'ACL0761',
        span,
        {
          selector: spec.name,
          name: list.name,
          actual: TYPE_WORD[list.type],
          expected: TYPE_WORD[expected],
          other: `${list.type}_list`,
        },
        { related: [{ span: list.nameSpan, message: 'declared here' }] },
      ),
    );
    return undefined;
  }
  return { ...ref, members: list.members };
}
