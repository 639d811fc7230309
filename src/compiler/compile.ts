import { diagnostic, didYouMean } from '../diagnostics/catalog.js';
import type { Diagnostic, Result, Span } from '../diagnostics/diagnostic.js';
import type { CompiledProject, WireApp, WireGroup, WirePolicy } from '../model/compiled.js';
import type { AppDef, GroupDef, PolicyDef, Project, WireSettings } from '../model/project.js';
import { validateApp, validateGroup, validatePolicy } from '../schemas/validate.js';
import { refFromWire, refToWire, type WireRule } from '../selectors/wire.js';
import { sortKeysDeep } from './canonical-json.js';
import { Fitter, type WireBody } from './fit.js';
import { wireLists } from './lists.js';
import { NodeStore } from './normalize.js';
import { orderGroups } from './order.js';
import { assignScopes } from './zones.js';

/** Account limits of Cloudflare Access (developers.cloudflare.com/cloudflare-one/account-limits). */
export const LIMITS = {
  rulesPerObject: 1000,
  apps: 500,
  policies: 500,
  groups: 300,
  nameLength: 350,
} as const;

export interface CompileOptions {
  /** Keep only this app and what it needs (its policies and the groups they use). */
  app?: string;
}

export interface CompileOutput {
  document: CompiledProject;
  /** Names of the groups in `document.groups` that the compiler synthesized (not written in the source). */
  synthesized: string[];
}

/** Span for problems with the command line rather than the source. */
const COMMAND_LINE: Span = { file: '<command line>', start: 0, end: 0 };

const ruleCount = (b: WireBody): number => b.include.length + b.exclude.length + b.require.length;

/** Names of the groups that the `group` rules of a body reference through `$ref:group:<name>`. */
function referencedGroups(body: WireBody): string[] {
  const out: string[] = [];
  for (const rules of [body.include, body.exclude, body.require]) {
    for (let i = 0; i < rules.length; i++) {
      const id = (rules[i] as WireRule).group?.id;
      if (typeof id !== 'string') continue;
      const ref = refFromWire('group', id);
      if (ref.name !== undefined) out.push(ref.name);
    }
  }
  return out;
}

function wireGroup(name: string, body: WireBody): WireGroup {
  return { name, include: body.include, exclude: body.exclude, require: body.require };
}

const POLICY_FIELDS = ['name', 'decision', 'include', 'exclude', 'require'];
const APP_FIELDS = ['name', 'type', 'domain', 'policies'];

function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

function wirePolicy(def: PolicyDef, body: WireBody): WirePolicy {
  // Most policies have no settings: the same object without copying and sorting an empty one.
  if (!hasOwnKeys(def.settings))
    return {
      name: def.name,
      decision: def.decision,
      include: body.include,
      exclude: body.exclude,
      require: body.require,
    };
  const settings = sortKeysDeep(withoutKeys(def.settings, POLICY_FIELDS));
  return {
    name: def.name,
    decision: def.decision,
    include: body.include,
    exclude: body.exclude,
    require: body.require,
    ...(settings as Record<string, unknown>),
  };
}

function wireApp(def: AppDef): WireApp {
  const rest = sortKeysDeep(withoutKeys(def.settings, APP_FIELDS)) as Record<string, unknown>;
  const type = typeof def.settings.type === 'string' ? def.settings.type : 'self_hosted';
  // Apps without a hostname (`saas`, `infrastructure`) carry no `domain`; the API computes its own.
  const domain = typeof def.settings.domain === 'string' ? { domain: def.settings.domain } : {};
  const links = def.policies.map((p) => ({
    id: refToWire({ kind: 'policy', name: p.policy }),
    precedence: p.precedence,
  }));
  // `use extern`: the account's policy, by name (resolved at deploy) or id, at its place in the order.
  for (const e of def.externPolicies ?? []) links.push({ id: refToWire(e.ref), precedence: e.precedence });
  const policies = links.sort((a, b) => a.precedence - b.precedence);
  return { name: def.name, type, ...domain, ...rest, policies } as WireApp;
}

/** Bookmarks take no policies (API schema: the bookmark branch of `access_app_request` has no `policies`). */
function checkBookmarks(apps: readonly AppDef[], diagnostics: Diagnostic[]): void {
  for (const app of apps) {
    if (app.settings.type !== 'bookmark') continue;
    const first = app.policies[0]?.span ?? app.externPolicies?.[0]?.span;
    if (first) diagnostics.push(diagnostic('ACL0623', first, { app: app.name }));
  }
}

