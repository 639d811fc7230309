import type { Span } from '../diagnostics/diagnostic.js';
import type { Formula, RefKind } from '../model/formula.js';
import type { Project } from '../model/project.js';
import { isPlaceholder, refFromWire } from '../selectors/wire.js';

/** Key of an account reference: `<kind>:<name>`. */
export const refIndexKey = (kind: RefKind, name: string): string => `${kind}:${name}`;

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value !== null && typeof value === 'object')
    for (const v of Object.values(value)) collectStrings(v, out);
}

/**
 * Where the source first names each account object it refers to by name (`<kind>:<name>` → span): the atom that
 * uses it, the `idp` declaration, the `extern group` declaration, or the policy / app whose settings name it.
 * Used to point "does not exist in the account" diagnostics at the reference.
 */
export function referenceSpans(project: Project): Map<string, Span> {
  const out = new Map<string, Span>();
  const note = (kind: RefKind, name: string | undefined, span: Span | undefined): void => {
    if (name === undefined || span === undefined) return;
    const key = refIndexKey(kind, name);
    if (!out.has(key)) out.set(key, span);
  };
  for (const idp of project.idps.values()) if (idp.ref.id === undefined) note('idp', idp.ref.name, idp.span);
  for (const group of project.groups.values()) if (group.extern) note('group', group.name, group.nameSpan);

  const walk = (f: Formula, fallback: Span): void => {
    switch (f.op) {
      case 'atom':
        for (const v of Object.values(f.atom.args)) {
          if (typeof v === 'object' && !Array.isArray(v) && v.id === undefined)
            note(v.kind, v.name, f.span ?? fallback);
        }
        return;
      case 'not':
        walk(f.arg, f.span ?? fallback);
        return;
      case 'and':
      case 'or':
        for (const a of f.args) walk(a, f.span ?? fallback);
        return;
      default:
        return;
    }
  };
  const settingsRefs = (settings: unknown, span: Span): void => {
    const strings: string[] = [];
    collectStrings(settings, strings);
    for (const s of strings) {
      if (!isPlaceholder(s)) continue;
      const ref = refFromWire('group', s);
      note(ref.kind, ref.name, span);
    }
  };
  for (const group of project.groups.values()) if (group.formula) walk(group.formula, group.span);
  for (const policy of project.policies.values()) {
    walk(policy.formula, policy.exprSpan);
    settingsRefs(policy.settings, policy.nameSpan);
  }
  for (const app of project.apps) {
    settingsRefs(app.settings, app.nameSpan);
    for (const e of app.externPolicies ?? []) note('policy', e.ref.name, e.span);
  }
  return out;
}
