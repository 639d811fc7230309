import type { Atom, AtomValue, Ref, RefKind } from '../model/formula.js';
import { SELECTORS, type SelectorSpec, selectorByName, selectorByWireKey } from './table.js';

/** A rule object as the API takes it: exactly one rule key, e.g. `{ "geo": { "country_code": "US" } }`. */
export type WireRule = Record<string, Record<string, unknown>>;

const PLACEHOLDER = /^\$ref:([a-z_]+):(.*)$/s;
const REF_KINDS = new Set<RefKind>([
  'group',
  'idp',
  'email_list',
  'ip_list',
  'service_token',
  'device_posture',
  'app',
  'policy',
]);

/**
 * How an unresolved reference appears in compiled output: `$ref:<kind>:<name>`, replaced by the real id at deploy
 * time. A literal id is emitted as is. Never an invented id.
 */
export function refToWire(ref: Ref): string {
  return ref.id ?? `$ref:${ref.kind}:${ref.name ?? ''}`;
}

/** The inverse of `refToWire`; a string that is not a placeholder is a literal id. */
export function refFromWire(kind: RefKind, text: string): Ref {
  const m = PLACEHOLDER.exec(text);
  if (m && REF_KINDS.has(m[1] as RefKind)) return { kind: m[1] as RefKind, name: m[2] as string };
  return { kind, id: text };
}

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

function refKindOf(spec: SelectorSpec, field: string): RefKind | undefined {
  const param = spec.params.find((p) => p.field === field);
  if (!param) return undefined;
  if (param.type.kind === 'idp') return 'idp';
  if (param.type.kind === 'ref') return param.type.ref;
  return undefined;
}

/** Atom → API rule object. */
export function atomToWire(atom: Atom): WireRule {
  const spec = selectorByName(atom.sel);
  if (!spec) throw new Error(`unknown selector ${atom.sel}`); // INVARIANT: atoms come from the resolver
  const body: Record<string, unknown> = {};
  for (const param of spec.params) {
    const v = atom.args[param.field];
    if (v === undefined) continue;
    body[param.field] = typeof v === 'string' || Array.isArray(v) ? v : refToWire(v);
  }
  return { [spec.wireKey]: body };
}

/**
 * The members of the lists a compiled document declares (`CompiledProject.lists`), keyed `ip_list:<name>` /
 * `email_list:<name>` as the rules name them (`$ref:ip_list:<name>`).
 */
export type ListMembers = ReadonlyMap<string, readonly string[]>;

/** The members of a compiled document's lists, for `wireToAtom` (empty when it declares none). */
export function listMembersOf(doc: {
  lists?: readonly { name: string; type: string; items: readonly { value: string }[] }[];
}): ListMembers {
  const out = new Map<string, readonly string[]>();
  for (const l of doc.lists ?? [])
    out.set(
      `${l.type === 'EMAIL' ? 'email_list' : 'ip_list'}:${l.name}`,
      l.items.map((i) => i.value),
    );
  return out;
}

/**
 * API rule object → atom, or `undefined` for an unknown rule type. Used by the compiled evaluator and import. A
 * list rule naming one of `lists` carries its members (so it decides on them); any other list stays opaque.
 */
export function wireToAtom(rule: WireRule, lists?: ListMembers): Atom | undefined {
  const keys = Object.keys(rule);
  if (keys.length !== 1) return undefined;
  const spec = selectorByWireKey(keys[0] as string);
  if (!spec) return undefined;
  const body = (rule[spec.wireKey] ?? {}) as Record<string, unknown>;
  const args: Record<string, AtomValue> = {};
  for (const param of spec.params) {
    const v = body[param.field];
    if (v === undefined) continue;
    const kind = refKindOf(spec, param.field);
    if (kind && typeof v === 'string') {
      const ref = refFromWire(kind, v);
      const members = ref.name !== undefined ? lists?.get(`${ref.kind}:${ref.name}`) : undefined;
      args[param.field] = members ? { ...ref, members } : ref;
    } else if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')))
      args[param.field] = v as string | string[];
  }
  return { sel: spec.name, args };
}

export const WIRE_KEYS: readonly string[] = SELECTORS.map((s) => s.wireKey);
