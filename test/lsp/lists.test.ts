import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionOf, TestClient } from './client.js';

/**
 * Navigation for Zero Trust list names (`list "…" = …`, named by `ip_list("…")` / `email_list("…")`) through the
 * language server: definition, references, rename, hover and completion, across the files of a project.
 */

const LISTS = `list "GitHub hooks" = ip("192.30.252.0/22", "185.199.108.0/22")

list "Reviewers" = email("ana@contractor.example")
`;
const APPS = `app "CI" {
  domain "ci.example.com"

  bypass "Hooks" if ip_list("GitHub hooks")
  allow "Reviewers" if email_list("Reviewers") or ip_list("Office")
}

app "Docs" {
  domain "docs.example.com"

  allow "Hooks" if ip_list("GitHub hooks") and email_list("")
}
`;

type L = { uri: string; range: { start: { line: number; character: number } } }[];
const pos = positionOf;

let client: TestClient;
let dir: string;
let lists: string;
let apps: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-lsp-lists-'));
  writeFileSync(join(dir, 'lists.acl'), LISTS);
  writeFileSync(join(dir, 'apps.acl'), APPS);
  client = new TestClient(dir);
  await client.initialize(dir, { semanticDelayMs: 20 });
  lists = await client.open(join(dir, 'lists.acl'), LISTS);
  apps = await client.open(join(dir, 'apps.acl'), APPS);
});

afterAll(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('list names in the language server', () => {
  it('goes to the declaration and finds every use across files', async () => {
    const at = pos(APPS, 'ip_list("GitHub hooks")', 10);
    const defs = await client.request<L>('textDocument/definition', {
      textDocument: { uri: apps },
      position: at,
    });
    expect(defs).toEqual([
      expect.objectContaining({
        uri: lists,
        range: expect.objectContaining({ start: { line: 0, character: 5 } }),
      }),
    ]);
    const refs = await client.request<L>('textDocument/references', {
      textDocument: { uri: lists },
      position: pos(LISTS, '"GitHub hooks"'),
      context: { includeDeclaration: false },
    });
    expect(refs.map((r) => [r.uri, r.range.start.line])).toEqual([
      [apps, 3],
      [apps, 10],
    ]);
    // An account list (not declared) has uses but no definition.
    const office = pos(APPS, '"Office"');
    expect(
      await client.request<L>('textDocument/definition', { textDocument: { uri: apps }, position: office }),
    ).toEqual([]);
  });

  it('renames a list everywhere, and refuses a name another list has', async () => {
    const at = pos(APPS, 'email_list("Reviewers")', 12);
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: apps },
      position: at,
    });
    expect(prepared.placeholder).toBe('Reviewers');
    const edit = await client.request<{ changes: Record<string, { newText: string }[]> }>(
      'textDocument/rename',
      {
        textDocument: { uri: apps },
        position: at,
        newName: 'Hook reviewers',
      },
    );
    expect(Object.keys(edit.changes).sort()).toEqual([apps, lists].sort());
    expect(edit.changes[lists]?.map((e) => e.newText)).toEqual(['"Hook reviewers"']);
    // The policy "Reviewers" shares the name, not the kind: it is not renamed.
    expect(edit.changes[apps]?.length).toBe(1);
    await expect(
      client.request('textDocument/rename', {
        textDocument: { uri: apps },
        position: at,
        newName: 'GitHub hooks',
      }),
    ).rejects.toThrow(/a list named `GitHub hooks` exists already/);
  });

  it('hovers a list name with its declaration, or says it is an account list', async () => {
    type H = { contents: { value: string } } | null;
    const declared = await client.request<H>('textDocument/hover', {
      textDocument: { uri: apps },
      position: pos(APPS, 'ip_list("GitHub hooks")', 10),
    });
    expect(declared?.contents.value).toContain(
      'list "GitHub hooks" = ip("192.30.252.0/22", "185.199.108.0/22")',
    );
    expect(declared?.contents.value).toContain('defined in `');
    const account = await client.request<H>('textDocument/hover', {
      textDocument: { uri: apps },
      position: pos(APPS, '"Office"'),
    });
    expect(account?.contents.value).toContain('`Office` is not declared in this project: an account list');
  });

  it('completes the declared lists of the selector type', async () => {
    type C = { label: string; insertText?: string }[];
    const inEmail = await client.request<C>('textDocument/completion', {
      textDocument: { uri: apps },
      position: pos(APPS, 'email_list("")', 12),
    });
    expect(inEmail.map((c) => c.label)).toEqual(['Reviewers']);
    const top = await client.request<C>('textDocument/completion', {
      textDocument: { uri: lists },
      position: { line: 1, character: 0 },
    });
    expect(top.map((c) => c.label)).toContain('list');
  });
});
