import type {
  AstFile,
  DecisionKw,
  Expr,
  SelectorExpr,
  Setting,
  SettingsBlock,
  Value,
} from '../parser/ast.js';
import { APP_SETTINGS, POLICY_SETTINGS } from '../settings/index.js';
import type { SettingSpec, SettingsTable } from '../settings/schema.js';

/** What sits under an offset of a tree: the innermost selector, setting (with the table it belongs to), decision. */
export interface Located {
  selector?: SelectorExpr;
  setting?: { setting: Setting; table: SettingsTable; spec?: SettingSpec };
  decision?: DecisionKw;
}

const inside = (span: { start: number; end: number }, offset: number) =>
  span.start <= offset && offset <= span.end;

export function locate(ast: AstFile, offset: number): Located {
  const found: Located = {};
  const expr = (e: Expr): void => {
    if (!inside(e.span, offset)) return;
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
        found.selector = e;
    }
  };
  const settings = (block: SettingsBlock | undefined, table: SettingsTable) => {
    if (!block || !inside(block.span, offset)) return;
    for (const s of block.settings) setting(s, table);
  };
  const setting = (s: Setting, table: SettingsTable) => {
    if (!inside(s.span, offset)) return;
    const spec = table.entries.find((e) => e.key === s.key.name);
    found.setting = spec ? { setting: s, table, spec } : { setting: s, table };
    if (spec && (spec.type.kind === 'block' || spec.type.kind === 'blocks')) value(s.value, spec.type.table);
  };
  const value = (v: Value, table: SettingsTable): void => {
    if (v.kind === 'Settings') settings(v, table);
    else if (v.kind === 'List') for (const item of v.items) value(item, table);
  };
  for (const d of ast.decls) {
    if (!inside(d.span, offset)) continue;
    switch (d.kind) {
      case 'Group':
        expr(d.expr);
        break;
      case 'Policy':
        if (inside(d.decision.span, offset)) found.decision = d.decision;
        expr(d.expr);
        settings(d.settings, POLICY_SETTINGS);
        break;
      case 'App':
        for (const item of d.items) {
          if (!inside(item.span, offset)) continue;
          if (item.kind === 'Setting') setting(item, APP_SETTINGS);
          else if (item.kind === 'InlinePolicy') {
            if (inside(item.decision.span, offset)) found.decision = item.decision;
            expr(item.expr);
            settings(item.settings, POLICY_SETTINGS);
          }
        }
        break;
    }
  }
  return found;
}
