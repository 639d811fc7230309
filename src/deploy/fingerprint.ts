import { createHash } from 'node:crypto';
import { isLockTag } from './account-lock.js';
import {
  canonicalApp,
  canonicalGroup,
  canonicalLinks,
  canonicalPolicy,
  stableStringify,
} from './canonical.js';
import type { LiveState } from './live.js';

const byId = <T extends { id: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * `sha256:<hex>` of the live state in canonical form: every group, reusable policy and app (with its policy links),
 * and the names and ids of the account objects that were read, with the items of the lists whose items were read
 * (`Plan.listItems`). Timestamps and other computed fields do not count, so the fingerprint changes exactly when
 * something a plan depends on changes.
 */
export function fingerprintLive(live: LiveState): string {
  const named = (items: readonly { id: string; name: string }[] | undefined) =>
    items === undefined ? null : byId(items).map((o) => [o.id, o.name]);
  const doc = {
    groups: byId(live.groups).map((g) => [g.id, canonicalGroup(g as unknown as Record<string, unknown>)]),
    policies: byId(live.policies).map((p) => [
      p.id,
      canonicalPolicy(p as unknown as Record<string, unknown>),
    ]),
    apps: byId(live.apps).map((a) => [
      a.id,
      canonicalApp(a as unknown as Record<string, unknown>),
      canonicalLinks(a.policies ?? []),
    ]),
    idps: named(live.idps),
    serviceTokens: named(live.serviceTokens),
    lists:
      live.lists === undefined
        ? null
        : byId(live.lists).map((l) =>
            // Lists whose items were not read keep the form of earlier versions, so their saved plans still apply.
            l.items === undefined
              ? [l.id, l.name, l.type]
              : [l.id, l.name, l.type, [...new Set(l.items.map((i) => i.value))].sort()],
          ),
    postureRules: named(live.postureRules),
    // The account lock's own tags come and go with every apply: they are not something a plan depends on.
    tags:
      live.tags === undefined
        ? null
        : live.tags
            .map((t) => t.name)
            .filter((n) => !isLockTag(n))
            .sort(),
    // Zone-level groups and apps (with their app-scoped policies), only for a project that names zones.
    ...(live.zones === undefined
      ? {}
      : {
          zones: byId(live.zones).map((z) => [
            z.id,
            byId(z.groups).map((g) => [g.id, canonicalGroup(g as unknown as Record<string, unknown>)]),
            byId(z.apps).map((a) => [
              a.id,
              canonicalApp(a as unknown as Record<string, unknown>),
              (a.policies ?? []).map((p) => [
                p.id,
                Number(p.precedence),
                canonicalPolicy(p as unknown as Record<string, unknown>),
              ]),
            ]),
          ]),
        }),
  };
  return `sha256:${createHash('sha256').update(stableStringify(doc)).digest('hex')}`;
}
