import { fileURLToPath } from 'node:url';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** An edit as the store saw it: where it replaced text (offsets in the text before it) and by how much it grew. */
export interface AppliedChange {
  /** Whole-document replacement: nothing before it can be mapped onto the new text. */
  full: boolean;
  start: number;
  end: number;
  /** Length of the inserted text. */
  inserted: number;
}

/** One open document: its text at a version, as the editor holds it (unsaved changes included). */
export interface OpenDocument {
  uri: string;
  /** Absolute file path (`file:` URIs only; other schemes are not served). */
  path: string;
  doc: TextDocument;
}

/**
 * The one store of open documents, with their versions. The editor's buffers override the files on disk for every
 * analysis; `onChange` listeners learn each edit with its offsets, so results computed on an older version can be
 * moved along with the text (or dropped where the edit touched them).
 */
export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string): OpenDocument | undefined {
    const path = uriToPath(uri);
    if (path === undefined) return undefined;
    const open = { uri, path, doc: TextDocument.create(uri, languageId, version, text) };
    this.docs.set(uri, open);
    return open;
  }

  /** Apply the editor's changes in order; returns each change as offsets into the text it applied to. */
  change(
    uri: string,
    version: number,
    changes: readonly TextDocumentContentChangeEvent[],
  ): { doc: OpenDocument; applied: AppliedChange[] } | undefined {
    const open = this.docs.get(uri);
    if (!open) return undefined;
    const applied: AppliedChange[] = [];
    let doc = open.doc;
    for (const change of changes) {
      if ('range' in change) {
        const start = doc.offsetAt(change.range.start);
        const end = doc.offsetAt(change.range.end);
        applied.push({ full: false, start, end, inserted: change.text.length });
      } else applied.push({ full: true, start: 0, end: doc.getText().length, inserted: change.text.length });
      doc = TextDocument.update(doc, [change], version);
    }
    // A change list can be empty (a version bump only); the version still moves.
    if (changes.length === 0) doc = TextDocument.update(doc, [], version);
    open.doc = doc;
    return { doc: open, applied };
  }

  close(uri: string): OpenDocument | undefined {
    const open = this.docs.get(uri);
    this.docs.delete(uri);
    return open;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  byPath(path: string): OpenDocument | undefined {
    for (const open of this.docs.values()) if (open.path === path) return open;
    return undefined;
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  /** Absolute path → text of every open document: what analyses read instead of the disk. */
  overlay(): Map<string, string> {
    return new Map([...this.docs.values()].map((d) => [d.path, d.doc.getText()]));
  }
}

/** The file path of a `file:` URI, or undefined for other schemes (untitled buffers, remote files). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
