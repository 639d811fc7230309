import type { Span } from '../diagnostics/diagnostic.js';
import { quoteString } from '../lexer/strings.js';
import type { AstFile, Expr, SelectorExpr, Setting, SettingsBlock, Value } from '../parser/ast.js';
import { type ParamSpec, type SelectorSpec, selectorByName } from '../selectors/table.js';
import { APP_SETTINGS, POLICY_SETTINGS } from '../settings/index.js';
import type { SettingsTable } from '../settings/schema.js';

/** The kinds of project names an editor can navigate and rename. */
export type NameKind = 'idp' | 'group' | 'policy' | 'app' | 'inline' | 'list';

/** One place a project name is written: its declaration or a use. */
export interface NameSite {
  kind: NameKind;
  /** The name; for an inline policy, `App name\u0000policy name` (inline names are only unique in their app). */
  key: string;
  /** The name as written (decoded). */
  name: string;
  /** The whole token: a bare name, or a string literal with its quotes. */
  span: Span;
  decl: boolean;
  /** Whether the token is a string literal (renames rewrite it with quotes). */
  quoted: boolean;
  /** The declaration's whole span (declarations only). */
  declSpan?: Span;
  /** A list declaration's type, from its `ip(…)` / `email(…)` (list declarations only). */
  listType?: 'IP' | 'EMAIL';
}

/** The parameter a selector's `i`-th argument fills (the last one repeats for `expand` / `list` selectors). */
export function paramAt(spec: SelectorSpec, i: number): ParamSpec | undefined {
  if (i < spec.params.length) return spec.params[i];
  return spec.repeat ? spec.params[spec.params.length - 1] : undefined;
}

/** Setting keys whose values are IdP names (`allowed_idps [okta, github]`, `idp okta`), across every table. */
function idpListKeys(): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<SettingsTable>();
  const visit = (table: SettingsTable) => {
    if (seen.has(table)) return;
    seen.add(table);
    for (const e of table.entries) {
      if (e.type.kind === 'idps' || e.type.kind === 'idp') keys.add(e.key);
      if (e.type.kind === 'block' || e.type.kind === 'blocks') visit(e.type.table);
    }
  };
  visit(APP_SETTINGS);
  visit(POLICY_SETTINGS);
  return keys;
}
const IDP_LIST_KEYS = idpListKeys();

/** Every declaration and use of a project name in the given trees, in source order per file. */
export function nameSites(asts: readonly AstFile[]): NameSite[] {
  const out: NameSite[] = [];
  const str = (
    kind: NameKind,
    key: string,
    node: { span: Span; value: string },
    decl: boolean,
    declSpan?: Span,
  ) =>
    out.push({
      kind,
      key,
      name: node.value,
      span: node.span,
      decl,
      quoted: true,
      ...(declSpan ? { declSpan } : {}),
    });
  const selector = (s: SelectorExpr) => {
    const spec = selectorByName(s.name.name);
    if (!spec) return;
    (s.args ?? []).forEach((arg, i) => {
      const param = paramAt(spec, i);
      if (!param) return;
      if (param.type.kind === 'idp' && arg.kind === 'Ident')
        out.push({ kind: 'idp', key: arg.name, name: arg.name, span: arg.span, decl: false, quoted: false });
      else if (param.type.kind === 'ref' && arg.kind === 'String') {
        if (param.type.ref === 'group') str('group', arg.value, arg, false);
        else if (param.type.ref === 'app') str('app', arg.value, arg, false);
        else if (param.type.ref === 'ip_list' || param.type.ref === 'email_list')
          str('list', arg.value, arg, false);
      }
    });
  };
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case 'Or':
      case 'And':
        for (const o of e.operands) expr(o);
        return;
      case 'Not':
        expr(e.operand);
        return;
      case 'Paren':
        expr(e.expr);
        return;
      case 'Selector':
        selector(e);
        return;
    }
  };
  const value = (key: string, v: Value): void => {
    if (v.kind === 'Settings') settings(v);
    else if (v.kind === 'List') for (const item of v.items) value(key, item);
    else if (v.kind === 'Ident' && IDP_LIST_KEYS.has(key))
      out.push({ kind: 'idp', key: v.name, name: v.name, span: v.span, decl: false, quoted: false });
  };
  const setting = (s: Setting) => value(s.key.name, s.value);
  const settings = (b: SettingsBlock | undefined) => {
    for (const s of b?.settings ?? []) setting(s);
  };
  for (const ast of asts) {
    for (const d of ast.decls) {
      switch (d.kind) {
        case 'Idp':
          out.push({
            kind: 'idp',
            key: d.name.name,
            name: d.name.name,
            span: d.name.span,
            decl: true,
            quoted: false,
            declSpan: d.span,
          });
          break;
        case 'Group':
          str('group', d.name.value, d.name, true, d.span);
          expr(d.expr);
          break;
        case 'ExternGroup':
          str('group', d.name.value, d.name, true, d.span);
          break;
        case 'List': {
          const form = d.expr.kind === 'Selector' ? d.expr.name.name : undefined;
          out.push({
            kind: 'list',
            key: d.name.value,
            name: d.name.value,
            span: d.name.span,
            decl: true,
            quoted: true,
            declSpan: d.span,
            ...(form === 'ip'
              ? { listType: 'IP' as const }
              : form === 'email'
                ? { listType: 'EMAIL' as const }
                : {}),
          });
          break;
        }
        case 'Policy':
          str('policy', d.name.value, d.name, true, d.span);
          expr(d.expr);
          settings(d.settings);
          break;
        case 'App':
          str('app', d.name.value, d.name, true, d.span);
          for (const item of d.items) {
            if (item.kind === 'Use') str('policy', item.name.value, item.name, false);
            else if (item.kind === 'InlinePolicy') {
              str('inline', `${d.name.value}\u0000${item.name.value}`, item.name, true, item.span);
              expr(item.expr);
              settings(item.settings);
            } else setting(item);
          }
          break;
      }
    }
  }
  return out;
}

/** The site under an offset of a file, if any. */
export function siteAt(sites: readonly NameSite[], file: string, offset: number): NameSite | undefined {
  return sites.find((s) => s.span.file === file && s.span.start <= offset && offset <= s.span.end);
}

/** How a name is written back: bare names as they are, others as a string literal. */
export function writeName(site: Pick<NameSite, 'quoted'>, name: string): string {
  return site.quoted ? quoteString(name) : name;
}
