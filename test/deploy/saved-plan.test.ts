import { describe, expect, it } from 'vitest';
import { Ledger, ownershipOf } from '../../src/deploy/ledger.js';
import { emptyLiveState, type LiveState } from '../../src/deploy/live.js';
import type { Plan } from '../../src/deploy/plan.js';
import { checkPlanOwnership } from '../../src/deploy/saved-plan.js';

/** The ownership rules a saved plan's changes are held to (`checkPlanOwnership`, ACL0875), one reason per rule. */

const A = 'a'.repeat(32);
const account: LiveState = {
  ...emptyLiveState(),
  groups: [{ id: 'g1', name: 'Staff', include: [], exclude: [], require: [] }],
  policies: [{ id: 'p1', name: 'Open', decision: 'allow', include: [], exclude: [], require: [] }],
  apps: [{ id: 'a1', name: 'Wiki', policies: [{ id: 'p9', name: 'Legacy' }] }],
  lists: [{ id: 'l1', name: 'Hooks', type: 'IP' }],
} as unknown as LiveState;
const ledger = new Ledger();
ledger.recordCreated(A, 'group', 'g1', 'Staff', '2025-01-01T00:00:00Z');
ledger.recordCreated(A, 'list', 'l1', 'Hooks', '2025-01-01T00:00:00Z');

const change = (c: Record<string, unknown>) => ({ key: 'k', phase: 0, after: [], diff: [], ...c });
/** The reasons `checkPlanOwnership` gives for a plan of these changes and list changes. */
const reasons = (changes: unknown[], lists: unknown[] = [], prune = true): string[] =>
  checkPlanOwnership(
    { prune, changes, lists } as unknown as Plan,
    account,
    ownershipOf(ledger, A, account),
    'plan.json',
  ).map((d) => {
    expect(d.code).toBe('ACL0875');
    return d.message.replace(/^.*which aclc may not touch: /, '');
  });

describe('saved plan ownership rules', () => {
  it('lets through changes that follow every rule', () => {
    expect(
      reasons(
        [
          change({ action: 'create', kind: 'group', name: 'New', body: { name: 'New' } }),
          change({ action: 'update', kind: 'group', name: 'Staff', id: 'g1', body: { name: 'Staff' } }),
          change({ action: 'delete', kind: 'group', name: 'Staff', id: 'g1' }),
          change({
            action: 'update',
            kind: 'policy',
            name: 'Wiki / Legacy',
            id: 'p9',
            body: { name: 'Wiki / Legacy' },
            convertFromApp: 'a1',
          }),
        ],
        [
          { action: 'create', name: 'New', type: 'IP', items: [] },
          { action: 'update', name: 'Hooks', type: 'IP', id: 'l1', append: [], remove: [], items: [] },
          { action: 'delete', name: 'Hooks', type: 'IP', id: 'l1' },
        ],
      ),
    ).toEqual([]);
  });

  it('gives one reason per rule a group, policy or app change breaks', () => {
    expect(
      reasons([
        change({ action: 'create', kind: 'group', name: 'New', body: { name: 'Other' } }),
        change({ action: 'update', kind: 'group', name: 'Staff', id: 'g1', body: { name: 'Other' } }),
        change({ action: 'update', kind: 'group', name: 'Gone', id: 'g9', body: { name: 'Gone' } }),
        change({ action: 'update', kind: 'group', name: 'Admins', id: 'g1', body: { name: 'Admins' } }),
        change({
          action: 'update',
          kind: 'policy',
          name: 'P',
          id: 'p2',
          body: { name: 'P' },
          convertFromApp: 'a1',
        }),
        change({ action: 'delete', kind: 'policy', name: 'Open', id: 'p1' }),
        change({ action: 'delete', kind: 'app', name: 'Gone', id: 'a9' }),
      ]),
    ).toEqual([
      'its body is named `Other`',
      'its body renames it to `Other`',
      'no such object exists in the account',
      'the object with this id is `Staff`, not the one the plan names',
      'it is not a policy of the app the plan converts it from',
      'aclc did not create it (its id is not in the state ledger)',
      'no such object exists in the account',
    ]);
  });

  it('gives one reason per rule a list change breaks', () => {
    expect(
      reasons(
        [],
        [
          { action: 'update', name: 'Gone', type: 'IP', id: 'l9', append: [], remove: [], items: [] },
          { action: 'update', name: 'Hooks', type: 'EMAIL', id: 'l1', append: [], remove: [], items: [] },
          { action: 'update', name: 'Other', type: 'IP', id: 'l1', append: [], remove: [], items: [] },
          { action: 'delete', name: 'Gone', type: 'IP', id: 'l9' },
        ],
      ),
    ).toEqual([
      'no such list exists in the account',
      'the list with this id holds IP values',
      'the list with this id is `Hooks`, not the one the plan names',
      'no such list exists in the account',
    ]);
  });

  it('refuses every delete of a plan made without --prune; a list that does not exist is reported as such first', () => {
    expect(
      reasons(
        [
          change({ action: 'delete', kind: 'group', name: 'Staff', id: 'g1' }),
          change({ action: 'delete', kind: 'app', name: 'Gone', id: 'a9' }),
        ],
        [
          { action: 'delete', name: 'Hooks', type: 'IP', id: 'l1' },
          { action: 'delete', name: 'Gone', type: 'IP', id: 'l9' },
        ],
        false,
      ),
    ).toEqual([
      'the plan was not made with `--prune`',
      'the plan was not made with `--prune`',
      'the plan was not made with `--prune`',
      'no such list exists in the account',
    ]);
  });

  it('checks a zone-level change in its zone only', () => {
    const zone = { id: 'z1', name: 'example.com' };
    expect(
      reasons([
        change({ action: 'update', kind: 'group', name: 'Staff', id: 'g1', body: { name: 'Staff' }, zone }),
      ]),
    ).toEqual(['no such object exists in the account']);
  });
});
