import { diagnostic } from '../diagnostics/catalog.js';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { SYNTH_PREFIX } from '../model/compiled.js';
import type { IdpDef } from '../model/project.js';
import type { AppDecl, AstFile, ExternGroupDecl, GroupDecl, ListDecl, PolicyDecl } from '../parser/ast.js';
import { resolveIdp } from './idps.js';
import { isPlaceholder } from './values.js';

/** Every top-level declaration of the project, by name (the first of duplicates wins). */
export interface Declarations {
  idps: Map<string, IdpDef>;
  groups: Map<string, GroupDecl | ExternGroupDecl>;
  policies: Map<string, PolicyDecl>;
  apps: AppDecl[];
  lists: Map<string, ListDecl>;
}

/** Report a second definition of a name, pointing back at the first. */
export function duplicate(kind: string, name: string, span: Span, first: Span): Diagnostic {
  return diagnostic(
    'ACL0305',
    span,
    { kind, name },
    { related: [{ span: first, message: 'first defined here' }] },
  );
}

/** Whether a declaration's name is empty: reported when written `""`, silent for a parser placeholder. */
function emptyName(name: { value: string; span: Span }, diagnostics: Diagnostic[]): boolean {
  if (name.value !== '') return false;
  if (isPlaceholder(name)) return true;
  diagnostics.push(diagnostic('ACL0406', name.span, {}, { help: 'give it a name' }));
  return true;
}

/**
 * First pass: collect the declarations of all files (in any order across files) so that names can be bound
 * before any expression is resolved. Duplicate names per kind are reported on the later declaration.
 */
export function collectDeclarations(files: readonly AstFile[], diagnostics: Diagnostic[]): Declarations {
  const out: Declarations = {
    idps: new Map(),
    groups: new Map(),
    policies: new Map(),
    apps: [],
    lists: new Map(),
  };
  const appNames = new Map<string, Span>();
  const idpNames = new Map<string, Span>();
  for (const file of files) {
    for (const decl of file.decls) {
      switch (decl.kind) {
        case 'Idp': {
          if (isPlaceholder(decl.name)) break;
          const first = idpNames.get(decl.name.name);
          if (first) {
            diagnostics.push(duplicate('identity provider', decl.name.name, decl.name.span, first));
            break;
          }
          idpNames.set(decl.name.name, decl.name.span);
          out.idps.set(decl.name.name, resolveIdp(decl, diagnostics));
          break;
        }
        case 'Group':
        case 'ExternGroup': {
          if (emptyName(decl.name, diagnostics)) break;
          // Synthesized groups are recognised by this prefix (ownership, prune): a user group must not take it.
          if (decl.name.value.startsWith(SYNTH_PREFIX))
            diagnostics.push(
              diagnostic('ACL0315', decl.name.span, { name: decl.name.value, prefix: SYNTH_PREFIX }),
            );
          const first = out.groups.get(decl.name.value);
          if (first) diagnostics.push(duplicate('group', decl.name.value, decl.name.span, first.name.span));
          else out.groups.set(decl.name.value, decl);
          break;
        }
        case 'List': {
          if (emptyName(decl.name, diagnostics)) break;
          const first = out.lists.get(decl.name.value);
          if (first) diagnostics.push(duplicate('list', decl.name.value, decl.name.span, first.name.span));
          else out.lists.set(decl.name.value, decl);
          break;
        }
        case 'Policy': {
          if (emptyName(decl.name, diagnostics)) break;
          const first = out.policies.get(decl.name.value);
          if (first) diagnostics.push(duplicate('policy', decl.name.value, decl.name.span, first.name.span));
          else out.policies.set(decl.name.value, decl);
          break;
        }
        case 'App': {
          if (emptyName(decl.name, diagnostics)) break;
          const first = appNames.get(decl.name.value);
          if (first) {
            diagnostics.push(duplicate('app', decl.name.value, decl.name.span, first));
            break;
          }
          appNames.set(decl.name.value, decl.name.span);
          out.apps.push(decl);
          break;
        }
      }
    }
  }
  return out;
}
