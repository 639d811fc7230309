import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { Formula } from '../model/formula.js';
import type { Project, ZoneRef } from '../model/project.js';
import type { AppDecl, GroupDecl, Setting, Value } from '../parser/ast.js';

/** A zone id as Cloudflare writes it: 32 lower-case hex digits. */
const ZONE_ID = /^[0-9a-f]{32}$/;
/** A zone name: a registered domain, at least two labels (IDNs as punycode), no wildcard. */
const ZONE_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** `zone "example.com"` / `zone id("…")` → a `ZoneRef`, or a diagnostic (ACL0650). */
export function zoneRef(value: Value, diagnostics: Diagnostic[]): ZoneRef | undefined {
  if (value.kind === 'Id') {
    const id = value.value.trim().toLowerCase();
    if (ZONE_ID.test(id)) return { value: id, isId: true, span: value.span };
    diagnostics.push(diagnostic('ACL0650', value.span, { value: `id("${value.value}")` }));
    return undefined;
  }
  if (value.kind === 'String') {
    const name = value.value.trim().toLowerCase().replace(/\.$/, '');
    if (ZONE_NAME.test(name)) return { value: name, isId: false, span: value.span };
    diagnostics.push(diagnostic('ACL0650', value.span, { value: value.value }));
    return undefined;
  }
  const text = 'name' in value ? String(value.name) : 'value' in value ? String(value.value) : 'this value';
  diagnostics.push(diagnostic('ACL0650', value.span, { value: text }));
  return undefined;
}

/** The zone clause of a group, if written (`zone` misspelt: ACL0651). */
export function groupZone(decl: GroupDecl, diagnostics: Diagnostic[]): ZoneRef | undefined {
  if (!decl.zone) return undefined;
  if (decl.zone.keyword.name !== 'zone') {
    diagnostics.push(
      diagnostic('ACL0651', decl.zone.keyword.span, {
        keyword: decl.zone.keyword.name,
        name: decl.name.value,
      }),
    );
    return undefined;
  }
  return zoneRef(decl.zone.value, diagnostics);
}

/** The `zone` line of an app (not a setting of the API body: it says where the app lives), and the other items. */
export function appZone(
  decl: AppDecl,
  diagnostics: Diagnostic[],
): { zone?: ZoneRef; items: AppDecl['items'] } {
  const zones = decl.items.filter((i): i is Setting => i.kind === 'Setting' && i.key.name === 'zone');
  if (zones.length === 0) return { items: decl.items };
  for (const extra of zones.slice(1))
    diagnostics.push(diagnostic('ACL0656', extra.key.span, { app: decl.name.value }));
  const zone = zoneRef((zones[0] as Setting).value, diagnostics);
  const items = decl.items.filter((i) => !zones.includes(i as Setting));
  return zone ? { zone, items } : { items };
}

/** Every `group("…")` a formula names, with where (the whole formula's span when the node has none). */
function groupUses(
  f: Formula,
  at: Span,
  out: { name: string; span: Span }[] = [],
): { name: string; span: Span }[] {
  const span = f.span ?? at;
  if (f.op === 'group') out.push({ name: f.name, span });
  else if (f.op === 'not') groupUses(f.arg, span, out);
  else if (f.op === 'and' || f.op === 'or') for (const a of f.args) groupUses(a, span, out);
  return out;
}

/**
 * The scoping rules the API enforces, checked on the resolved project (so `lint` reports them too): a zone-level
 * app links no reusable policy (ACL0652: reusable policies exist only at account level); a zone-level group is used
 * only by the groups and apps of its own zone (ACL0653 from an account-level object, ACL0654 from another zone).
 */
export function checkZoneScopes(project: Project, diagnostics: Diagnostic[]): void {
  const zoneOfGroup = new Map<string, string>();
  for (const g of project.groups.values()) if (g.zone) zoneOfGroup.set(g.name, g.zone.value);
  const zoneOfApp = new Map<string, string>();
  for (const a of project.apps) if (a.zone) zoneOfApp.set(a.name, a.zone.value);
  if (zoneOfGroup.size === 0 && zoneOfApp.size === 0) return;
  const check = (what: string, name: string, zone: string | undefined, formula: Formula, at: Span): void => {
    for (const use of groupUses(formula, at)) {
      const other = zoneOfGroup.get(use.name);
      if (other === undefined || other === zone) continue;
      if (zone === undefined)
        diagnostics.push(diagnostic('ACL0653', use.span, { what, name, group: use.name, zone: other }));
      else diagnostics.push(diagnostic('ACL0654', use.span, { what, name, zone, group: use.name, other }));
    }
  };
  for (const g of project.groups.values())
    if (g.formula) check('group', g.name, g.zone?.value, g.formula, g.nameSpan);
  for (const p of project.policies.values()) {
    const app = p.inlineIn;
    check(
      app === undefined ? 'policy' : 'app',
      app ?? p.name,
      app && zoneOfApp.get(app),
      p.formula,
      p.exprSpan,
    );
  }
  for (const app of project.apps) {
    if (!app.zone) continue;
    for (const entry of app.policies) {
      if (project.policies.get(entry.policy)?.inlineIn === app.name) continue;
      diagnostics.push(diagnostic('ACL0652', entry.span, { app: app.name, policy: entry.policy }));
    }
    for (const entry of app.externPolicies ?? [])
      diagnostics.push(
        diagnostic('ACL0652', entry.span, {
          app: app.name,
          policy: entry.ref.name ?? `id("${entry.ref.id ?? ''}")`,
        }),
      );
  }
}
