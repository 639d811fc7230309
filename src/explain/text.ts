import { quoteString } from '../lexer/strings.js';
import { SYNTH_PREFIX } from '../model/compiled.js';
import { type Atom, type Ref, refKey } from '../model/formula.js';
import type { Project } from '../model/project.js';
import { selectorByName } from '../selectors/table.js';
import { refToWire, type WireRule, wireToAtom } from '../selectors/wire.js';

/** Prints compiled rules back in the language, with IdPs under the names the code gives them. */
export class RuleText {
  private readonly idpNames = new Map<string, string>();

  constructor(
    project: Project | undefined,
    private readonly groups: ReadonlyMap<
      string,
      { include: WireRule[]; require: WireRule[]; exclude: WireRule[] }
    >,
  ) {
    for (const [name, def] of project?.idps ?? []) {
      this.idpNames.set(refToWire(def.ref), name);
      this.idpNames.set(refKey(def.ref), name);
    }
  }

  private ref(ref: Ref): string {
    return ref.id !== undefined ? `id(${quoteString(ref.id)})` : quoteString(ref.name ?? '');
  }

  atom(atom: Atom): string {
    const spec = selectorByName(atom.sel);
    if (!spec) return atom.sel;
    if (spec.nullary || spec.params.length === 0) return spec.name;
    const args: string[] = [];
    for (const p of spec.params) {
      const v = atom.args[p.field];
      if (v === undefined) continue;
      if (typeof v === 'string') args.push(quoteString(v));
      else if (Array.isArray(v)) args.push(...v.map(quoteString));
      else if (p.type.kind === 'idp') args.push(this.idpNames.get(refToWire(v)) ?? this.ref(v));
      else args.push(this.ref(v));
    }
    return `${spec.name}(${args.join(', ')})`;
  }

  /** One rule; a synthesized group is printed as the condition it stands for, in parentheses. */
  rule(rule: WireRule, depth = 0): string {
    const atom = wireToAtom(rule);
    if (!atom) return `unknown rule \`${Object.keys(rule).join(', ')}\``;
    const id = atom.args.id;
    if (atom.sel === 'group' && id !== undefined && typeof id === 'object' && !Array.isArray(id)) {
      const name = id.name;
      if (name?.startsWith(SYNTH_PREFIX)) {
        const body = this.groups.get(name);
        if (body && depth < 8) return `(${this.body(body, depth + 1)})`;
      }
      return `group(${this.ref(id)})`;
    }
    return this.atom(atom);
  }

  /** A body as one condition: `(i1 or i2) and r1 and not (e1 or e2)`. */
  body(b: { include: WireRule[]; require: WireRule[]; exclude: WireRule[] }, depth = 0): string {
    const inc = b.include.map((r) => this.rule(r, depth));
    const parts: string[] = [];
    const extra = b.require.length + b.exclude.length > 0;
    if (inc.length === 0) parts.push('not everyone');
    else parts.push(inc.length > 1 && extra ? `(${inc.join(' or ')})` : inc.join(' or '));
    for (const r of b.require) parts.push(this.rule(r, depth));
    const exc = b.exclude.map((r) => this.rule(r, depth));
    if (exc.length === 1) parts.push(`not ${exc[0]}`);
    else if (exc.length > 1) parts.push(`not (${exc.join(' or ')})`);
    return parts.join(' and ');
  }
}
