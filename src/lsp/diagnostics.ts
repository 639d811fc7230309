import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { Diagnostic, Fix } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { append } from '../lint/walk.js';
import type { AnalysisRequest, Analyzer } from './analysis.js';
import { type FileLookup, fileUri, findingKey, toLspDiagnostic } from './convert.js';
import type { AppliedChange, DocumentStore, OpenDocument } from './documents.js';
import { atVersion, moveAll, ownSpans } from './moves.js';
import { parseCached, type Snapshot, type Unit, type Workspace } from './workspace.js';

/**
 * Milliseconds the syntax pass waits for more edits during a burst (a replace-all, a macro, a fast typist): the
 * burst is parsed and published once per window. The JSON-RPC reader hands over one message per turn of the event
 * loop, so waiting for the next turn alone would not gather them.
 */
const SYNTAX_DELAY_MS = 4;

/**
 * An edit that comes within this many milliseconds of the document's last syntax pass is part of a burst and
 * waits `SYNTAX_DELAY_MS`; any other edit is parsed and published at once (the next turn of the event loop).
 */
const SYNTAX_BURST_MS = 16;

/**
 * Sends one file's diagnostics to the client (`version` when the file is open); may return when they are written.
 */
export type Publish = (
  uri: string,
  version: number | undefined,
  diagnostics: LspDiagnostic[],
) => undefined | Promise<unknown>;

interface DocState {
  /** Lexer and parser findings of the document's current text. */
  syntax: Diagnostic[];
  /** The rest of the latest full run, moved along with every edit since (findings an edit touched are dropped). */
  carried: Diagnostic[];
}

/**
 * Diagnostics as you type, in two passes. On every edit the document is parsed at once and its syntax findings are
 * published with what the last full run found (moved along with the edit). A full run, the same pipeline as
 * `aclc lint` over the document's whole project with the open buffers over the disk, follows after `delayMs` without
 * edits to that project. A run whose inputs changed before it finished is thrown away, and every publication
 * carries the version of the text it describes, so the editor never sees findings for a text that is gone.
 */
