import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { displayPath, SKIP_DIRS } from './load.js';

/**
 * When a name is undefined in a project but defined in a neighbouring folder that is another project, say where, and
 * how to join them. Only for diagnostics that are there already (an unknown group, policy or identity provider), so
 * a clean run reads nothing more. Bounded: folders up to two levels below the project's parent, at most
 * `MAX_FILES` files of at most `MAX_BYTES` each.
 */

const MAX_FILES = 500;
const MAX_BYTES = 1_000_000;

/**
 * What an undefined-name diagnostic looks for, and where a file defines such names: `definitions` matches each
 * definition at the start of a line and captures the name as written (up to its closing quote, or the whole
 * identifier), so one scan of a file finds every name it defines. Each pattern stays within one line, so the scan is
 * linear whatever the file holds.
 */
const KINDS: Readonly<Record<string, { kind: string; definitions: RegExp }>> = {
  ACL0302: { kind: 'group', definitions: /^[ \t]*(?:extern[ \t]+)?group[ \t]+"([^"\r\n]*)"/gm },
  ACL0304: { kind: 'policy', definitions: /^[ \t]*policy[ \t]+"([^"\r\n]*)"/gm },
  ACL0303: { kind: 'idp', definitions: /^[ \t]*idp[ \t]+([A-Za-z_][A-Za-z0-9_-]*)/gm },
};

/** `.acl` files below `dir`, up to `depth` folder levels, skipping `skip`, at most `budget.left` files. */
function aclFiles(dir: string, depth: number, skip: string, budget: { left: number }, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    if (budget.left <= 0) return;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && path !== skip && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.'))
        aclFiles(path, depth - 1, skip, budget, out);
    } else if (e.isFile() && extname(e.name) === '.acl') {
      budget.left--;
      out.push(path);
    }
  }
}

function commonFolder(a: string, b: string): string {
  const x = a.split(sep);
  const y = b.split(sep);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(sep) || sep;
}

/**
 * Copies of `diagnostics` whose undefined names are defined in a neighbouring project, with a help saying where.
 * `root` is the project's folder and `files` its files (absolute paths).
 */
export function addSiblingHints(
  diagnostics: readonly Diagnostic[],
  root: string,
  files: ReadonlySet<string>,
  cwd: string,
): Diagnostic[] {
  const wanted = diagnostics.filter((d) => KINDS[d.code] !== undefined);
  if (wanted.length === 0) return [...diagnostics];
  const parent = dirname(resolve(root));
  const candidates: string[] = [];
  aclFiles(parent, 2, resolve(root), { left: MAX_FILES }, candidates);
  // Each neighbouring file is read and scanned once, whatever the number of diagnostics: kind → name → the first
  // file (in walk order) that defines it.
  let defined: Map<string, Map<string, string>> | undefined;
  const definedNames = (): Map<string, Map<string, string>> => {
    if (defined) return defined;
    defined = new Map(Object.values(KINDS).map((k) => [k.kind, new Map<string, string>()]));
    for (const path of candidates) {
      if (files.has(path)) continue;
      let text: string;
      try {
        text = statSync(path).size <= MAX_BYTES ? readFileSync(path, 'utf8') : '';
      } catch {
        continue;
      }
      for (const spec of Object.values(KINDS)) {
        const names = defined.get(spec.kind) as Map<string, string>;
        for (const m of text.matchAll(spec.definitions)) {
          const name = m[1] as string;
          if (!names.has(name)) names.set(name, path);
        }
      }
    }
    return defined;
  };
  return diagnostics.map((d) => {
    const spec = KINDS[d.code];
    const name = /`([^`]+)`/.exec(d.message)?.[1];
    if (!spec || name === undefined) return d;
    const found = definedNames().get(spec.kind)?.get(name);
    if (!found) return d;
    const common = commonFolder(resolve(root), dirname(found));
    const shownCommon = relative(cwd, common) === '' ? '.' : displayPath(common, cwd);
    const where = `${spec.kind} \`${name}\` is defined in \`${displayPath(found, cwd)}\`, which belongs to another project`;
    const how = `to make them one project, add an \`aclc.config.json\` (\`{}\` is enough) at their common folder \`${shownCommon}\``;
    return { ...d, help: `${where}; ${how}` };
  });
}
