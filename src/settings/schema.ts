import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { RefKind } from '../model/formula.js';
import type { IdpDef, WireSettings } from '../model/project.js';
import type { ListValue, Setting, Value } from '../parser/ast.js';
import {
  checkedDiagnostic,
  closestOr,
  describeValue,
  isPlaceholder,
  namesOf,
  orList,
  suggest,
} from '../resolve/values.js';
import { type Checked, checkDuration, checkValue, type ValueKind } from '../selectors/values.js';
import { refToWire } from '../selectors/wire.js';
import { durationNanos, durationUnits } from './duration.js';

/**
 * The settings machinery shared by policies, apps and their nested blocks: each table lists the DSL keys it
 * accepts with the API field each one fills, how its value is written and checked, a one-line doc and an
 * example. Resolution, messages and the reference docs are all driven by these tables.
 */

/** A check on a string value: what the messages call it, and the check returning the canonical form. */
export interface StringCheck {
  /** E.g. `an http(s) URL`. */
  describe: string;
  /** How a list of such values is described, e.g. `email addresses` (default `strings`). */
  plural?: string;
  check(raw: string): Checked;
}

/** Value types a list can hold. */
export type ScalarType =
  | { kind: 'string'; check?: StringCheck }
  | { kind: 'enum'; values: readonly string[] };

export type SettingType =
  | ScalarType
  | { kind: 'bool' }
  | { kind: 'number'; min?: number; max?: number; integer?: boolean }
  /** A Go duration written bare (`24h`) or as a string; optionally limited to some units and a maximum. */
  | { kind: 'duration'; units?: readonly string[]; max?: string }
  | { kind: 'list'; item: ScalarType }
  /** A list of IdP names declared with `idp NAME = …`; emitted as ids or `$ref:idp:` placeholders. */
  | { kind: 'idps' }
  /** One IdP: a name declared with `idp NAME = …`, or `id("…")`; emitted as an id or a `$ref:idp:` placeholder. */
  | { kind: 'idp' }
  /** An account object by name (string) or `id("…")`; emitted through `refToWire`. */
  | { kind: 'ref'; ref: RefKind; what: string }
  | { kind: 'block'; table: SettingsTable }
  | { kind: 'blocks'; table: SettingsTable };

export interface SettingSpec {
  /** The key as written in `.acl` source. */
  key: string;
  /** The API field it fills. */
  wire: string;
  type: SettingType;
  /** One line for the reference docs. */
  doc: string;
  /** A complete example as written in source, e.g. `session_duration 24h`. */
  example: string;
  /** Whether the key may be given more than once (values are collected in order, duplicates dropped). */
  repeatable?: boolean;
  /** Emitted when the key is absent. */
  default?: unknown;
}

/** What a table's cross-field check sees. */
export interface FinishContext {
  diagnostics: Diagnostic[];
  /** The object the settings belong to (app name, policy name, or the nested block's key). */
  owner: { name: string; span: Span };
  /** The settings written, by key, in source order (known keys only). */
  written: ReadonlyMap<string, readonly Setting[]>;
}

export interface SettingsTable {
  /** Short name used as a heading in the docs, e.g. `policy`. */
  name: string;
  /** How messages name the owner: `a policy`, `an app`, `the \`mfa\` block`. */
  where: string;
  entries: readonly SettingSpec[];
  /**
   * Cross-field checks and final shaping of the wire object: it changes `out` in place, or returns the object to
   * use instead (a new key order is cheaper built afresh than by deleting keys).
   */
  finish?: (out: WireSettings, ctx: FinishContext) => WireSettings | undefined;
  /**
   * The inverse of a `finish` that reshapes the wire object: the API's object in the shape of the table's entries,
   * for the importer (which prints settings entry by entry).
   */
  fromWire?: (wire: Record<string, unknown>) => Record<string, unknown>;
}

/** What settings resolution needs from the project. */
export interface SettingsContext {
  diagnostics: Diagnostic[];
  idps: ReadonlyMap<string, IdpDef>;
}

/** A `StringCheck` backed by a selector value kind. */
export function valueCheck(kind: ValueKind, describe: string, plural?: string): StringCheck {
  const check = (raw: string) => checkValue(kind, raw);
  return plural === undefined ? { describe, check } : { describe, plural, check };
}

/** A non-empty string. */
export const NON_EMPTY: StringCheck = valueCheck('text', 'not empty', 'non-empty strings');

