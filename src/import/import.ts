import type { AccessApp, AccessGroup, AppPolicyRef, ReusablePolicy } from '../api/types.js';
import { APP_DEFAULTS, appDomains, COMPUTED_FIELDS, POLICY_DEFAULTS } from '../deploy/canonical.js';
import { isLegacyLink, type LiveState } from '../deploy/live.js';
import { groupRefs } from '../deploy/refs.js';
import { accountObjects } from '../deploy/resolve.js';
import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { formatSource } from '../fmt/print.js';
import { SYNTH_PREFIX } from '../model/compiled.js';
import { DECISION_DISPLAY, type Decision } from '../model/decision.js';
import type { RefKind } from '../model/formula.js';
import { inlinePolicyName } from '../resolve/apps.js';
import { APP_SETTINGS } from '../settings/app-settings.js';
import { POLICY_SETTINGS } from '../settings/policy-settings.js';
import { bodyText, type ExprContext } from './expr.js';
import { settingsText } from './settings.js';
import { identifierFor, idLiteral, quote } from './text.js';

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

/** API identity provider types → the language's. */
const IDP_TYPE: Readonly<Record<string, string>> = {
  azureAD: 'azure',
  'google-apps': 'google_workspace',
  google: 'google',
  github: 'github',
  okta: 'okta',
  saml: 'saml',
  oidc: 'oidc',
  onetimepin: 'onetimepin',
  onelogin: 'onelogin',
  pingone: 'pingone',
  centrify: 'centrify',
  facebook: 'facebook',
  linkedin: 'linkedin',
  yandex: 'yandex',
};