function withoutKeys(settings: WireSettings, keys: string[]): WireSettings {
  const out: WireSettings = {};
  for (const k in settings) {
    if (!Object.hasOwn(settings, k)) continue;
    const v = settings[k];
    if (!keys.includes(k) && v !== undefined) out[k] = v;
  }
  return out;
}

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * `items.sort(byName)` for items whose names are all different: the names are sorted by the built-in comparison
 * (UTF-16 code units, as `<` compares), which needs no call back into a comparator for each of the many
 * comparisons of a large project.
 */
function sortByUniqueName<T extends { name: string }>(items: T[]): void {
  const byKey = new Map<string, T>();
  const names: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    byKey.set(item.name, item);
    names[i] = item.name;
  }
  // INVARIANT: unique names (policies are keyed by name); with a duplicate, fall back to the comparator.
  if (byKey.size !== items.length) {
    items.sort(byName);
    return;
  }
  names.sort();
  for (let i = 0; i < names.length; i++) items[i] = byKey.get(names[i] as string) as T;
}

/**
 * Project → the JSON bodies the Cloudflare Access API takes: code-defined groups, reusable policies and apps, plus
 * the groups synthesized for conditions that do not fit one include/require/exclude shape. Deterministic: groups in
 * dependency order (ties by name), policies and apps by name, a fixed key order in every object.
 */
