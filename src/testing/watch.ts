import { type FSWatcher, watch } from 'node:fs';
import type { Io } from '../cli/context.js';
import { EXIT } from '../cli/exit-codes.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { CompiledModel, ModelApp } from './model.js';

/** What a change affects: tests of these files, and tests of these apps (by project root). */
export interface Selection {
  files: Set<string>;
  apps: Set<string>;
}

/** One app's compiled form with everything it depends on (policies, groups), as a string to compare. */
export function appFingerprint(model: CompiledModel, app: ModelApp): string {
  const groups = new Set<string>();
  const pending: string[] = [];
  const visit = (rules: readonly Record<string, Record<string, unknown>>[]): void => {
    for (const r of rules) {
      const g = model.documentGroup(r);
      if (g !== undefined && !groups.has(g)) {
        groups.add(g);
        pending.push(g);
      }
    }
  };
  for (const e of app.entries)
    for (const l of [e.policy.include, e.policy.require, e.policy.exclude]) visit(l);
  while (pending.length > 0) {
    const g = model.groups.get(pending.pop() as string);
    if (g) for (const l of [g.include, g.require, g.exclude]) visit(l);
  }
  return JSON.stringify([
    app.app,
    app.entries.map((e) => e.policy),
    [...groups].sort().map((g) => model.groups.get(g)),
  ]);
}

/**
 * Remembers what the last run saw, so the next run after a change reruns only the tests it affects: the tests of
 * a test file that changed, and the tests of apps whose compiled form (policies and groups included) changed.
 */
export class ChangeTracker {
  private readonly texts = new Map<string, string>();
  private readonly prints = new Map<string, string>();
  private primed = false;

  /** The selection for a project's next run; `undefined` on the first run (everything runs). */
  select(
    root: string,
    tests: readonly SourceFile[],
    model: CompiledModel | undefined,
  ): Selection | undefined {
    const files = new Set<string>();
    for (const t of tests) {
      if (this.texts.get(t.path) !== t.text) files.add(t.path);
      this.texts.set(t.path, t.text);
    }
    const apps = new Set<string>();
    if (model) {
      const names = new Set<string>();
      for (const app of model.apps) {
        const key = `${root}\u0000${app.name}`;
        names.add(key);
        const print = appFingerprint(model, app);
        if (this.prints.get(key) !== print) apps.add(app.name);
        this.prints.set(key, print);
      }
      // A removed app affects the tests that name it: they now fail with "unknown app".
      for (const key of this.prints.keys())
        if (key.startsWith(`${root}\u0000`) && !names.has(key)) {
          apps.add(key.slice(root.length + 1));
          this.prints.delete(key);
        }
    }
    return this.primed ? { files, apps } : undefined;
  }

  /** Called after the first full run. */
  prime(): void {
    this.primed = true;
  }
}

/**
 * `--watch`: watch the projects' folders and rerun after each change (debounced) until interrupted. Resolves with
 * the exit code of the last run when the process gets SIGINT or SIGTERM.
 */
export function watchTests(
  roots: readonly string[],
  io: Io,
  rerun: () => number,
  first: number,
): Promise<number> {
  return new Promise((resolveExit) => {
    let last = first;
    let timer: NodeJS.Timeout | undefined;
    const watchers: FSWatcher[] = [];
    const fire = (): void => {
      timer = undefined;
      io.err('\n[watch] change detected, rerunning the affected tests\n');
      last = rerun();
    };
    for (const root of new Set(roots)) {
      try {
        watchers.push(
          watch(root, { recursive: true }, (_event, name) => {
            if (name && !/\.(acl|acltest|json)$/.test(String(name))) return;
            if (timer) clearTimeout(timer);
            timer = setTimeout(fire, 150);
          }),
        );
      } catch {
        io.err(`[watch] cannot watch \`${root}\`\n`);
      }
    }
    io.err('[watch] watching for changes; press Ctrl-C to stop\n');
    const stop = (): void => {
      for (const w of watchers) w.close();
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveExit(watchers.length === 0 ? EXIT.errors : last);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