const APP_TYPES = new Set(['self_hosted', 'ssh', 'vnc']);
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
export function importAccount(live: LiveState): Result<{ files: ImportedFile[]; summary: ImportSummary }> {
  const diagnostics: Diagnostic[] = [];
  let owner = 'the account';
  const warn = (
    what: string,
    reason: string,
    help = 'write it by hand, or keep managing it in the dashboard',
  ) => diagnostics.push(diagnostic('ACL0864', SPAN, { what, owner, reason, help }));

  // Identity providers, declared on first use.
  const idps = live.idps ?? [];
  const idpNames = new Set<string>();
  const idpDecls = new Map<string, string>();
  const idpIdents = new Map<string, string>();
  const idpIdent = (id: string): string | undefined => {
    const found = idps.find((i) => i.id === id);
    if (!found) return undefined;
    const done = idpIdents.get(id);
    if (done) return done;
    const ident = identifierFor(found.name, idpNames);
    idpIdents.set(id, ident);
    const type = IDP_TYPE[found.type];
    const unique = idps.filter((i) => i.name === found.name).length === 1;
    idpDecls.set(
      id,
      `idp ${ident}${type ? `: ${type}` : ''} = ${unique ? quote(found.name) : idLiteral(found.id)}`,
    );
    return ident;
  };
  const ref = (kind: RefKind, id: string): string => {
    const objects = accountObjects(live, kind);
    const found = objects.find((o) => o.id === id);
    if (found && objects.filter((o) => o.name === found.name).length === 1) return quote(found.name);
    return idLiteral(id);
  };

  // Groups: synthesized ones are inlined; a name shared by several groups is written once.
  const groupsById = new Map(live.groups.map((g) => [g.id, g]));
  const written = new Map<string, AccessGroup>();
  for (const g of [...live.groups].sort(byName)) {
    if (g.name.startsWith(SYNTH_PREFIX)) continue;
    if (written.has(g.name)) {
      owner = `group \`${g.name}\``;
      warn('a duplicate', `another group has the same name; this one (${g.id}) is referred to by id`);
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
    groupLines.push(`group ${quote(g.name)} = ${bodyText(g, ctx)}`);
  }

  // Policies: inline when one app uses it under the name `<app> / <name>`, else top level.
  const users = new Map<string, AccessApp[]>();
  const reusableIds = new Set(live.policies.map((p) => p.id));
  for (const app of live.apps)
    for (const link of app.policies)
      if (!isLegacyLink(link, reusableIds)) users.set(link.id, [...(users.get(link.id) ?? []), app]);
  const inlineIn = new Map<string, { app: AccessApp; name: string }>();
  for (const p of live.policies) {
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
    if (policyNames.has(p.name)) {
      warn('a duplicate', `another reusable policy has the same name; this one (${p.id}) is not imported`);
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
    if (appNames.has(app.name)) {
      warn('a duplicate', `another app has the same name; this one (${app.id}) is not imported`);
      continue;
    }
    appNames.add(app.name);
    appCount++;
    const lines = [`app ${quote(app.name)} {`];
    for (const d of appDomains(app as unknown as Record<string, unknown>)) lines.push(`  domain ${quote(d)}`);
    const settings = settingsText(
      APP_SETTINGS,
      app as unknown as Record<string, unknown>,
      { idp: idpIdent, ref, warn },
      APP_DEFAULTS,
      new Set([...COMPUTED_FIELDS, 'name', 'self_hosted_domains', 'destinations']),
    );
    lines.push(...settings.map((s) => `  ${s}`));
    const entries = [...app.policies].sort((a, b) => Number(a.precedence) - Number(b.precedence));
    entries.forEach((entry, i) => {
      const precedence = Number(entry.precedence) === i + 1 ? '' : ` precedence ${Number(entry.precedence)}`;
      if (isLegacyLink(entry, reusableIds)) {
        legacyCount++;
        owner = `app \`${app.name}\``;
        lines.push(indent(inlineText(String(entry.name ?? entry.id), entry, precedence, ctx, warn)));
        return;
      }
      const inline = inlineIn.get(entry.id);
      const policy = live.policies.find((p) => p.id === entry.id);
      if (inline && policy) {
        lines.push(indent(inlineText(inline.name, policy, precedence, ctx, warn)));
      } else if (policy && policyNames.has(policy.name)) {
        lines.push(`  use ${quote(policy.name)}${precedence}`);
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
    const text = `${HEADER}\n${blocks.join(sep)}\n`;
    files.push({ name, text: formatSource(new SourceFile(name, text)).value });
  };
  add('idps.acl', [...idpDecls.values()]);
  add('groups.acl', groupLines);
  add('policies.acl', policyLines, '\n\n');
  add('apps.acl', appLines, '\n\n');
  const summary: ImportSummary = {
    idps: idpDecls.size,
    groups: groupLines.length,
    policies: live.policies.length,
    apps: appCount,
    legacy: legacyCount,
  };
  return { value: { files, summary }, diagnostics };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

type Warn = (what: string, reason: string) => void;

function decisionKeyword(decision: unknown, warn: Warn): string {
  const d = String(decision);
  if (d in DECISION_DISPLAY) return DECISION_DISPLAY[d as Decision];
  warn('the decision', `\`${d}\` is not a decision aclc knows`);
  return 'deny';
}

function settingsBlock(policy: Record<string, unknown>, ctx: ExprContext, warn: Warn): string {
  const known = new Set([
    ...COMPUTED_FIELDS,
    'name',
    'decision',
    'include',
    'exclude',
    'require',
  ]);
  const lines = settingsText(
    POLICY_SETTINGS,
    policy,
    { idp: ctx.idp, ref: ctx.ref, warn },
    POLICY_DEFAULTS,
    known,
  );
  return lines.length === 0 ? '' : ` {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`;
}

function policyText(keyword: string, name: string, p: ReusablePolicy, ctx: ExprContext, warn: Warn): string {
  const rec = p as unknown as Record<string, unknown>;
  return `${keyword} ${quote(name)} ${decisionKeyword(p.decision, warn)} if ${bodyText(p, ctx)}${settingsBlock(rec, ctx, warn)}`;
}

function inlineText(
  name: string,
  p: AppPolicyRef | ReusablePolicy,
  precedence: string,
  ctx: ExprContext,
  warn: Warn,
): string {
  const rec = p as unknown as Record<string, unknown>;
  return `${decisionKeyword(p.decision, warn)} ${quote(name)} if ${bodyText(rec, ctx)}${precedence}${settingsBlock(rec, ctx, warn)}`;
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