export function compileProject(project: Project, options: CompileOptions = {}): Result<CompileOutput> {
  const diagnostics: Diagnostic[] = [];
  const empty: CompileOutput = { document: { groups: [], policies: [], apps: [] }, synthesized: [] };

  let apps: AppDef[] = [...project.apps];
  if (options.app !== undefined) {
    const app = project.apps.find((a) => a.name === options.app);
    if (!app) {
      const names = project.apps.map((a) => a.name);
      const fallback = names.length
        ? `known apps: ${names.map((n) => `\`${n}\``).join(', ')}`
        : 'the project has no apps';
      diagnostics.push(
        diagnostic('ACL0604', COMMAND_LINE, {
          name: options.app,
          suggestion: didYouMean(options.app, names, fallback),
        }),
      );
      return { value: empty, diagnostics };
    }
    apps = [app];
  }
  apps.sort(byName);

  const policyDefs: PolicyDef[] =
    options.app === undefined
      ? [...project.policies.values()]
      : [
          ...new Set(
            (apps[0] as AppDef).policies
              .map((e) => project.policies.get(e.policy))
              .filter((p): p is PolicyDef => p !== undefined),
          ),
        ];
  sortByUniqueName(policyDefs);

  const store = new NodeStore();
  const fitter = new Fitter(store);
  /** Code-defined groups by name. */
  const groupBodies = new Map<string, { def: GroupDef; body: WireBody }>();
  for (const def of project.groups.values()) {
    if (def.extern || def.formula === undefined) continue;
    groupBodies.set(def.name, { def, body: fitter.body(store.fromFormula(def.formula)) });
  }
  // Bodies at their policy's index in `policyDefs` (no pair object per policy).
  const policyBodies = policyDefs.map((def) => fitter.body(store.fromFormula(def.formula)));

  // Keep what the emitted policies (and, for a whole project, every code-defined group) need. The span of a
  // synthesized group is that of the first definition that needed it.
  const bodies = new Map<string, { body: WireBody; span: Span; synthesized: boolean }>();
  const visit = (name: string, span: Span): void => {
    if (bodies.has(name)) return; // the common case: met before
    const pending: [string, Span][] = [[name, span]];
    while (pending.length > 0) {
      const [n, s] = pending.pop() as [string, Span];
      if (bodies.has(n)) continue;
      const code = groupBodies.get(n);
      const synth = code ? undefined : fitter.synthesized.get(n);
      const body = code?.body ?? synth;
      if (!body) continue; // an extern (account) group
      const own = code ? code.def.nameSpan : s;
      bodies.set(n, { body, span: own, synthesized: !code });
      for (const r of referencedGroups(body)) pending.push([r, code ? code.def.span : s]);
    }
  };
  if (options.app === undefined) for (const { def } of groupBodies.values()) visit(def.name, def.nameSpan);
  for (let i = 0; i < policyDefs.length; i++) {
    const def = policyDefs[i] as PolicyDef;
    for (const r of referencedGroups(policyBodies[i] as WireBody)) visit(r, def.exprSpan);
  }

  const order = orderGroups(new Map([...bodies].map(([n, g]) => [n, referencedGroups(g.body)])));
  const groups = order.map((n) => wireGroup(n, (bodies.get(n) as { body: WireBody }).body));
  const synthesized = order.filter((n) => bodies.get(n)?.synthesized);
  const document: CompiledProject = {
    groups,
    policies: policyDefs.map((def, i) => wirePolicy(def, policyBodies[i] as WireBody)),
    apps: apps.map(wireApp),
  };
  const lists = wireLists(project);
  if (lists) document.lists = lists;
  const scopes = assignScopes({
    project,
    apps,
    groups: order.map((n) => ({ name: n, ...(bodies.get(n) as { body: WireBody; synthesized: boolean }) })),
    policies: policyDefs,
    refs: referencedGroups,
  });
  if (scopes) document.scopes = scopes;

  const spanOfGroup = (name: string): Span => (bodies.get(name) as { span: Span }).span;
  checkBookmarks(apps, diagnostics);
  checkLimits(document, apps, policyDefs, spanOfGroup, diagnostics);
  if (diagnostics.length === 0) checkSchema(document, apps, policyDefs, spanOfGroup, diagnostics);
  return { value: { document, synthesized }, diagnostics };
}

function checkLimits(
  doc: CompiledProject,
  apps: AppDef[],
  policyDefs: PolicyDef[],
  spanOfGroup: (name: string) => Span,
  out: Diagnostic[],
): void {
  const limit = LIMITS.rulesPerObject;
  doc.groups.forEach((g) => {
    const count = ruleCount(g);
    if (count > limit)
      out.push(diagnostic('ACL0601', spanOfGroup(g.name), { what: 'group', name: g.name, count, limit }));
  });
  const rulesOf = new Map<string, number>();
  doc.policies.forEach((p, i) => {
    const def = policyDefs[i] as PolicyDef;
    const count = ruleCount(p);
    if (count > limit)
      out.push(diagnostic('ACL0601', def.nameSpan, { what: 'policy', name: p.name, count, limit }));
    rulesOf.set(p.name, count);
  });
  apps.forEach((app) => {
    const names = new Set<string>();
    for (const e of app.policies) names.add(e.policy);
    let count = 0;
    for (const n of names) count += rulesOf.get(n) ?? 0;
    if (count > limit)
      out.push(diagnostic('ACL0601', app.nameSpan, { what: 'app', name: app.name, count, limit }));
  });

  const over = <T>(items: T[], max: number, what: string, span: (item: T) => Span): void => {
    if (items.length > max)
      out.push(diagnostic('ACL0602', span(items[max] as T), { count: items.length, what, limit: max }));
  };
  over(doc.groups, LIMITS.groups, 'groups', (g) => spanOfGroup(g.name));
  over(policyDefs, LIMITS.policies, 'reusable policies', (p) => p.nameSpan);
  over(apps, LIMITS.apps, 'apps', (a) => a.nameSpan);

  const long = (name: string, span: Span): void => {
    if (name.length > LIMITS.nameLength)
      out.push(diagnostic('ACL0603', span, { name: `${name.slice(0, 40)}…`, limit: LIMITS.nameLength }));
  };
  for (const g of doc.groups) long(g.name, spanOfGroup(g.name));
  for (const p of policyDefs) long(p.name, p.nameSpan);
  for (const a of apps) long(a.name, a.nameSpan);
}

function checkSchema(
  doc: CompiledProject,
  apps: AppDef[],
  policyDefs: PolicyDef[],
  spanOfGroup: (name: string) => Span,
  out: Diagnostic[],
): void {
  const report = (what: string, name: string, span: Span, result: ReturnType<typeof validateGroup>): void => {
    if (!result.valid)
      out.push(diagnostic('ACL0605', span, { what, name, reason: result.errors.join('; ') }));
  };
  for (const g of doc.groups) report('group', g.name, spanOfGroup(g.name), validateGroup(g));
  doc.policies.forEach((p, i) => {
    report('policy', p.name, (policyDefs[i] as PolicyDef).nameSpan, validatePolicy(p));
  });
  doc.apps.forEach((a, i) => {
    report('app', a.name, (apps[i] as AppDef).nameSpan, validateApp(a));
  });
}
