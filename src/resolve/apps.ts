import { diagnostic } from '../diagnostics/catalog.js';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Ref } from '../model/formula.js';
import type { AppDef, AppPolicyEntry, ExternPolicyEntry, PolicyDef } from '../model/project.js';
import type { AppDecl, NumberLit, Setting } from '../parser/ast.js';
import { APP_SETTINGS } from '../settings/app-settings.js';
import { resolveSettings } from '../settings/schema.js';
import { duplicate } from './declarations.js';
import { type PolicyScope, resolvePolicy } from './policies.js';
import { isPlaceholder, namesOf, suggest } from './values.js';
import { appZone } from './zones.js';

/** The reusable-policy name of a policy written inline in an app: deterministic, readable in the dashboard. */
export function inlinePolicyName(app: string, policy: string): string {
  // Joined, so the name is one flat string and not a chain of three pieces kept for every policy of the project.
  return [app, policy].join(' / ');
}

function explicitPrecedence(lit: NumberLit | undefined, scope: PolicyScope): number | undefined {
  if (!lit) return undefined;
  if (Number.isInteger(lit.value) && lit.value >= 1) return lit.value;
  scope.diagnostics.push(diagnostic('ACL0415', lit.span, { value: lit.text }));
  return undefined;
}

/**
 * `app "N" { … }` → `AppDef`. Inline policies are added to `policies` under their derived name. Entries are
 * numbered by position unless `precedence N` is written; precedence and policies must be unique per app.
 */
export function resolveApp(
  decl: AppDecl,
  scope: PolicyScope,
  policies: Map<string, PolicyDef>,
  topLevel: ReadonlySet<string>,
): AppDef {
  const app = decl.name.value;
  const zoned = appZone(decl, scope.diagnostics);
  const settings = resolveSettings(
    APP_SETTINGS,
    zoned.items.filter((i): i is Setting => i.kind === 'Setting'),
    scope,
    { name: app, span: decl.name.span },
  );
  const entries: AppPolicyEntry[] = [];
  const externs: ExternPolicyEntry[] = [];
  const byPolicy = new Map<string, Span>();
  const byPrecedence = new Map<number, { span: Span; explicit: boolean }>();
  let position = 0;
  for (const item of decl.items) {
    if (item.kind === 'Setting') continue;
    position++;
    if (isPlaceholder(item.name)) continue; // lost to a syntax error, already reported
    let policy: string;
    let extern: Ref | undefined;
    if (item.kind === 'Use' && item.extern) {
      const named = item.name;
      if (named.kind === 'String' && (topLevel.has(named.value) || policies.has(named.value))) {
        scope.diagnostics.push(diagnostic('ACL0316', named.span, { name: named.value }));
        continue;
      }
      if (named.value.trim() === '') {
        scope.diagnostics.push(
          named.kind === 'Id'
            ? diagnostic('ACL0412', named.span, { value: named.value })
            : diagnostic('ACL0406', named.span, {}, { help: 'name the account policy' }),
        );
        continue;
      }
      extern =
        named.kind === 'Id' ? { kind: 'policy', id: named.value } : { kind: 'policy', name: named.value };
      // Keyed apart from code policies, so `use "X"` and `use extern id("X")` never collide.
      policy = named.kind === 'Id' ? `\u0000id:${named.value}` : `\u0000name:${named.value}`;
    } else if (item.kind === 'Use') {
      if (item.name.kind === 'Id') {
        scope.diagnostics.push(diagnostic('ACL0317', item.name.span, { id: item.name.value }));
        continue;
      }
      policy = item.name.value;
      if (!topLevel.has(policy)) {
        const fallback = `define it with \`policy "${policy}" allow if …\`, or write the policy inside the app`;
        scope.diagnostics.push(
          diagnostic('ACL0304', item.name.span, {
            name: policy,
            suggestion: suggest(policy, namesOf(topLevel), fallback),
          }),
        );
        continue;
      }
    } else {
      policy = inlinePolicyName(app, item.name.value);
      const def = resolvePolicy(item, policy, scope, app);
      const first = policies.get(policy);
      if (item.name.value === '') {
        scope.diagnostics.push(diagnostic('ACL0406', item.name.span, {}, { help: 'give the policy a name' }));
        continue;
      }
      if (first) {
        scope.diagnostics.push(duplicate('policy', policy, item.name.span, first.nameSpan));
        continue;
      }
      policies.set(policy, def);
    }
    const earlier = byPolicy.get(policy);
    if (earlier) {
      scope.diagnostics.push(
        diagnostic(
          'ACL0312',
          item.name.span,
          { app, policy: extern ? (extern.name ?? `id("${extern.id}")`) : policy },
          { related: [{ span: earlier, message: 'first used here' }] },
        ),
      );
      continue;
    }
    byPolicy.set(policy, item.name.span);
    const explicit = explicitPrecedence(item.precedence, scope);
    const precedence = explicit ?? position;
    const precedenceSpan = explicit !== undefined && item.precedence ? item.precedence.span : item.span;
    const clash = byPrecedence.get(precedence);
    if (clash) {
      const message = clash.explicit
        ? `precedence ${precedence} is given here`
        : `this entry has precedence ${precedence} by its position`;
      scope.diagnostics.push(
        diagnostic(
          'ACL0310',
          precedenceSpan,
          { precedence, app },
          { related: [{ span: clash.span, message }] },
        ),
      );
    } else {
      byPrecedence.set(precedence, { span: precedenceSpan, explicit: explicit !== undefined });
    }
    if (extern)
      externs.push({ ref: extern, precedence, explicitPrecedence: explicit !== undefined, span: item.span });
    else entries.push({ policy, precedence, explicitPrecedence: explicit !== undefined, span: item.span });
  }
  const def: AppDef = { name: app, settings, policies: entries, span: decl.span, nameSpan: decl.name.span };
  if (zoned.zone) def.zone = zoned.zone;
  if (externs.length > 0) def.externPolicies = externs;
  return def;
}