export class DiagnosticsEngine {
  private readonly docs = new Map<string, DocState>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; unit: Unit }>();
  /** Files that are not open but got diagnostics (a broken configuration), per unit, to clear them later. */
  private readonly extra = new Map<string, Set<string>>();
  /** Documents whose syntax pass is due (edits that arrive together are parsed once). */
  private readonly dueSyntax = new Set<string>();
  /** When each document's last syntax pass ended (`performance.now()`). */
  private readonly lastSyntax = new Map<string, number>();
  /** When each unit last had an edit (`performance.now()`): a full run starts at once after a pause. */
  private readonly lastEdit = new Map<string, number>();
  /**
   * The LSP form of findings whose every span lies in their own document, by finding. A finding keeps its identity
   * across edits only while every edit lies after all its spans (`moveAll`), so its positions are still right.
   */
  private readonly converted = new WeakMap<Diagnostic, LspDiagnostic>();
  /** `findingKey` of the findings published, by finding (it joins the whole message). */
  private readonly keys = new WeakMap<Diagnostic, string>();
  private disposed = false;
  /** The last syntax publication, settled once written to the client. */
  private written: Promise<unknown> = Promise.resolve();
  /** Full runs completed (for tests and benchmarks). */
  runs = 0;
  /** Units with a full run in flight, and those that need another when it ends. */
  private readonly running = new Set<string>();
  private readonly rerun = new Map<string, Unit>();

  constructor(
    private readonly store: DocumentStore,
    private readonly workspace: Workspace,
    private readonly publish: Publish,
    private readonly delayMs: number,
    readonly analyzer: Analyzer,
    private readonly onRunError: (error: unknown) => void = () => {},
  ) {}

  opened(doc: OpenDocument): void {
    this.docs.set(doc.uri, { syntax: [], carried: [] });
    this.syntaxPass(doc);
    this.schedule(this.unitOf(doc));
  }

  changed(doc: OpenDocument, applied: readonly AppliedChange[]): void {
    const state = this.docs.get(doc.uri);
    if (!state) return;
    const file = this.displayPath(doc);
    state.carried = moveAll(state.carried, file, applied);
    if (!this.dueSyntax.has(doc.uri)) {
      this.dueSyntax.add(doc.uri);
      const run = () => {
        this.dueSyntax.delete(doc.uri);
        if (this.store.get(doc.uri) === doc) this.syntaxPass(doc);
      };
      const since = performance.now() - (this.lastSyntax.get(doc.uri) ?? Number.NEGATIVE_INFINITY);
      if (since >= SYNTAX_BURST_MS) setImmediate(run);
      else setTimeout(run, SYNTAX_DELAY_MS);
    }
    this.schedule(this.unitOf(doc));
  }

  closed(doc: OpenDocument): void {
    this.docs.delete(doc.uri);
    this.lastSyntax.delete(doc.uri);
    this.publish(doc.uri, undefined, []);
    // Its unsaved text no longer stands in for the file: the others see the disk again.
    this.refresh();
  }

  /** Files or configurations changed on disk: read them again and re-run every open project. */
  refresh(): void {
    this.workspace.invalidate();
    for (const doc of this.store.all()) this.schedule(this.unitOf(doc));
  }

  dispose(): void {
    this.disposed = true;
    for (const pending of this.timers.values()) clearTimeout(pending.timer);
    this.timers.clear();
    this.analyzer.dispose();
  }

  /** A document's current findings (their spans are in its current text). */
  findingsOf(uri: string): Diagnostic[] {
    const state = this.docs.get(uri);
    return state ? [...state.syntax, ...state.carried] : [];
  }

  /** The fixes of a document's current findings (their spans are in its current text). */
  fixesOf(uri: string): Fix[] {
    const state = this.docs.get(uri);
    if (!state) return [];
    return [...state.syntax, ...state.carried].flatMap((d) => (d.fix ? [d.fix] : []));
  }

  unitOf(doc: OpenDocument): Unit {
    return this.workspace.unitFor(doc.path, doc.doc.getText());
  }

  /** The document's path as diagnostics name it (relative to its unit's folder). */
  displayPath(doc: OpenDocument): string {
    return (this.unitOf(doc).disk.get(doc.path) as SourceFile).path;
  }

  /** The current snapshot of a document's unit (open buffers over the disk). */
  snapshotOf(doc: OpenDocument): Snapshot {
    return this.workspace.snapshot(this.unitOf(doc), this.openTexts());
  }

  private openTexts(): Map<string, { text: string; version: number }> {
    return new Map(this.store.all().map((d) => [d.path, { text: d.doc.getText(), version: d.doc.version }]));
  }

  private syntaxPass(doc: OpenDocument): void {
    const state = this.docs.get(doc.uri);
    if (!state) return;
    const source = new SourceFile(this.displayPath(doc), doc.doc.getText());
    state.syntax = parseCached(source).diagnostics;
    this.publishDoc(doc, source, state);
    this.lastSyntax.set(doc.uri, performance.now());
  }

  /**
   * Run the unit's full analysis: at once (after the syntax pass) when it comes after a pause of `delayMs` without
   * edits, else `delayMs` after the last edit of the burst. Typing thus starts one run when it begins and one when
   * it pauses, never one per keystroke.
   */
  private schedule(unit: Unit): void {
    const now = performance.now();
    const last = this.lastEdit.get(unit.key);
    this.lastEdit.set(unit.key, now);
    const pending = this.timers.get(unit.key);
    if (pending) clearTimeout(pending.timer);
    if (!pending && (last === undefined || now - last >= this.delayMs)) {
      // After this edit's syntax pass (queued before) has been written, so the two do not compete; unless a newer
      // edit has meanwhile scheduled a run of its own.
      setImmediate(() => {
        const after = () => {
          if (!this.timers.has(unit.key)) this.start(unit);
        };
        this.written.then(after, after);
      });
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(unit.key);
      this.start(unit);
    }, this.delayMs);
    this.timers.set(unit.key, { timer, unit });
  }

  /** Start a full run, or mark the unit for another one when a run is in flight (one at a time per unit). */
  private start(unit: Unit): void {
    if (this.disposed) return;
    if (this.running.has(unit.key)) {
      this.rerun.set(unit.key, unit);
      return;
    }
    this.running.add(unit.key);
    this.runUnit(unit)
      .catch((error: unknown) => this.onRunError(error))
      .finally(() => {
        this.running.delete(unit.key);
        const again = this.rerun.get(unit.key);
        this.rerun.delete(unit.key);
        if (again) this.start(again);
      });
  }

  private async runUnit(unit: Unit): Promise<void> {
    const open = this.store.all().filter((d) => unit.disk.has(d.path) && this.docs.has(d.uri));
    if (open.length === 0) return;
    const texts = this.openTexts();
    const versions = new Map(open.map((d) => [d.path, d.doc.version]));
    const files = unit.paths.map((abs) => {
      const disk = unit.disk.get(abs) as SourceFile;
      const buffer = texts.get(abs);
      return buffer && buffer.text !== disk.text ? new SourceFile(disk.path, buffer.text) : disk;
    });
    const targets = open.map((d) => (unit.disk.get(d.path) as SourceFile).path);
    const request: AnalysisRequest = {
      files: files.map((f) => ({ path: f.path, text: f.text })),
      targets,
      config: unit.config,
      setup: unit.setup,
      ...(unit.configFile ? { configFile: { path: unit.configFile.path, text: unit.configFile.text } } : {}),
    };
    const found = await this.analyzer.run(request);
    this.runs++;
    // INVARIANT: a result is published only for the texts it was computed on; a newer run follows any edit.
    for (const d of open) if (this.store.get(d.uri) !== d || versions.get(d.path) !== d.doc.version) return;
    if (open.some((d) => !this.docs.has(d.uri))) return;

    const lookup = lookupOf({ unit, files });
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of found) append(byFile, d.span.file, d);
    for (const doc of open) {
      const state = this.docs.get(doc.uri) as DocState;
      const file = files[unit.paths.indexOf(doc.path)] as SourceFile;
      const syntax = parseCached(file).diagnostics;
      const mine = byFile.get(file.path) ?? [];
      byFile.delete(file.path);
      const syntaxKeys = new Set(syntax.map(findingKey));
      state.syntax = syntax;
      state.carried = mine.filter((d) => !syntaxKeys.has(findingKey(d)));
      this.publishDoc(doc, file, state, lookup);
    }
    // Findings in files that are not open: the configuration file.
    const before = this.extra.get(unit.key) ?? new Set<string>();
    const now = new Set<string>();
    for (const [display, list] of byFile) {
      const where = lookup.file(display);
      if (!where) continue;
      now.add(where.uri);
      this.publish(
        where.uri,
        undefined,
        list.map((d) => toLspDiagnostic(d, where.source, 0, lookup)),
      );
    }
    for (const uri of before) if (!now.has(uri)) this.publish(uri, undefined, []);
    this.extra.set(unit.key, now);
  }

  private publishDoc(doc: OpenDocument, source: SourceFile, state: DocState, lookup?: FileLookup): void {
    let files = lookup;
    const version = doc.doc.version;
    const seen = new Set<string>();
    const out: LspDiagnostic[] = [];
    for (const d of [...state.syntax, ...state.carried]) {
      let key = this.keys.get(d);
      if (key === undefined) {
        key = findingKey(d);
        this.keys.set(d, key);
      }
      if (seen.has(key)) continue;
      seen.add(key);
      let lsp = this.converted.get(d);
      if (lsp) lsp = atVersion(lsp, version);
      else {
        files ??= lookupOf(this.snapshotLite(doc, source));
        lsp = toLspDiagnostic(d, source, version, files);
        if (ownSpans(d, source.path)) this.converted.set(d, lsp);
      }
      out.push(lsp);
    }
    this.written = this.publish(doc.uri, version, out) ?? Promise.resolve();
  }

  /** Files for converting carried findings: the unit's disk files with the open buffers over them, unparsed. */
  private snapshotLite(doc: OpenDocument, source: SourceFile): { unit: Unit; files: SourceFile[] } {
    const unit = this.unitOf(doc);
    const files = unit.paths.map((abs) => {
      if (abs === doc.path) return source;
      const open = this.store.byPath(abs);
      const disk = unit.disk.get(abs) as SourceFile;
      return open ? new SourceFile(disk.path, open.doc.getText()) : disk;
    });
    return { unit, files };
  }
}

/** Display path → source and URI, over a unit's files and its configuration. */
export function lookupOf(snapshot: { unit: Unit; files: readonly SourceFile[] }): FileLookup {
  const { unit } = snapshot;
  const map = new Map<string, { source: SourceFile; uri: string }>();
  snapshot.files.forEach((f, i) => {
    map.set(f.path, { source: f, uri: fileUri(unit.paths[i] as string) });
  });
  if (unit.configFile) {
    const abs = `${unit.root}/aclc.config.json`;
    map.set(unit.configFile.path, { source: unit.configFile, uri: fileUri(abs) });
  }
  return { file: (display) => map.get(display) };
}
