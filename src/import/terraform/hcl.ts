import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { diagnostic } from '../../diagnostics/catalog.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { SourceFile } from '../../diagnostics/source.js';
import { RESOURCE_KINDS } from './account.js';
import type { TfDocument, TfResource } from './show-json.js';

/**
 * `.tf` files read directly, for configurations whose values are literal: HCL → JSON with `@cdktf/hcl2json` (loaded
 * only here), then every value taken as written. A reference to another resource's `id` in the same files stands
 * for that resource; anything else Terraform would have to evaluate (variables, locals, functions, `for`
 * expressions, `for_each`, `count`, `dynamic` blocks, modules) is reported where it is written (`ACL0744`), with the
 * `terraform show -json` route in the help. Effects: reads the files.
 */

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What kind of expression needs Terraform. */
function kindOf(expr: string): string {
  if (/^var\./.test(expr)) return 'a variable';
  if (/^local\./.test(expr)) return 'a local value';
  if (/^module\./.test(expr)) return 'a module output';
  if (/^\[\s*for\s|^\{\s*for\s/.test(expr)) return 'a `for` expression';
  if (/^[a-z0-9_]+\(/i.test(expr)) return 'a function call';
  if (/^(each|count)\./.test(expr)) return 'a `for_each` or `count` value';
  if (/^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+\.id$/.test(expr)) return 'a resource these files do not declare';
  return 'a value Terraform resolves';
}

interface FileContext {
  file: SourceFile;
  /** `type.name` / `data.type.name` of every resource the files declare → the id that stands for it. */
  ids: Map<string, string>;
  problems: Diagnostic[];
}

/** Report an expression, at its place in the file when it can be found (after `from`), else at `from`. */
function report(ctx: FileContext, expr: string, what: string, from: number): void {
  const at = ctx.file.text.indexOf(expr, from);
  const start = at >= 0 ? at : from;
  const end = at >= 0 ? at + expr.length : from;
  if (ctx.problems.some((d) => d.span.file === ctx.file.path && d.span.start === start)) return;
  ctx.problems.push(diagnostic('ACL0744', { file: ctx.file.path, start, end }, { expression: expr, what }));
}

/** A value as written, with `${type.name.id}` of a declared resource replaced by the id standing for it. */
function literal(v: unknown, ctx: FileContext, from: number): unknown {
  if (typeof v === 'string') {
    const whole = /^\$\{([\s\S]*)\}$/.exec(v);
    if (whole) {
      const expr = (whole[1] as string).trim();
      const ref = /^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.id$/.exec(expr);
      const id = ref ? ctx.ids.get(ref[1] as string) : undefined;
      if (id) return id;
      report(ctx, expr, kindOf(expr), from);
      return v;
    }
    for (const m of v.matchAll(/\$\{([^}]*)\}/g))
      report(ctx, `\${${m[1]}}`, kindOf((m[1] as string).trim()), from);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => literal(x, ctx, from));
  if (isRecord(v)) {
    const out: Rec = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'dynamic') {
        report(ctx, 'dynamic', 'a `dynamic` block', from);
        continue;
      }
      out[k] = literal(x, ctx, from);
    }
    return out;
  }
  return v;
}

const META = new Set(['depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

/** The resources of one parsed file. */
function resourcesOf(json: Rec, ctx: FileContext): TfResource[] {
  const out: TfResource[] = [];
  const text = ctx.file.text;
  for (const [mode, key] of [
    ['managed', 'resource'],
    ['data', 'data'],
  ] as const) {
    const byType = isRecord(json[key]) ? json[key] : {};
    for (const [type, byName] of Object.entries(byType)) {
      if (!RESOURCE_KINDS[type] || !isRecord(byName)) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        const body = Array.isArray(bodies) && isRecord(bodies[0]) ? bodies[0] : {};
        const header = new RegExp(`${key}\\s+"${type}"\\s+"${name}"`).exec(text);
        const from = header?.index ?? 0;
        const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
        for (const meta of ['for_each', 'count'])
          if (meta in body) report(ctx, meta, `\`${meta}\`: one resource stands for several`, from);
        const values: Rec = {};
        for (const [k, v] of Object.entries(body)) {
          if (META.has(k) || k === 'for_each' || k === 'count') continue;
          // Which account does not matter, only that it is one; a zone-level object needs its zone's id, which is
          // literal or only Terraform knows it (reported, pointing at `terraform show -json`).
          if (k === 'account_id') values[k] = typeof v === 'string' && v !== '' ? k : null;
          else values[k] = literal(v, ctx, from);
        }
        values.id = ctx.ids.get(address);
        out.push({ address, configAddress: address, mode, type, name, values, unknown: [] });
      }
    }
  }
  for (const name of Object.keys(isRecord(json.module) ? json.module : {})) {
    const at = new RegExp(`module\\s+"${name}"`).exec(text)?.index ?? 0;
    report(ctx, `module.${name}`, 'a module: only Terraform knows the resources it makes', at);
  }
  return out;
}

/** The `.tf` file, or the `.tf` files of a folder (not its subfolders), as a Terraform document. */
export async function readTfFiles(
  full: string,
  path: string,
  isDir: boolean,
): Promise<{ doc?: TfDocument; diagnostics: Diagnostic[]; files: SourceFile[] }> {
  const names = isDir ? (await readdir(full)).filter((n) => n.endsWith('.tf')).sort() : [basename(full)];
  const paths = isDir ? names.map((n) => join(path, n)) : [path];
  const fulls = isDir ? names.map((n) => join(full, n)) : [full];
  if (names.length === 0)
    return {
      diagnostics: [
        diagnostic(
          'ACL0740',
          { file: path, start: 0, end: 0 },
          { path, reason: 'the folder has no `.tf` files' },
        ),
      ],
      files: [],
    };
  const { parse } = await import('@cdktf/hcl2json');
  const files: SourceFile[] = [];
  const parsed: Rec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [i, p] of paths.entries()) {
    const text = await readFile(fulls[i] as string, 'utf8');
    const file = new SourceFile(p, text);
    files.push(file);
    try {
      parsed.push((await parse(p, text)) as Rec);
    } catch (e) {
      const reason = String((e as Error).message ?? e).split('\n')[0] ?? 'not valid HCL';
      diagnostics.push(diagnostic('ACL0740', { file: p, start: 0, end: 0 }, { path: p, reason }));
      parsed.push({});
    }
  }
  // Every declared resource gets an id that stands for it, so references between them survive.
  const ids = new Map<string, string>();
  for (const json of parsed)
    for (const key of ['resource', 'data'] as const)
      for (const [type, byName] of Object.entries(isRecord(json[key]) ? json[key] : {}))
        for (const name of Object.keys(isRecord(byName) ? byName : {})) {
          const address = key === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          ids.set(address, `tf:${address}`);
        }
  const resources: TfResource[] = [];
  for (const [i, json] of parsed.entries()) {
    const ctx: FileContext = { file: files[i] as SourceFile, ids, problems: diagnostics };
    resources.push(...resourcesOf(json, ctx));
  }
  diagnostics.sort((a, b) =>
    a.span.file === b.span.file ? a.span.start - b.span.start : a.span.file < b.span.file ? -1 : 1,
  );
  if (diagnostics.length > 0) return { diagnostics, files };
  return { doc: { source: 'files', resources }, diagnostics, files };
}
