import { canonEqual, canonicalJson } from '../deploy/canonical.js';
import type { RefKind } from '../model/formula.js';
import type { ScalarType, SettingSpec, SettingsTable, SettingType } from '../settings/schema.js';
import { durationLiteral, idLiteral, quote } from './text.js';

/** What printing settings needs: IdP identifiers and account references, and a place for warnings. */
export interface SettingsContext {
  idp(id: string): string | undefined;
  ref(kind: RefKind, id: string): string;
  warn(what: string, reason: string): void;
}

function scalar(_type: ScalarType, v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  return quote(v);
}

/** A value of a setting type as source text, or undefined when it does not fit the type. */
function valueText(
  spec: SettingSpec,
  type: SettingType,
  v: unknown,
  ctx: SettingsContext,
): string | undefined {
  switch (type.kind) {
    case 'string':
    case 'enum':
      return scalar(type, v);
    case 'bool':
      return typeof v === 'boolean' ? String(v) : undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
    case 'duration':
      return typeof v === 'string' ? durationLiteral(v) : undefined;
    case 'list': {
      if (!Array.isArray(v)) return undefined;
      const items = v.map((x) => scalar(type.item, x));
      return items.every((x) => x !== undefined) ? `[${items.join(', ')}]` : undefined;
    }
    case 'idps': {
      if (!Array.isArray(v)) return undefined;
      const names = v.map((id) => ctx.idp(String(id)));
      if (names.some((n) => n === undefined)) {
        ctx.warn(
          `setting \`${spec.key}\``,
          'it names an identity provider that does not exist in the account',
        );
        return undefined;
      }
      return `[${names.join(', ')}]`;
    }
    case 'idp':
      // An IdP the account does not hold (deleted since) keeps its id.
      return typeof v === 'string' ? (ctx.idp(v) ?? idLiteral(v)) : undefined;
    case 'ref':
      return typeof v === 'string' ? ctx.ref(type.ref, v) : undefined;
    case 'block': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      return `{ ${settingsText(type.table, v as Record<string, unknown>, ctx, {}).join(' ')} }`;
    }
    case 'blocks': {
      if (!Array.isArray(v)) return undefined;
      const blocks = v.map((b) =>
        typeof b === 'object' && b !== null
          ? `{ ${settingsText(type.table, b as Record<string, unknown>, ctx, {}).join(' ')} }`
          : undefined,
      );
      return blocks.every((b) => b !== undefined) ? `[${blocks.join(', ')}]` : undefined;
    }
  }
}

/**
 * The settings of an object as `key value` source lines, in table order. Values equal to the API default, and
 * empty ones, are left out; fields the table does not know (other than `known`) are reported.
 */
export function settingsText(
  table: SettingsTable,
  obj: Record<string, unknown>,
  ctx: SettingsContext,
  defaults: Readonly<Record<string, unknown>>,
  known: ReadonlySet<string> = new Set(),
): string[] {
  const lines: string[] = [];
  const covered = new Set(known);
  if (table.fromWire) obj = table.fromWire(obj);
  for (const spec of table.entries) {
    covered.add(spec.wire);
    if (spec.repeatable) continue; // `domain`: the caller writes it
    const v = obj[spec.wire];
    const canon = canonicalJson(v, spec.wire);
    if (canon === undefined) continue;
    if (spec.wire in defaults && canEqualDefault(v, defaults[spec.wire], spec.wire)) continue;
    const text = valueText(spec, spec.type, v, ctx);
    if (text === undefined) {
      ctx.warn(`setting \`${spec.key}\``, `its value ${JSON.stringify(v)} does not fit the language`);
      continue;
    }
    lines.push(`${spec.key} ${text}`);
  }
  for (const [k, v] of Object.entries(obj)) {
    if (covered.has(k) || canonicalJson(v, k) === undefined) continue;
    if (k in defaults && canEqualDefault(v, defaults[k], k)) continue;
    ctx.warn(`field \`${k}\``, 'the language has no setting for it; apply keeps it as the account has it');
  }
  return lines;
}

function canEqualDefault(v: unknown, def: unknown, field: string): boolean {
  return canonEqual(canonicalJson(v, field), canonicalJson(def, field));
}
