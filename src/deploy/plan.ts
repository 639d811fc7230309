import type { AccessApp, AccessGroup, ReusablePolicy } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { SYNTH_PREFIX, type WireApp } from '../model/compiled.js';
import { diffApp, diffGroup, diffPolicy, type FieldChange } from './diff.js';
import { isOwned } from './ledger.js';
import { isLegacyLink, type ManagedKind } from './live.js';
import { checkDomains, checkLegacy, displayLink, findLegacy } from './plan-checks.js';
import { upsertChange } from './plan-fields.js';
import { planDeletes } from './plan-prune.js';
import {
  type Body,
  type Change,
  changeKey,
  type Match,
  NO_SPAN,
  type Plan,
  type PlanInput,
  type PlanSummary,
} from './plan-types.js';
import { groupRefs, policyRefsOfApp } from './refs.js';
import { KIND_NOUN, PlaceholderResolver } from './resolve.js';

export type {
  Body,
  Change,
  DeleteChange,
  Plan,
  PlanInput,
  PlanSummary,
  UpdateChange,
} from './plan-types.js';
export { changeKey } from './plan-types.js';

type Json = Record<string, unknown>;

/**
 * Code → plan. Objects the code declares are matched to live objects by name (an interrupted apply therefore adopts
 * what it created instead of duplicating it); account references resolve to ids; each pair is compared in canonical
 * form; an update sends back every live field aclc does not manage (`plan-fields.ts`), and an app's legacy
 * app-scoped policies with it; undeclared objects are deleted only with `prune` (`plan-prune.ts`). Pure.
 */
