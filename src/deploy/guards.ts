import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { WireApp } from '../model/compiled.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';
import { isLegacyLink, type LiveState } from './live.js';
import type { Change } from './plan.js';
import { linkIds } from './refs.js';

/** Which guards the user turned off. */
export interface GuardOptions {
  allowNoPolicy?: boolean;
  allowDetachAll?: boolean;
  allowEveryone?: boolean;
}

const SPAN: Span = { file: '<plan>', start: 0, end: 0 };

interface RuleBody {
  id?: string;
  name?: string;
  decision?: string;
  include?: unknown[];
  exclude?: unknown[];
  require?: unknown[];
}

/** Groups and policies by id (and by `$ref:` placeholder for the ones the plan creates), before or after a plan. */
interface World {
  groups: Map<string, RuleBody>;
  policies: Map<string, RuleBody>;
  apps: Map<string, { name: string; links: string[]; legacy: RuleBody[] }>;
}

function worldBefore(live: LiveState): World {
  const w: World = { groups: new Map(), policies: new Map(), apps: new Map() };
  for (const g of live.groups) w.groups.set(g.id, g);
  for (const p of live.policies) w.policies.set(p.id, p);
  for (const a of live.apps) {
    const reusable = a.policies.filter((l) => !isLegacyLink(l));
    w.apps.set(a.id, {
      name: a.name,
      links: reusable.map((l) => l.id),
      legacy: a.policies.filter((l) => isLegacyLink(l)) as RuleBody[],
    });
  }
  return w;
}

function worldAfter(live: LiveState, changes: readonly Change[]): World {
  const w = worldBefore(live);
  for (const c of changes) {
    const table = c.kind === 'group' ? w.groups : c.kind === 'policy' ? w.policies : undefined;
    const placeholder = `$ref:${c.kind}:${c.name}`;
    if (c.action === 'delete') {
      table?.delete(c.id);
      if (c.kind === 'app') w.apps.delete(c.id);
      continue;
    }
    const id = c.action === 'update' ? c.id : placeholder;
    if (table) table.set(id, c.body as RuleBody);
    if (c.kind === 'policy' && c.action === 'update' && c.convertFromApp) {
      const app = w.apps.get(c.convertFromApp);
      if (app) {
        app.legacy = app.legacy.filter((l) => l.name !== c.name);
        if (!app.links.includes(c.id)) app.links.push(c.id);
      }
    }
    if (c.kind === 'app') {
      const body = c.body as WireApp;
      // An app PUT replaces its links; legacy app-scoped policies stay unless converted (listed as links).
      const links = linkIds(body);
      const legacy = (w.apps.get(id)?.legacy ?? []).filter(
        (l) => l.id === undefined || !links.includes(l.id),
      );
      w.apps.set(id, { name: c.name, links, legacy });
    }
  }
  return w;
}

function hasRule(rules: unknown[] | undefined, key: string): boolean {
  return (rules ?? []).some((r) => typeof r === 'object' && r !== null && key in r);
}

/** Whether a rule body matches every request: `everyone` (or a group that does) included, nothing required or excluded. */
function matchesEveryone(body: RuleBody, w: World, depth = 0): boolean {
  if ((body.require ?? []).length > 0 || (body.exclude ?? []).length > 0) return false;
  if (hasRule(body.include, 'everyone')) return true;
  if (depth > 20) return false;
  return (body.include ?? []).some((r) => {
    const id = (r as { group?: { id?: unknown } }).group?.id;
    if (typeof id !== 'string') return false;
    const g =
      w.groups.get(id) ??
      (isPlaceholder(id) ? w.groups.get(`$ref:group:${refFromWire('group', id).name}`) : undefined);
    return g !== undefined && matchesEveryone(g, w, depth + 1);
  });
}

/** The allow or bypass policy that opens an app to everyone, if any. */
function everyonePolicy(app: { links: string[]; legacy: RuleBody[] }, w: World): RuleBody | undefined {
  const bodies = [
    ...app.links.map((id) => w.policies.get(id)).filter((b): b is RuleBody => b !== undefined),
    ...app.legacy,
  ];
  return bodies.find((b) => (b.decision === 'allow' || b.decision === 'bypass') && matchesEveryone(b, w));
}

/**
 * Lock-out and fail-open checks on the state a plan leads to: an app left with no policy, an app whose current
 * policies are all detached, an app that becomes open to everyone (created open, or widened by an app or policy
 * or group change). Each is an error unless its `allow…` option is set. Pure.
 */
export function checkGuards(
  live: LiveState,
  changes: readonly Change[],
  options: GuardOptions = {},
  spanOfApp: (name: string) => Span = () => SPAN,
): Diagnostic[] {
  const before = worldBefore(live);
  const after = worldAfter(live, changes);
  const out: Diagnostic[] = [];
  const touchedApps = new Set(
    changes
      .filter((c) => c.kind === 'app' && c.action !== 'delete')
      .map((c) => (c.action === 'update' ? c.id : `$ref:app:${c.name}`)),
  );
  for (const [id, app] of after.apps) {
    const old = before.apps.get(id);
    if (touchedApps.has(id)) {
      if (!options.allowNoPolicy && app.links.length + app.legacy.length === 0) {
        out.push(diagnostic('ACL0854', spanOfApp(app.name), { app: app.name }));
        continue;
      }
      if (!options.allowDetachAll && old) {
        const oldIds = [...old.links];
        const oldLegacy = old.legacy.map((l) => l.name ?? '');
        const kept =
          oldIds.some((x) => app.links.includes(x)) ||
          old.legacy.some((l) => app.legacy.includes(l) || (l.id !== undefined && app.links.includes(l.id)));
        if (oldIds.length + oldLegacy.length > 0 && !kept) {
          const names = [
            ...oldIds.map((x) => `\`${before.policies.get(x)?.name ?? x}\``),
            ...oldLegacy.map((n) => `\`${n}\``),
          ];
          out.push(diagnostic('ACL0855', spanOfApp(app.name), { app: app.name, policies: names.join(', ') }));
        }
      }
    }
    if (!options.allowEveryone) {
      const open = everyonePolicy(app, after);
      if (open && !(old && everyonePolicy(old, before))) {
        out.push(
          diagnostic('ACL0856', spanOfApp(app.name), {
            app: app.name,
            decision: open.decision ?? 'allow',
            policy: open.name ?? '',
          }),
        );
      }
    }
  }
  return out;
}
