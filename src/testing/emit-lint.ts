import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { decide } from '../explain/trace.js';
import { renderWitnessTest, type WitnessTest } from './emit.js';
import type { ModelApp } from './model.js';
import { prepareSuite } from './suite.js';

const inside = (outer: Span, inner: Span): boolean =>
  outer.file === inner.file && outer.start <= inner.start && inner.end <= outer.end;

/**
 * `aclc lint --emit-tests`: every finding with a witness identity becomes a ready-to-paste example test that pins
 * what Access decides for the witness today, on the apps the finding is about (the app it is in, else the apps
 * using the policy or group it is in, else every app). Fixing the finding changes a decision, so the test fails
 * until its expectation is updated to what was meant — and from then on keeps the fix in place.
 * Returns the text of a `.acltest` file ('' when no finding has a witness or the project does not compile).
 */
export function emitLintTests(files: readonly SourceFile[], diagnostics: readonly Diagnostic[]): string {
  const withWitness = diagnostics.filter((d) => d.witness !== undefined);
  if (withWitness.length === 0) return '';
  const { prepared } = prepareSuite(files, []);
  if (!prepared) return '';
  const { project, model, index } = prepared;
  const names = new Set<string>();
  const out: string[] = [];
  for (const d of withWitness) {
    const identity = d.witness ?? {};
    let apps: ModelApp[] = [];
    const app = project.apps.find((a) => inside(a.span, d.span));
    if (app) apps = model.byName.has(app.name) ? [model.byName.get(app.name) as ModelApp] : [];
    if (apps.length === 0) {
      const policies = new Set(
        [...project.policies.values()].filter((p) => inside(p.span, d.span)).map((p) => p.name),
      );
      if (policies.size > 0)
        apps = model.apps.filter((a) => a.entries.some((e) => policies.has(e.policy.name)));
    }
    if (apps.length === 0) apps = model.apps;
    if (apps.length === 0) continue;
    const file = files.find((f) => f.path === d.span.file);
    const pos = file?.position(d.span.start);
    const base = `${d.code}: ${d.message.replace(/`/g, '')}`.slice(0, 120);
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base} (${n})`;
    names.add(name);
    const test: WitnessTest = {
      name,
      identity,
      expects: apps.map((a) => {
        const got = decide(model, a, identity);
        const entry = got.entry !== undefined ? a.entries[got.entry] : undefined;
        const policy = entry
          ? (index.policy(entry.policy.name)?.displayName ?? entry.policy.name)
          : undefined;
        return { app: a.name, outcome: got.outcome, ...(policy !== undefined ? { policy } : {}) };
      }),
      comment: [
        `${d.code} at ${d.span.file}${pos ? `:${pos.line}:${pos.column}` : ''}: ${d.message}`,
        'Pins what Access decides for the witness today; after fixing the finding, set the expectation to what you mean.',
      ],
    };
    out.push(renderWitnessTest(test, project));
  }
  return out.join('\n');
}
