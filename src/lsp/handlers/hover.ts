import type { Hover, HoverParams } from 'vscode-languageserver';
import type { SourceFile } from '../../diagnostics/source.js';
import { appOrders } from '../../lint/order.js';
import { DECISION_DISPLAY } from '../../model/decision.js';
import type { AstFile } from '../../parser/ast.js';
import { selectorByName } from '../../selectors/table.js';
import { APP_SETTINGS } from '../../settings/index.js';
import { projectOf, type ServerContext, viewOf } from '../context.js';
import { offsetOf, rangeOf } from '../convert.js';
import { decisionDoc, selectorDoc, settingDoc, ZONE_DOC } from '../docs.js';
import { locate } from '../locate.js';
import { siteAt } from '../names.js';

/** At most this many lines of a definition are shown. */
const MAX_LINES = 12;

/** Hover: a selector's doc, a setting's doc, a name's definition (and, for a policy, what Access evaluates first). */
export function hover(ctx: ServerContext, params: HoverParams): Hover | null {
  const view = viewOf(ctx, params.textDocument.uri);
  if (!view) return null;
  const offset = offsetOf(view.source, params.position);
  const located = locate(view.ast, offset);
  const reply = (value: string, span: { start: number; end: number }): Hover => ({
    contents: { kind: ctx.markdown ? 'markdown' : 'plaintext', value },
    range: rangeOf(view.source, span),
  });

  const selector = located.selector;
  if (selector && selector.name.span.start <= offset && offset <= selector.name.span.end) {
    const spec = selectorByName(selector.name.name);
    if (spec) return reply(selectorDoc(spec), selector.name.span);
  }
  const setting = located.setting;
  if (setting?.spec && setting.setting.key.span.start <= offset && offset <= setting.setting.key.span.end)
    return reply(settingDoc(setting.spec, setting.table.where), setting.setting.key.span);
  const zone = zoneKeywordAt(view.ast, setting, offset);
  if (zone) return reply(ZONE_DOC, zone);
  if (located.decision) {
    const doc = decisionDoc(located.decision.keyword);
    if (doc) return reply(doc, located.decision.span);
  }

  const { snapshot, sites } = projectOf(ctx, view);
  const site = siteAt(sites, view.source.path, offset);
  if (!site) return null;
  const decl = sites.find((s) => s.decl && s.kind === site.kind && s.key === site.key);
  const parts: string[] = [];
  if (decl?.declSpan) {
    const file = snapshot.files.find((f) => f.path === decl.span.file);
    if (file) parts.push(`\`\`\`acl\n${excerpt(file, decl.declSpan)}\n\`\`\``);
    if (decl.span.file !== view.source.path) parts.push(`defined in \`${decl.span.file}\``);
  } else if (site.kind === 'list')
    parts.push(
      `\`${site.name}\` is not declared in this project: an account list, found by name when aclc deploys (its members are unknown to lint)`,
    );
  else parts.push(`\`${site.name}\` is not defined in this project`);

  if (site.kind === 'policy' || site.kind === 'inline') {
    const project = snapshot.analyzed.project;
    const policy = decl
      ? [...project.policies.values()].find(
          (p) => p.nameSpan.file === decl.span.file && p.nameSpan.start === decl.span.start,
        )
      : undefined;
    if (policy) {
      for (const order of appOrders(project)) {
        const at = order.policies.findIndex((p) => p.policy === policy);
        if (at < 0) continue;
        const before = order.policies.slice(0, at);
        const list =
          before.length === 0
            ? 'evaluated first'
            : `after ${before
                .map(
                  (p) =>
                    `\`${p.policy.displayName}\` (${DECISION_DISPLAY[p.policy.decision]}, precedence ${p.entry.precedence})`,
                )
                .join(', ')}`;
        parts.push(`In app \`${order.app.name}\`: position ${at + 1} of ${order.policies.length}, ${list}`);
      }
    }
  }
  return reply(parts.join('\n\n'), site.span);
}

/** The source of a declaration, cut to `MAX_LINES` lines. */
function excerpt(file: SourceFile, span: { start: number; end: number }): string {
  const lines = file.text.slice(span.start, span.end).split(/\r?\n/);
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), '…'].join('\n') : lines.join('\n');
}

/** The span of the `zone` word under the cursor: an app's `zone` line, or `in zone` after a group's name. */
function zoneKeywordAt(
  ast: AstFile,
  setting: ReturnType<typeof locate>['setting'],
  offset: number,
): { start: number; end: number } | undefined {
  const at = (s: { start: number; end: number }) => s.start <= offset && offset <= s.end;
  if (setting && !setting.spec && setting.setting.key.name === 'zone' && setting.table === APP_SETTINGS)
    return at(setting.setting.key.span) ? setting.setting.key.span : undefined;
  for (const d of ast.decls)
    if (d.kind === 'Group' && d.zone && d.zone.keyword.name === 'zone' && at(d.zone.keyword.span))
      return d.zone.keyword.span;
  return undefined;
}
