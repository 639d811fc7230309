import type { AccessApp, AppPolicyRef, ReusablePolicy } from '../api/types.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { CompiledProject } from '../model/compiled.js';
import { refToWire } from '../selectors/wire.js';
import { isLegacyLink, type LiveState, type ManagedKind } from './live.js';
import { sameDomain } from './plan-prune.js';
import type { Change, DeleteChange, Match } from './plan-types.js';

/** Legacy app-scoped policies in a plan, and the checks that need the whole plan. Pure. */

export function findLegacy(
  name: string,
  document: CompiledProject,
  appMatch: Map<string, Match<AccessApp>>,
  reusableIds: ReadonlySet<string>,
): Match<ReusablePolicy> | undefined {
  for (const app of document.apps) {
    if (!app.policies.some((l) => l.id === refToWire({ kind: 'policy', name }))) continue;
    const live = appMatch.get(app.name)?.live;
    // Written at top level (same name) or inline in the app (`<app> / <name>`, see `inlinePolicyName`).
    const entry = live?.policies.find(
      (p) => isLegacyLink(p, reusableIds) && (p.name === name || `${app.name} / ${String(p.name)}` === name),
    );
    if (live && entry) return { live: legacyAsPolicy(entry), legacyApp: live };
  }
  return undefined;
}

/** A legacy app policy entry seen as a reusable policy (for comparison once converted). */
function legacyAsPolicy(entry: AppPolicyRef): ReusablePolicy {
  const { precedence: _precedence, ...rest } = entry;
  return {
    include: [],
    exclude: [],
    require: [],
    ...rest,
    name: String(entry.name ?? ''),
    decision: (entry.decision ?? 'allow') as ReusablePolicy['decision'],
    reusable: true,
  } as ReusablePolicy;
}

export function displayLink(id: string, liveLinks: AppPolicyRef[], names: Map<string, string>): string {
  const m = /^\$ref:policy:(.*)$/s.exec(id);
  if (m) return m[1] as string;
  return names.get(id) ?? liveLinks.find((l) => l.id === id)?.name ?? id;
}

/**
 * Legacy app-scoped policies the code does not adopt stay on their app (an app PUT keeps them): warn, and refuse a
 * precedence they hold.
 */
export function checkLegacy(
  document: CompiledProject,
  appMatch: Map<string, Match<AccessApp>>,
  adopted: ReadonlySet<string | undefined>,
  reusableIds: ReadonlySet<string>,
  declSpan: (kind: ManagedKind, name: string) => Span,
  out: Diagnostic[],
): void {
  for (const app of document.apps) {
    const current = appMatch.get(app.name)?.live;
    if (!current) continue;
    for (const legacy of current.policies.filter((p) => isLegacyLink(p, reusableIds) && !adopted.has(p.id))) {
      const legacyName = String(legacy.name ?? legacy.id);
      out.push(diagnostic('ACL0868', declSpan('app', app.name), { app: app.name, legacy: legacyName }));
      const clash = app.policies.find((l) => l.precedence === legacy.precedence);
      if (clash) {
        const policy = /^\$ref:policy:(.*)$/s.exec(clash.id)?.[1] ?? clash.id;
        out.push(
          diagnostic('ACL0867', declSpan('app', app.name), {
            precedence: clash.precedence,
            policy,
            app: app.name,
            legacy: legacyName,
          }),
        );
      }
    }
  }
}

/** A new app whose domain an app that stays (and that the code does not declare) protects cannot be created. */
export function checkDomains(
  document: CompiledProject,
  live: LiveState,
  appMatch: Map<string, Match<AccessApp>>,
  changes: readonly Change[],
  declSpan: (kind: ManagedKind, name: string) => Span,
  out: Diagnostic[],
): void {
  const declaredApps = new Set([...appMatch.values()].map((m) => m.live?.id).filter(Boolean));
  const deleted = new Set(changes.filter((c) => c.action === 'delete').map((c) => (c as DeleteChange).id));
  for (const app of document.apps) {
    if (appMatch.get(app.name)?.live) continue;
    const other = live.apps.find((a) => !declaredApps.has(a.id) && !deleted.has(a.id) && sameDomain(a, app));
    if (other)
      out.push(
        diagnostic('ACL0863', declSpan('app', app.name), {
          app: app.name,
          domain: app.domain ?? '',
          other: other.name,
        }),
      );
  }
}
