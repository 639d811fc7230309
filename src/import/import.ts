import type { AccessApp, AccessGroup, ReusablePolicy } from '../api/types.js';
import { flattenZones, isLegacyLink, type LiveState } from '../deploy/live.js';
import { groupRefs } from '../deploy/refs.js';
import { accountObjects } from '../deploy/resolve.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { formatSource } from '../fmt/print.js';
import { SYNTH_PREFIX } from '../model/compiled.js';
import type { RefKind } from '../model/formula.js';
import { inlinePolicyName } from '../resolve/apps.js';
import { APP_TYPES as LANGUAGE_APP_TYPES } from '../settings/app-types.js';
import { appTypeLines, missingForType } from './app-type.js';
import { bodyText, type ExprContext } from './expr.js';
import { idpDeclarations } from './idps.js';
import { listLines } from './lists.js';
import { indent, inlineText, policyText } from './policy-text.js';
import { idLiteral, quote } from './text.js';
import { zoneClauses } from './zones.js';

/** One file `aclc import` writes. */
export interface ImportedFile {
  name: string;
  text: string;
}

export interface ImportSummary {
  idps: number;
  groups: number;
  policies: number;
  apps: number;
  /** Legacy app-scoped policies written as inline policies (converted to reusable ones by the next apply). */
  legacy: number;
}

/** App types the language writes. */
export const APP_TYPES: ReadonlySet<string> = new Set(LANGUAGE_APP_TYPES);

/** Whether the import writes this app: a type the language has, with what that type needs. */
export function importsApp(app: { type?: unknown }): boolean {
  const type = typeof app.type === 'string' ? app.type : 'self_hosted';
  return APP_TYPES.has(type) && missingForType(app as AccessApp, type) === undefined;
}
const HEADER = '# Imported from the Cloudflare account by `aclc import`.\n';
const SPAN = { file: '<account>', start: 0, end: 0 };

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * Account → `.acl` files that compile back to an equivalent configuration: `idps.acl` (the identity providers the
 * rules use), `groups.acl`, `policies.acl` (reusable policies shared by several apps, or named freely) and
 * `apps.acl` (each app with its settings and policies; a policy only one app uses and named `<app> / <name>` is
 * written inline, as are legacy app-scoped policies). Account objects are referred to by name. Synthesized groups
 * (`aclc~…`) are written back into the conditions that use them. Pure.
 */
