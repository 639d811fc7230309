import type { KeptList, ListChange } from './lists.js';

const kindOf = (type: string) => (type === 'EMAIL' ? 'email list' : 'IP list');

/**
 * The list changes as plan text (a section of the rendered plan), or `undefined` when there are none: creates,
 * updates with the items they add and remove (a take-over, a change made outside aclc and a pending rename marked),
 * deletes, and the lists aclc created that the code no longer declares.
 */
export function listChangesText(
  changes: readonly ListChange[] | undefined,
  kept: readonly KeptList[] = [],
): string | undefined {
  if ((!changes || changes.length === 0) && kept.length === 0) return undefined;
  const lines = ['Zero Trust lists:'];
  for (const c of changes ?? []) {
    if (c.action === 'create')
      lines.push(
        `  + create ${kindOf(c.type)} "${c.name}" with ${c.items.length} item(s): ${c.items.join(', ')}`,
      );
    else if (c.action === 'delete') lines.push(`  - delete ${kindOf(c.type)} "${c.name}" (id ${c.id})`);
    else {
      const notes: string[] = [];
      if (c.rename !== undefined) notes.push(`renamed from \`${c.rename}\``);
      if (c.adopt)
        notes.push(
          c.legacy
            ? 'marked `managed by aclc` by an earlier aclc, not in the state ledger: taken over only with --adopt'
            : 'made outside aclc: taken over only with --adopt',
        );
      if (c.drift) notes.push('its items changed outside aclc since aclc last applied it');
      lines.push(
        `  ~ update ${kindOf(c.type)} "${c.name}" (id ${c.id})${notes.map((n) => `\n      # ${n}`).join('')}`,
      );
      for (const v of c.append) lines.push(`      + ${v}`);
      for (const v of c.remove) lines.push(`      - ${v}`);
    }
  }
  for (const k of kept)
    lines.push(
      k.reason === 'in-use'
        ? `  ${kindOf(k.type)} "${k.name}" (id ${k.id}) is no longer in the code but is kept: a rule that stays names it`
        : `  ${kindOf(k.type)} "${k.name}" (id ${k.id}) aclc created is no longer in the code; kept (--prune deletes it)`,
    );
  return lines.join('\n');
}

/** `listChangesText` as the plan renderer's sections (none when the plan changes and keeps no list). */
export function listSections(plan: {
  lists?: readonly ListChange[];
  listsKept?: readonly KeptList[];
}): { text: string }[] {
  const text = listChangesText(plan.lists, plan.listsKept);
  return text ? [{ text }] : [];
}

const PAST = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/** The line an apply prints once a list change is done: `list: created IP list "GitHub hooks" (id …)`. */
export function listDoneLine(change: ListChange, id: string): string {
  return `list: ${PAST[change.action]} ${kindOf(change.type)} "${change.name}" (id ${id})`;
}