export function makePlan(input: PlanInput): { plan: Plan; diagnostics: Diagnostic[] } {
  const { live, document, ownership } = input;
  const diagnostics: Diagnostic[] = [];
  const declSpan = (kind: ManagedKind, name: string): Span =>
    input.declarations?.get(changeKey(kind, name)) ?? NO_SPAN;
  const reusableIds = new Set(live.policies.map((p) => p.id));

  const choose = <T extends { id: string; name: string }>(
    kind: ManagedKind,
    name: string,
    all: T[],
  ): T | undefined => {
    // An object aclc created that still carries its marker name (its rename did not happen) is its declaration's.
    // Only when nothing has the name: another apply may since have created the object under its name, and
    // renaming this one too would make two.
    let candidates = all.filter((o) => o.name === name);
    if (candidates.length === 0) candidates = all.filter((o) => ownership.aliases.get(o.id) === name);
    if (candidates.length <= 1) return candidates[0];
    const owned = candidates.filter((o) => isOwned(ownership, kind, o));
    if (owned.length === 1) return owned[0];
    const [singular, plural] = KIND_NOUN[kind];
    diagnostics.push(
      diagnostic('ACL0852', declSpan(kind, name), {
        count: candidates.length,
        kinds: plural,
        kind: singular,
        name,
      }),
    );
    return undefined;
  };

  const groupMatch = new Map<string, Match<AccessGroup>>();
  for (const g of document.groups) groupMatch.set(g.name, { live: choose('group', g.name, live.groups) });
  const appMatch = new Map<string, Match<AccessApp>>();
  for (const a of document.apps) appMatch.set(a.name, { live: choose('app', a.name, live.apps) });
  const policyMatch = new Map<string, Match<ReusablePolicy>>();
  for (const p of document.policies) {
    const found = choose('policy', p.name, live.policies);
    if (found) {
      policyMatch.set(p.name, { live: found });
      continue;
    }
    // A legacy app-scoped policy of the same name on an app the code declares: convert it, keeping its id.
    const legacy = findLegacy(p.name, document, appMatch, reusableIds);
    policyMatch.set(p.name, legacy ?? {});
  }
  const converted = new Set([...policyMatch.values()].filter((m) => m.legacyApp).map((m) => m.live?.id));

  const resolver = new PlaceholderResolver({
    live,
    managed: {
      group: new Map([...groupMatch].map(([n, m]) => [n, m.live?.id])),
      policy: new Map([...policyMatch].map(([n, m]) => [n, m.live?.id])),
      ...(input.creatingLists ? { lists: input.creatingLists } : {}),
    },
    spans: input.spans,
    fallback: NO_SPAN,
  });

  const changes: Change[] = [];
  const changing = new Set<string>();
  /** The changes an object must wait for: those of the objects it references that change in this plan. */
  const pending = (kind: ManagedKind, names: readonly string[]): string[] =>
    names.map((n) => changeKey(kind, n)).filter((k) => changing.has(k));

  /** Create `body`, or update `current` when the merged body differs from it (or `force`). */
  const upsert = (
    kind: ManagedKind,
    name: string,
    body: Body,
    after: string[],
    current: { id: string } | undefined,
    diffOf: (live: Json, desired: Json) => FieldChange[],
    extra: Partial<Extract<Change, { action: 'update' }>> = {},
    force = false,
  ): void => {
    const synthesized: Partial<Extract<Change, { action: 'update' }>> =
      kind === 'group' && name.startsWith(SYNTH_PREFIX) ? { synthesized: true } : {};
    const change = upsertChange({
      kind,
      name,
      body,
      after,
      current,
      diffOf,
      both: synthesized,
      updateOnly: extra,
      force,
    });
    if (!change) return;
    changes.push(change);
    changing.add(change.key);
  };

  // Groups, in the compiler's dependency order; then policies; then apps.
  for (const desired of document.groups) {
    upsert(
      'group',
      desired.name,
      resolver.resolve(desired),
      pending('group', groupRefs(desired)),
      groupMatch.get(desired.name)?.live,
      diffGroup,
    );
  }
  for (const desired of document.policies) {
    const match = policyMatch.get(desired.name) ?? {};
    upsert(
      'policy',
      desired.name,
      resolver.resolve(desired),
      pending('group', groupRefs(desired)),
      match.live,
      diffPolicy,
      match.legacyApp ? { convertFromApp: match.legacyApp.id } : {},
      match.legacyApp !== undefined,
    );
  }
  const policyNameById = new Map<string, string>();
  for (const p of live.policies) policyNameById.set(p.id, p.name);
  for (const [name, m] of policyMatch) if (m.live) policyNameById.set(m.live.id, name);
  for (const desired of document.apps) {
    const current = appMatch.get(desired.name)?.live;
    const body = resolver.resolve(desired);
    if (current) {
      // Legacy app-scoped policies live inside the app: a `PUT` whose list leaves them out detaches (deletes)
      // them. Those the code does not adopt are sent back as they are, at their precedence.
      const legacy = current.policies.filter((p) => isLegacyLink(p, reusableIds) && !converted.has(p.id));
      if (legacy.length > 0)
        (body as WireApp).policies = [
          ...body.policies,
          ...legacy.map((p) => ({ id: p.id, precedence: Number(p.precedence) })),
        ];
    }
    upsert('app', desired.name, body, pending('policy', policyRefsOfApp(desired)), current, (l, d) =>
      diffApp(l, d, (id) => displayLink(id, current?.policies ?? [], policyNameById)),
    );
  }
  diagnostics.push(...resolver.diagnostics);
  checkLegacy(document, appMatch, converted, reusableIds, declSpan, diagnostics);

  const kept = planDeletes({
    live,
    ownership,
    prune: input.prune,
    changes,
    groupMatch,
    policyMatch,
    appMatch,
  });
  checkDomains(document, live, appMatch, changes, declSpan, diagnostics);

  const summary: PlanSummary = { create: 0, update: 0, delete: 0 };
  for (const c of changes) summary[c.action]++;
  const plan: Plan = {
    format: 'aclc-plan',
    version: 1,
    accountId: input.accountId,
    fingerprint: input.fingerprint,
    prune: input.prune,
    reads: input.reads,
    changes,
    summary,
    kept,
  };
  return { plan, diagnostics };
}