export function importAccount(
  account: LiveState,
  options: {
    header?: string;
    /** Reusable policies the account does not hold, linked by id (`use extern id("…")`) rather than dropped. */
    externPolicies?: ReadonlySet<string>;
    /** Lists declared in code even though no Access rule names them (a Terraform configuration's managed lists). */
    declareLists?: ReadonlySet<string>;
  } = {},
): Result<{ files: ImportedFile[]; summary: ImportSummary }> {
  // Zone-level groups and apps are written like the account's, with their zone (`zones.ts`).
  const zoneOf = zoneClauses(account);
  const live = flattenZones(account);
  const header = options.header ?? HEADER;
  const diagnostics: Diagnostic[] = [];
  let owner = 'the account';
  const warn = (
    what: string,
    reason: string,
    help = 'write it by hand, or keep managing it in the dashboard',
  ) => diagnostics.push(diagnostic('ACL0864', SPAN, { what, owner, reason, help }));

  // Identity providers, declared on first use.
  const idps = idpDeclarations(live.idps ?? []);
  const idpIdent = idps.ident;
  const ref = (kind: RefKind, id: string): string => {
    const objects = accountObjects(live, kind);
    const found = objects.find((o) => o.id === id);
    if (found && objects.filter((o) => o.name === found.name).length === 1) return quote(found.name);
    return idLiteral(id);
  };

  // Groups: synthesized ones are inlined. aclc manages a group by its name, so a name several groups share is
  // managed for none of them: each is left as it is in the account and conditions refer to it by id.
  const groupsById = new Map(live.groups.map((g) => [g.id, g]));
  const groupNames = countNames(live.groups);
  const written = new Map<string, AccessGroup>();
  for (const g of [...live.groups].sort(byName)) {
    if (g.name.startsWith(SYNTH_PREFIX)) continue;
    if ((groupNames.get(g.name) ?? 0) > 1) {
      owner = `group \`${g.name}\` (${g.id})`;
      warn(
        'the group',
        `${groupNames.get(g.name)} groups are named \`${g.name}\`, and aclc manages a group by its name; conditions refer to this one by id (\`group(id("${g.id}"))\`) and it stays as it is in the account`,
        'rename one of them in the dashboard and import again to manage them as code',
      );
      continue;
    }
    written.set(g.name, g);
  }
  const inlining = new Set<string>();
  const ctx: ExprContext = {
    idp: idpIdent,
    ref,
    warn: (what, reason) => warn(what, reason),
    group: (id) => {
      const g = groupsById.get(id);
      if (g?.name.startsWith(SYNTH_PREFIX) && !inlining.has(id)) {
        inlining.add(id);
        const text = `(${bodyText(g, ctx)})`;
        inlining.delete(id);
        return text;
      }
      if (g && written.get(g.name) === g) return `group(${quote(g.name)})`;
      return `group(${idLiteral(id)})`;
    },
  };

  const groupLines: string[] = [];
  for (const g of orderGroups([...written.values()])) {
    owner = `group \`${g.name}\``;
    const zone = zoneOf.get(g.id);
    groupLines.push(`group ${quote(g.name)}${zone ? ` in zone ${zone}` : ''} = ${bodyText(g, ctx)}`);
  }

  // Policies: inline when one app uses it under the name `<app> / <name>`, else top level.
  const users = new Map<string, AccessApp[]>();
  const reusableIds = new Set(live.policies.map((p) => p.id));
  for (const app of live.apps)
    for (const link of app.policies)
      if (!isLegacyLink(link, reusableIds)) users.set(link.id, [...(users.get(link.id) ?? []), app]);
  // As with groups, a name several reusable policies share is managed for none of them: apps attach each with
  // `use extern id("…")`, which links it by id and leaves it as it is (never one policy for the other).
  const policyNameCount = countNames(live.policies);
  const shared = (p: ReusablePolicy): boolean => (policyNameCount.get(p.name) ?? 0) > 1;
  const inlineIn = new Map<string, { app: AccessApp; name: string }>();
  for (const p of live.policies) {
    if (shared(p)) continue;
    const apps = users.get(p.id) ?? [];
    const app = apps[0];
    if (apps.length === 1 && app) {
      const prefix = inlinePolicyName(app.name, '');
      if (p.name.startsWith(prefix) && p.name.length > prefix.length)
        inlineIn.set(p.id, { app, name: p.name.slice(prefix.length) });
    }
  }
  const policyLines: string[] = [];
  const policyNames = new Set<string>();
  for (const p of [...live.policies].sort(byName)) {
    if (inlineIn.has(p.id)) continue;
    owner = `policy \`${p.name}\``;
    if (shared(p)) {
      owner = `policy \`${p.name}\` (${p.id})`;
      warn(
        'the policy',
        `${policyNameCount.get(p.name)} reusable policies are named \`${p.name}\`, and aclc manages a policy by its name; apps attach this one with \`use extern id("${p.id}")\` and it stays as it is in the account`,
        'rename one of them in the dashboard and import again to manage them as code',
      );
      continue;
    }
    policyNames.add(p.name);
    policyLines.push(policyText('policy', p.name, p, ctx, warn));
  }

  // Apps.
  const appLines: string[] = [];
  let legacyCount = 0;
  let appCount = 0;
  const appNames = new Set<string>();
  for (const app of [...live.apps].sort(byName)) {
    owner = `app \`${app.name}\``;
    const type = typeof app.type === 'string' ? app.type : 'self_hosted';
    if (!APP_TYPES.has(type)) {
      warn(
        'the app',
        `apps of type \`${type}\` are not supported by aclc`,
        'keep managing it in the dashboard',
      );
      continue;
    }
    const missing = missingForType(app, type);
    if (missing !== undefined) {
      warn('the app', `apps of type \`${type}\` need \`${missing}\`, which the account does not give`);
      continue;
    }
    if (appNames.has(app.name)) {
      warn('a duplicate', `another app has the same name; this one (${app.id}) is not imported`);
      continue;
    }
    appNames.add(app.name);
    appCount++;
    const lines = [`app ${quote(app.name)} {`];
    const zone = zoneOf.get(app.id);
    if (zone) lines.push(`  zone ${zone}`);
    const typed = appTypeLines(app, type, { idp: idpIdent, ref, warn });
    lines.push(...typed.map((s) => `  ${s}`));
    const entries = [...app.policies].sort((a, b) => Number(a.precedence) - Number(b.precedence));
    const linked = new Set<string>();
    const inlineNames = new Set<string>(
      [...inlineIn.values()].filter((v) => v.app === app).map((v) => v.name),
    );
    entries.forEach((entry, i) => {
      if (linked.has(entry.id)) {
        owner = `app \`${app.name}\``;
        warn(`policy link \`${entry.id}\``, 'the app links the policy twice; the first link is kept');
        return;
      }
      linked.add(entry.id);
      const precedence = Number(entry.precedence) === i + 1 ? '' : ` precedence ${Number(entry.precedence)}`;
      if (isLegacyLink(entry, reusableIds)) {
        // A zone app's policies are its own by design (no reusable policies in a zone), not legacy ones.
        if (!zone) legacyCount++;
        owner = `app \`${app.name}\``;
        // Inline names are unique per app; a legacy policy becomes a reusable one on the next apply anyway.
        const base = String(entry.name ?? entry.id);
        let name = base;
        for (let n = 2; inlineNames.has(name); n++) name = `${base} (${n})`;
        if (name !== base)
          warn(
            `legacy policy \`${base}\` (${entry.id})`,
            `another policy of the app has that name; it is written as \`${name}\``,
          );
        inlineNames.add(name);
        lines.push(indent(inlineText(name, entry, precedence, ctx, warn)));
        return;
      }
      const inline = inlineIn.get(entry.id);
      const policy = live.policies.find((p) => p.id === entry.id);
      if (inline && policy) {
        lines.push(indent(inlineText(inline.name, policy, precedence, ctx, warn)));
      } else if (policy && shared(policy)) {
        lines.push(`  use extern ${idLiteral(policy.id)}${precedence}`);
      } else if (policy && policyNames.has(policy.name)) {
        lines.push(`  use ${quote(policy.name)}${precedence}`);
      } else if (!policy && options.externPolicies?.has(entry.id)) {
        // Made elsewhere (a Terraform configuration that links it by id): attached by id and left as it is.
        lines.push(`  use extern ${idLiteral(entry.id)}${precedence}`);
      } else {
        warn(`policy link \`${entry.id}\``, 'the policy does not exist in the account');
      }
    });
    lines.push('}');
    appLines.push(lines.join('\n'));
  }

  const files: ImportedFile[] = [];
  const add = (name: string, blocks: string[], sep = '\n') => {
    if (blocks.length === 0) return;
    // Written as `aclc fmt` writes it, so `fmt --check` passes on a fresh import.
    const text = `${header}\n${blocks.join(sep)}\n`;
    files.push({ name, text: formatSource(new SourceFile(name, text)).value });
  };
  add('idps.acl', [...idps.decls.values()]);
  add('lists.acl', listLines(live, options.declareLists));
  add('groups.acl', groupLines);
  add('policies.acl', policyLines, '\n\n');
  add('apps.acl', appLines, '\n\n');
  const summary: ImportSummary = {
    idps: idps.decls.size,
    groups: groupLines.length,
    policies: live.policies.length,
    apps: appCount,
    legacy: legacyCount,
  };
  return { value: { files, summary }, diagnostics };
}

/** How many objects carry each name. */
function countNames(objects: readonly { name: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) out.set(o.name, (out.get(o.name) ?? 0) + 1);
  return out;
}

/** Groups ordered so that each comes after the groups it uses (by id), ties by name. */
function orderGroups(groups: AccessGroup[]): AccessGroup[] {
  const ids = new Set(groups.map((g) => g.id));
  const done = new Set<string>();
  const out: AccessGroup[] = [];
  let rest = [...groups];
  while (rest.length > 0) {
    const ready = rest.filter((g) =>
      groupRefs(g, true).every((id) => !ids.has(id) || done.has(id) || id === g.id),
    );
    const batch = ready.length > 0 ? ready : rest;
    for (const g of batch) {
      out.push(g);
      done.add(g.id);
    }
    rest = rest.filter((g) => !done.has(g.id));
  }
  return out;
}
