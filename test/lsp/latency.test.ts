import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Diagnostic as LspDiagnostic, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateProject } from '../../scripts/bench/generate.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { inlineAnalyzer } from '../../src/lsp/analysis.js';
import { findingKey, toLspDiagnostic } from '../../src/lsp/convert.js';
import { DiagnosticsEngine, lookupOf } from '../../src/lsp/diagnostics.js';
import { DocumentStore } from '../../src/lsp/documents.js';
import { parseCached, Workspace } from '../../src/lsp/workspace.js';
import { uriOf } from './client.js';

// The diagnostics engine in-process, with the analysis on this thread: how it schedules passes and what it
// publishes, without a child process in between.

interface Publication {
  uri: string;
  version: number | undefined;
  diagnostics: LspDiagnostic[];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-lsp-latency-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let made = 0;
function harness(text: string, delayMs: number) {
  const path = join(dir, `doc${made++}`, 'policies.acl');
  mkdirSync(join(path, '..'));
  writeFileSync(path, text);
  const store = new DocumentStore();
  const published: Publication[] = [];
  let wake: (() => void) | undefined;
  const engine = new DiagnosticsEngine(
    store,
    new Workspace([dir]),
    (uri, version, diagnostics) => {
      published.push({ uri, version, diagnostics });
      wake?.();
      return undefined;
    },
    delayMs,
    inlineAnalyzer(),
  );
  const uri = uriOf(path);
  const open = store.open(uri, 'acl', 1, text);
  if (!open) throw new Error('not a file URI');
  engine.opened(open);
  let version = 1;
  let current = text;
  return {
    engine,
    published,
    uri,
    get text() {
      return current;
    },
    get version() {
      return version;
    },
    /** Replace `[start, end)` of the current text. */
    edit(start: number, end: number, inserted: string): number {
      const doc = open.doc;
      const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
      current = current.slice(0, start) + inserted + current.slice(end);
      version++;
      const changed = store.change(uri, version, [{ range, text: inserted }]);
      if (!changed) throw new Error('not open');
      engine.changed(changed.doc, changed.applied);
      return version;
    },
    /** The `n`-th publication (1-based) for `v`, once it has been made. */
    async publication(v: number, n = 1): Promise<Publication> {
      for (;;) {
        const mine = published.filter((p) => p.uri === uri && p.version === v);
        if (mine.length >= n) return mine[n - 1] as Publication;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    /** What converting the document's current findings afresh gives, in the order the engine publishes them. */
    fresh(): LspDiagnostic[] {
      const unit = engine.unitOf(open);
      const source = new SourceFile(engine.displayPath(open), current);
      const lookup = lookupOf({ unit, files: [source] });
      const seen = new Set<string>();
      return engine.findingsOf(uri).flatMap((d) => {
        const key = findingKey(d);
        if (seen.has(key)) return [];
        seen.add(key);
        return [toLspDiagnostic(d, source, version, lookup)];
      });
    },
  };
}

const TEXT = generateProject(40, 10);

const covered = (text: string, range: Range): string => {
  const doc = TextDocument.create('file:///x', 'acl', 1, text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
};

describe('publishing after an edit', () => {
  it('publishes the same diagnostics as converting the current findings afresh, reusing unmoved ones', async () => {
    let reused = 0;
    let total = 0;
    const editArb = fc.record({
      at: fc.nat(),
      length: fc.nat({ max: 12 }),
      text: fc.oneof(
        fc.constantFrom('', 'x', '\n', '\r', '\r\n', '"', ' ', '  allow "N" if email("a@b.c")\n', '}', '{'),
        fc.string({ maxLength: 6 }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 8 }), async (edits) => {
        // No full run during the edits: every published finding is the syntax pass's or one moved along.
        const h = harness(TEXT, 1_000_000_000);
        try {
          const original = (await h.publication(1, 2)).diagnostics;
          // What each finding of the full run covers: an edit moves it along or drops it, never changes it.
          const found = new Set(original.map((d) => `${d.code} ${d.message} ${covered(TEXT, d.range)}`));
          let previous = original;
          for (const e of edits) {
            const start = e.at % (h.text.length + 1);
            const v = h.edit(start, Math.min(h.text.length, start + e.length), e.text);
            const got = (await h.publication(v)).diagnostics;
            expect(got).toEqual(h.fresh());
            const syntax = new Set(
              parseCached(new SourceFile('x', h.text)).diagnostics.map((d) => `${d.code} ${d.message}`),
            );
            for (const d of got)
              if (!syntax.has(`${d.code} ${String(d.message).split('\n')[0]}`))
                expect(found).toContain(`${d.code} ${d.message} ${covered(h.text, d.range)}`);
            const before = new Set(previous.map((d) => d.range));
            reused += got.filter((d) => before.has(d.range)).length;
            total += got.length;
            previous = got;
          }
        } finally {
          h.engine.dispose();
        }
      }),
      { numRuns: 40, seed: 20261203 },
    );
    // Non-vacuity: most findings lie before a random edit and are published as converted before.
    expect(total).toBeGreaterThan(1000);
    expect(reused).toBeGreaterThan(total / 10);
  }, 60_000);
});

describe('when full runs start', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs the first edit after a pause at once, and a burst of edits once more after it pauses', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const h = harness(TEXT, 150);
    try {
      // Opening the document analyses it at once.
      await vi.advanceTimersByTimeAsync(0);
      expect(h.engine.runs).toBe(1);
      const at = h.text.lastIndexOf('domain "') + 'domain "'.length;
      // A single edit after a pause: analysed without waiting for the debounce.
      await vi.advanceTimersByTimeAsync(1000);
      const single = h.edit(at, at, 'x');
      await vi.advanceTimersByTimeAsync(0);
      expect(h.engine.runs).toBe(2);
      expect(h.published.filter((p) => p.version === single)).toHaveLength(2);
      // Typing: ten edits 50 ms apart. The first comes after a pause and runs at once; the others wait.
      await vi.advanceTimersByTimeAsync(1000);
      let last = 0;
      for (let i = 0; i < 10; i++) {
        last = h.edit(at, at, 'y');
        await vi.advanceTimersByTimeAsync(50);
      }
      expect(h.engine.runs).toBe(3);
      // Each edit got its syntax pass; the burst's full run comes `delayMs` after its last edit.
      expect(h.published.filter((p) => p.version === last)).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(h.engine.runs).toBe(4);
      expect(h.published.filter((p) => p.version === last)).toHaveLength(2);
    } finally {
      h.engine.dispose();
    }
  });
});