/** How messages and docs name what a setting type expects. */
export function describeType(type: SettingType): string {
  switch (type.kind) {
    case 'string':
      return type.check ? `a string (${type.check.describe})` : 'a string';
    case 'enum':
      return `one of ${orList(type.values)}`;
    case 'bool':
      return '`true` or `false`';
    case 'number': {
      const base = type.integer ? 'a whole number' : 'a number';
      if (type.min !== undefined && type.max !== undefined) return `${base} from ${type.min} to ${type.max}`;
      if (type.min !== undefined) return `${base} of at least ${type.min}`;
      return base;
    }
    case 'duration': {
      const units = type.units ? ` in ${orList(type.units)}` : '';
      return `a duration${units} such as \`24h\`${type.max ? ` (at most \`${type.max}\`)` : ''}`;
    }
    case 'list':
      if (type.item.kind === 'enum') return `a list of ${orList(type.item.values)}`;
      return `a list of ${type.item.check?.plural ?? 'strings'}`;
    case 'idps':
      return 'a list of identity provider names';
    case 'idp':
      return 'an identity provider name or `id("…")`';
    case 'ref':
      return `${type.what} name or \`id("…")\``;
    case 'block':
      return 'a block `{ … }`';
    case 'blocks':
      return 'a list of blocks `[{ … }]`';
  }
}

const byKeyCache = new Map<SettingsTable, Map<string, SettingSpec>>();

/** A table's entries by key (built once per table: the tables never change). */
function byKey(table: SettingsTable): ReadonlyMap<string, SettingSpec> {
  let map = byKeyCache.get(table);
  if (!map) {
    map = new Map(table.entries.map((e) => [e.key, e]));
    byKeyCache.set(table, map);
  }
  return map;
}

/**
 * Resolve the settings written for one owner against a table. Unknown keys, wrong types, repeated keys and
 * out-of-range values are reported; the result holds the valid settings as API fields, in table order.
 */
export function resolveSettings(
  table: SettingsTable,
  settings: readonly Setting[],
  ctx: SettingsContext,
  owner: { name: string; span: Span },
): WireSettings {
  const specs = byKey(table);
  const written = new Map<string, Setting[]>();
  const values = new Map<string, unknown>();
  for (const setting of settings) {
    const key = setting.key.name;
    if (isPlaceholder(setting.key)) continue; // lost to a syntax error, already reported
    const spec = specs.get(key);
    if (!spec) {
      const known = `${table.where} takes ${orList([...specs.keys()], 'and')}`;
      ctx.diagnostics.push(
        diagnostic('ACL0501', setting.key.span, {
          name: key,
          where: table.where,
          suggestion: closestOr(key, specs.keys(), known),
        }),
      );
      continue;
    }
    const earlier = written.get(key);
    if (earlier && !spec.repeatable) {
      ctx.diagnostics.push(
        diagnostic(
          'ACL0503',
          setting.key.span,
          { name: key },
          { related: [{ span: (earlier[0] as Setting).key.span, message: 'first given here' }] },
        ),
      );
      continue;
    }
    if (earlier) earlier.push(setting);
    else written.set(key, [setting]);
    const value = resolveValue(spec, spec.type, setting.value, ctx);
    if (value === undefined) continue;
    if (spec.repeatable) {
      const list = (values.get(key) as unknown[] | undefined) ?? [];
      if (!list.some((v) => sameValue(v, value))) list.push(value);
      values.set(key, list);
    } else {
      values.set(key, value);
    }
  }
  const out: WireSettings = {};
  for (const spec of table.entries) {
    const value = values.get(spec.key);
    if (value !== undefined) out[spec.wire] = value;
    else if (spec.default !== undefined && !written.has(spec.key)) out[spec.wire] = spec.default;
  }
  return table.finish?.(out, { diagnostics: ctx.diagnostics, owner, written }) ?? out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function wrongType(spec: SettingSpec, type: SettingType, value: Value, ctx: SettingsContext): undefined {
  ctx.diagnostics.push(
    diagnostic('ACL0502', value.span, {
      name: spec.key,
      expected: describeType(type),
      found: describeValue(value),
      usage: `write it as \`${spec.example}\``,
    }),
  );
  return undefined;
}

function outOfRange(spec: SettingSpec, value: Value, reason: string, ctx: SettingsContext): undefined {
  ctx.diagnostics.push(
    diagnostic('ACL0506', value.span, { name: spec.key, reason, usage: `for example \`${spec.example}\`` }),
  );
  return undefined;
}

/** One value against its type: the wire value, or `undefined` after reporting what is wrong. */
function resolveValue(spec: SettingSpec, type: SettingType, value: Value, ctx: SettingsContext): unknown {
  if (isPlaceholder(value)) return undefined;
  switch (type.kind) {
    case 'string': {
      if (value.kind !== 'String') return wrongType(spec, type, value, ctx);
      if (!type.check) return value.value;
      const checked = type.check.check(value.value);
      if (!checked.ok) {
        ctx.diagnostics.push(checkedDiagnostic(checked, value.span));
        return undefined;
      }
      return checked.value;
    }
    case 'enum': {
      const text = value.kind === 'String' ? value.value : value.kind === 'Ident' ? value.name : undefined;
      if (text === undefined || !type.values.includes(text)) return wrongType(spec, type, value, ctx);
      return text;
    }
    case 'bool':
      return value.kind === 'Bool' ? value.value : wrongType(spec, type, value, ctx);
    case 'number': {
      if (value.kind !== 'Number') return wrongType(spec, type, value, ctx);
      const n = value.value;
      if (type.integer && !Number.isInteger(n))
        return outOfRange(spec, value, 'it must be a whole number', ctx);
      if ((type.min !== undefined && n < type.min) || (type.max !== undefined && n > type.max)) {
        const reason =
          type.max === undefined
            ? `it must be at least ${type.min}`
            : `it must be between ${type.min ?? 0} and ${type.max}`;
        return outOfRange(spec, value, reason, ctx);
      }
      return n;
    }
    case 'duration':
      return resolveDuration(spec, type, value, ctx);
    case 'list': {
      if (value.kind !== 'List') return wrongType(spec, type, value, ctx);
      return collect(value, (item) => resolveValue(spec, type.item, item, ctx));
    }
    case 'idps': {
      if (value.kind !== 'List') return wrongType(spec, type, value, ctx);
      return collect(value, (item) => resolveIdp(spec, item, ctx));
    }
    case 'idp': {
      if (value.kind === 'Id') {
        if (value.value.trim() !== '') return value.value;
        ctx.diagnostics.push(diagnostic('ACL0412', value.span, { value: value.value }));
        return undefined;
      }
      return resolveIdp(spec, value, ctx);
    }
    case 'ref': {
      if (value.kind === 'String') {
        if (value.value === '') {
          ctx.diagnostics.push(diagnostic('ACL0406', value.span));
          return undefined;
        }
        return refToWire({ kind: type.ref, name: value.value });
      }
      if (value.kind === 'Id') {
        if (value.value.trim() === '') {
          ctx.diagnostics.push(diagnostic('ACL0412', value.span, { value: value.value }));
          return undefined;
        }
        return refToWire({ kind: type.ref, id: value.value });
      }
      return wrongType(spec, type, value, ctx);
    }
    case 'block': {
      if (value.kind !== 'Settings') return wrongType(spec, type, value, ctx);
      return resolveSettings(type.table, value.settings, ctx, { name: spec.key, span: value.span });
    }
    case 'blocks': {
      if (value.kind !== 'List') return wrongType(spec, type, value, ctx);
      const out: unknown[] = [];
      for (const item of value.items) {
        if (isPlaceholder(item)) continue;
        if (item.kind !== 'Settings') {
          wrongType(spec, type, item, ctx);
          continue;
        }
        out.push(resolveSettings(type.table, item.settings, ctx, { name: spec.key, span: item.span }));
      }
      return out;
    }
  }
}

/** The valid items of a list, duplicates dropped (first occurrence kept). */
function collect(list: ListValue, one: (item: Value) => unknown): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<string>();
  for (const item of list.items) {
    const v = one(item);
    if (v === undefined) continue;
    const key = JSON.stringify(v);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function resolveIdp(spec: SettingSpec, item: Value, ctx: SettingsContext): string | undefined {
  if (isPlaceholder(item)) return undefined;
  if (item.kind !== 'Ident') {
    ctx.diagnostics.push(
      diagnostic('ACL0502', item.span, {
        name: spec.key,
        expected: 'identity provider names',
        found: describeValue(item),
        usage: `write it as \`${spec.example}\`, with names declared by \`idp NAME = "…"\``,
      }),
    );
    return undefined;
  }
  const idp = ctx.idps.get(item.name);
  if (!idp) {
    ctx.diagnostics.push(
      diagnostic('ACL0303', item.span, {
        name: item.name,
        suggestion: suggest(item.name, namesOf(ctx.idps), 'declare it with `idp NAME = "Display name"`'),
      }),
    );
    return undefined;
  }
  return refToWire(idp.ref);
}

function resolveDuration(
  spec: SettingSpec,
  type: Extract<SettingType, { kind: 'duration' }>,
  value: Value,
  ctx: SettingsContext,
): string | undefined {
  const written = value.kind === 'Duration' ? value.text : value.kind === 'String' ? value.value : undefined;
  if (written === undefined) return wrongType(spec, type, value, ctx);
  // The lexer also takes the Greek mu for microseconds; the API knows only the micro sign.
  const text = written.replace(/\u03bcs/g, '\u00b5s');
  const checked = checkDuration(text);
  if (!checked.ok) {
    ctx.diagnostics.push(checkedDiagnostic(checked, value.span, value.kind === 'Duration'));
    return undefined;
  }
  if (type.units && durationUnits(text).some((u) => !type.units?.includes(u))) {
    ctx.diagnostics.push(
      diagnostic('ACL0509', value.span, {
        name: spec.key,
        units: orList(type.units),
        value: text,
        usage: `for example \`${spec.example}\``,
      }),
    );
    return undefined;
  }
  if (type.max !== undefined && durationNanos(text) > durationNanos(type.max))
    return outOfRange(spec, value, `it must be at most \`${type.max}\``, ctx);
  return checked.value;
}
