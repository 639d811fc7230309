import { resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/source.js';
import { formatSource } from '../../fmt/print.js';
import { splitTestPaths } from '../../testing/files.js';
import { type Io, reportDiagnostics } from '../context.js';
import { EXIT, exitFor } from '../exit-codes.js';
import { readSource } from '../load.js';
import { discoverProjects } from '../projects.js';
import { readStdinTarget } from '../stdin.js';
import { writeAtomically } from '../write.js';

export interface FmtOptions {
  check?: boolean;
  /** Format the text on stdin as if it were this file, printing the result to stdout (`--stdin-filename`). */
  stdinFilename?: string;
}

type Edit = { op: ' ' | '-' | '+'; line: string };

/** Past this many differing lines the diff shows the whole file replaced instead of a minimal script. */
const MAX_EDIT_DISTANCE = 4000;

/**
 * The shortest edit script from `a` to `b` (Myers' O(ND) algorithm): runs of kept, removed and added lines.
 * Formatting changes are usually small, so D stays small; past `MAX_EDIT_DISTANCE` it gives up on minimality.
 */
export function diffLines(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  if (found < 0)
    return [
      ...a.map((line) => ({ op: '-' as const, line })),
      ...b.map((line) => ({ op: '+' as const, line })),
    ];

  // Walk the trace back from (n, m) to (0, 0).
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (prev[offset + k - 1] as number) < (prev[offset + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev[offset + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: ' ', line: a[--x] as string });
      y--;
    }
    if (down) edits.push({ op: '+', line: b[--y] as string });
    else edits.push({ op: '-', line: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    edits.push({ op: ' ', line: a[--x] as string });
    y--;
  }
  return edits.reverse();
}

const NO_EOL = '\u0000';
const range = (start: number, count: number) =>
  count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;

/** A unified diff (3 lines of context) between two texts, or '' when they are equal. */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  // A last line without a line break differs from the same line with one; it is marked and printed with a note.
  const split = (t: string) => {
    if (t === '') return [];
    const lines = t.replace(/\n$/, '').split('\n');
    if (!t.endsWith('\n')) lines[lines.length - 1] += NO_EOL;
    return lines;
  };
  const edits = diffLines(split(before), split(after));
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let i = 0;
  // Line numbers (1-based) of each edit in the old and the new text.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let w = 1;
  for (const e of edits) {
    oldAt.push(o);
    newAt.push(w);
    if (e.op !== '+') o++;
    if (e.op !== '-') w++;
  }
  while (i < edits.length) {
    if ((edits[i] as Edit).op === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2 × context kept lines.
    for (;;) {
      while (end < edits.length && (edits[end] as Edit).op !== ' ') end++;
      let gap = end;
      while (gap < edits.length && (edits[gap] as Edit).op === ' ') gap++;
      if (gap < edits.length && gap - end <= 2 * context) end = gap;
      else {
        end = Math.min(edits.length, end + context);
        break;
      }
    }
    const hunk = edits.slice(start, end);
    const oldCount = hunk.filter((e) => e.op !== '+').length;
    const newCount = hunk.filter((e) => e.op !== '-').length;
    out.push(`@@ -${range(oldAt[start] as number, oldCount)} +${range(newAt[start] as number, newCount)} @@`);
    for (const e of hunk) {
      if (e.line.endsWith(NO_EOL)) out.push(`${e.op}${e.line.slice(0, -1)}`, '\\ No newline at end of file');
      else out.push(`${e.op}${e.line}`);
    }
    i = end;
    start = end;
  }
  return `${out.join('\n')}\n`;
}

/**
 * `aclc fmt [paths…]`: rewrite the files asked for in the canonical format, atomically (folders are searched as by
 * every command, honouring `ignore`: see projects.ts); with `--check`, change nothing, print a unified diff of what
 * would change and exit 1 if anything would. Files that do not parse are left alone.
 */
export async function runFmt(paths: string[], options: FmtOptions, io: Io): Promise<number> {
  let overlay: ReadonlyMap<string, string> | undefined;
  if (options.stdinFilename !== undefined) {
    const stdin = await readStdinTarget(options.stdinFilename, paths, io);
    if ('usage' in stdin) {
      io.err(`error: ${stdin.usage}\n`);
      return EXIT.usage;
    }
    paths = stdin.paths;
    overlay = stdin.overlay;
  }
  // `.acltest` files (docs/testing.md) are formatted too; a folder holding only test files is not an error.
  const split = overlay
    ? { tests: [], aclPaths: paths, withTests: new Set<string>() }
    : splitTestPaths(paths, io.cwd);
  // Projects do not matter to formatting, but which files a folder holds does (nested folders, `ignore`).
  const discovery =
    split.aclPaths.length > 0 || split.tests.length === 0
      ? discoverProjects(split.aclPaths, io.cwd, overlay ? { read: 'targets', overlay } : { read: 'targets' })
      : { projects: [], diagnostics: [] };
  const files = discovery.projects.flatMap((p) => p.files);
  const diagnostics: Diagnostic[] = [
    ...discovery.diagnostics.filter((d) => !(d.code === 'ACL0001' && split.withTests.has(d.span.file))),
    ...discovery.projects.flatMap((p) => p.diagnostics),
  ];
  const testFiles: SourceFile[] = [];
  for (const t of split.tests) {
    const read = readSource(t.path, t.shown);
    if ('file' in read) testFiles.push(read.file);
    else diagnostics.push(read.diagnostic);
  }
  const formatTests =
    testFiles.length > 0 ? (await import('../../testing/format.js')).formatTestSource : undefined;
  // With a broken configuration its `ignore` is unknown: format nothing rather than files it may exclude.
  if (files.length + testFiles.length === 0 || diagnostics.some((d) => d.code === 'ACL0701')) {
    const configs = discovery.projects.flatMap((p) => (p.configFile ? [p.configFile] : []));
    reportDiagnostics(io, diagnostics, [...files, ...configs]);
    return EXIT.usage;
  }
  let changed = 0;
  for (const file of [...files, ...testFiles]) {
    const formatted = formatTests && testFiles.includes(file) ? formatTests(file) : formatSource(file);
    if (hasErrors(formatted.diagnostics)) {
      diagnostics.push(...formatted.diagnostics);
      continue;
    }
    if (overlay) {
      // stdin in, stdout out: the formatted text (or, with --check, the diff), never a file.
      if (!options.check) io.out(formatted.value);
      else if (formatted.value !== file.text) {
        changed++;
        io.out(unifiedDiff(file.path, file.text, formatted.value));
      }
      continue;
    }
    if (formatted.value === file.text) continue;
    changed++;
    if (options.check) {
      io.out(unifiedDiff(file.path, file.text, formatted.value));
      continue;
    }
    const failure = await writeAtomically(resolve(io.cwd, file.path), formatted.value);
    if (failure) diagnostics.push(failure);
    else io.out(`formatted ${file.path}\n`);
  }
  reportDiagnostics(io, diagnostics, [...files, ...testFiles]);
  if (options.check && changed > 0) {
    io.err(`${changed} file${changed === 1 ? '' : 's'} would be reformatted; run \`aclc fmt\`\n`);
    return EXIT.errors;
  }
  return exitFor(diagnostics);
}
