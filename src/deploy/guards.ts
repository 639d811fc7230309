import { type Analyzer, createAnalyzer } from '../analysis/engine.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Related, Span } from '../diagnostics/diagnostic.js';
import { projectGroups } from '../eval/source.js';
import type { WireApp } from '../model/compiled.js';
import type { Project } from '../model/project.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';
import { flattenZones, isLegacyLink, type LiveState } from './live.js';
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
  apps: Map<string, { name: string; type?: unknown; links: string[]; legacy: RuleBody[] }>;
}

function worldBefore(live: LiveState): World {
  const w: World = { groups: new Map(), policies: new Map(), apps: new Map() };
  // Zone-level groups and apps count like the account's (ids are unique); a zone app's policies are all its own.
  const all = flattenZones(live);
  for (const g of all.groups) w.groups.set(g.id, g);
  for (const p of live.policies) w.policies.set(p.id, p);
  for (const a of all.apps) {
    const reusableIds = new Set(live.policies.map((p) => p.id));
    w.apps.set(a.id, {
      name: a.name,
      type: a.type,
      links: a.policies.filter((l) => !isLegacyLink(l, reusableIds)).map((l) => l.id),
      legacy: a.policies.filter((l) => isLegacyLink(l, reusableIds)) as RuleBody[],
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
    if (c.kind === 'app' && c.zone) {
      const body = c.body as WireApp;
      w.apps.set(id, { name: c.name, type: body.type, links: [], legacy: body.policies as RuleBody[] });
    } else if (c.kind === 'app') {
      const body = c.body as WireApp;
      // An app PUT replaces its policy list: the legacy app-scoped policies it lists (plan sends back those the
      // code does not adopt) stay legacy, those it leaves out are detached; converted ones are links by now.
      const listed = linkIds(body);
      const previous = w.apps.get(id)?.legacy ?? [];
      const legacyIds = new Set(previous.map((l) => l.id));
      const legacy = previous.filter((l) => l.id === undefined || listed.includes(l.id));
      w.apps.set(id, {
        name: c.name,
        type: body.type,
        links: listed.filter((l) => !legacyIds.has(l)),
        legacy,
      });
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

/**
 * What the code means by the policies it declares, for the exact "opened to everyone" check: whether a declared
 * policy's condition (its `Formula`, groups expanded) matches every identity, decided by the analysis engine.
 */
export interface PolicySemantics {
  /**
   * For the policy the code declares under this name (its name in the account): the place of its condition when
   * every identity matches it, `false` when some identity does not, `undefined` when the code does not declare it
   * or the engine could not answer (the syntactic check then decides alone).
   */
  matchesEveryone(policyName: string): { span: Span } | false | undefined;
}

/** `PolicySemantics` of a resolved project (pure; one analyzer, built on first use, answers cached by name). */
export function policySemantics(project: Project): PolicySemantics {
  let analyzer: Analyzer | undefined;
  const cache = new Map<string, { span: Span } | false | undefined>();
  return {
    matchesEveryone(name) {
      if (cache.has(name)) return cache.get(name);
      const def = project.policies.get(name);
      let answer: { span: Span } | false | undefined;
      if (def) {
        analyzer ??= createAnalyzer({ groups: projectGroups(project) });
        const valid = analyzer.valid(def.formula);
        answer = valid.result === true ? { span: def.exprSpan } : valid.result === false ? false : undefined;
      }
      cache.set(name, answer);
      return answer;
    },
  };
}

interface OpenPolicy {
  body: RuleBody;
  /** Set when the engine proved that the policy's condition matches every identity. */
  note?: Related;
}

/**
 * The allow or bypass policy that opens an app to everyone, if any: its rules match every request syntactically
 * (`everyone`, directly or through a group, nothing required or excluded), or — for a policy the code declares,
 * when `semantics` is given — its condition matches every identity. Sound and simple: policies evaluated before it
 * (a deny, say) are not taken into account.
 */
function everyonePolicy(
  app: { links: string[]; legacy: RuleBody[] },
  w: World,
  semantics?: PolicySemantics,
): OpenPolicy | undefined {
  const bodies = [
    ...app.links.map((id) => w.policies.get(id)).filter((b): b is RuleBody => b !== undefined),
    ...app.legacy,
  ];
  for (const b of bodies) {
    if (b.decision !== 'allow' && b.decision !== 'bypass') continue;
    const exact = semantics && b.name !== undefined ? semantics.matchesEveryone(b.name) : undefined;
    if (exact) {
      const message = `the condition of ${b.decision} policy \`${b.name}\` matches every identity`;
      return { body: b, note: { span: exact.span, message } };
    }
    if (matchesEveryone(b, w)) return { body: b };
  }
  return undefined;
}

/** JSON with sorted keys. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Rules with every group reference replaced by the group's rules (recursively, bounded). */
function expandGroups(value: unknown, w: World, depth: number): unknown {
  if (Array.isArray(value)) return value.map((v) => expandGroups(v, w, depth));
  if (typeof value !== 'object' || value === null) return value;
  const id = (value as { group?: { id?: unknown } }).group?.id;
  if (typeof id === 'string' && depth < 20) {
    const g =
      w.groups.get(id) ??
      (isPlaceholder(id) ? w.groups.get(`$ref:group:${refFromWire('group', id).name}`) : undefined);
    if (g)
      return {
        group: expandGroups({ include: g.include, exclude: g.exclude, require: g.require }, w, depth + 1),
      };
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, expandGroups(v, w, depth)]),
  );
}

/** Who an app lets in, as data: its policies' decisions and rules, groups expanded. Equal keys, equal access. */
function accessKey(app: { links: string[]; legacy: RuleBody[] }, w: World): string {
  const bodies = [...app.links.map((id) => w.policies.get(id) ?? { id }), ...app.legacy].map((b) =>
    stable(
      expandGroups(
        { decision: b.decision, include: b.include, exclude: b.exclude, require: b.require },
        w,
        0,
      ),
    ),
  );
  return stable(bodies.sort());
}

/**
 * Lock-out and fail-open checks on the state a plan leads to: an app left with no policy, an app whose current
 * policies are all detached, an app that becomes open to everyone (created open, or widened by an app or policy
 * or group change). Each is an error unless its `allow…` option is set. Pure.
 *
 * With `semantics` (the code being deployed, when the plan is made from sources), "open to everyone" is exact for
 * the policies the code declares: an allow or bypass policy whose condition every identity matches (ACL0856 then
 * carries a note naming the policy). An app whose access the plan leaves as it is is never reported.
 */
export function checkGuards(
  live: LiveState,
  changes: readonly Change[],
  options: GuardOptions = {},
  spanOfApp: (name: string) => Span = () => SPAN,
  semantics?: PolicySemantics,
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
      // A bookmark takes no policies (API schema: the bookmark branch of `access_app_request`): none locks no one out.
      const bookmark = app.type === 'bookmark';
      if (!options.allowNoPolicy && !bookmark && app.links.length + app.legacy.length === 0) {
        out.push(diagnostic('ACL0854', spanOfApp(app.name), { app: app.name }));
        continue;
      }
      if (!options.allowDetachAll && old) {
        const oldIds = [...old.links];
        const oldLegacy = old.legacy.map((l) => l.name ?? '');
        const kept =
          oldIds.some((x) => app.links.includes(x)) ||
          old.legacy.some(
            (l) =>
              app.legacy.includes(l) ||
              (l.id !== undefined && app.links.includes(l.id)) ||
              // A zone app's own policies are sent back with their ids (updated in place).
              (l.id !== undefined && app.legacy.some((n) => n.id === l.id)),
          );
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
      const open = everyonePolicy(app, after, semantics);
      const unchanged = old !== undefined && accessKey(old, before) === accessKey(app, after);
      if (open && !unchanged && !(old && everyonePolicy(old, before))) {
        out.push(
          diagnostic(
            'ACL0856',
            spanOfApp(app.name),
            {
              app: app.name,
              decision: open.body.decision ?? 'allow',
              policy: open.body.name ?? '',
            },
            open.note ? { related: [open.note] } : {},
          ),
        );
      }
    }
  }
  return out;
}
