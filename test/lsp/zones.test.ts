import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { positionOf, TestClient } from './client.js';

/** Zone-level apps and groups in the language server: hover, completion, and the scoping rules as diagnostics. */

const TEXT = `group "Editors" in zone "example.com" = email_domain("docs.example.com")

policy "Shared" allow if everyone

app "Wiki" {
  zone "example.com"
  domain "wiki.example.com"
  allow "Editors" if group("Editors")
  use "Shared"
}

app "Portal" {
  domain "portal.example.org"
  allow "Editors" if group("Editors")
}
`;

const pos = positionOf;

let client: TestClient;
let dir: string;
let uri: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-lsp-zones-'));
  writeFileSync(join(dir, 'main.acl'), TEXT);
  client = new TestClient(dir);
  await client.initialize(dir, { semanticDelayMs: 20 });
  uri = await client.open(join(dir, 'main.acl'), TEXT);
});

afterAll(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('zones in the language server', () => {
  it('publishes the scoping rules the API enforces, at the use', async () => {
    const published = await client.waitFor(uri, (p) => p.diagnostics.some((d) => d.code === 'ACL0652'));
    const found = published.diagnostics
      .filter((d) => String(d.code).startsWith('ACL065'))
      .map((d) => [d.code, d.range.start.line + 1, d.message.split('\n')[0]]);
    expect(found).toEqual([
      ['ACL0652', 9, 'zone-level app `Wiki` cannot use reusable policy `Shared`'],
      ['ACL0653', 14, 'app `Portal` is account-level but uses group `Editors` of zone `example.com`'],
    ]);
  });

  it('explains `zone` on hover, in an app and after a group name', async () => {
    type H = { contents: { value: string } } | null;
    for (const at of [pos(TEXT, '  zone "example.com"', 3), pos(TEXT, 'in zone', 4)]) {
      const hover = await client.request<H>('textDocument/hover', { textDocument: { uri }, position: at });
      expect(hover?.contents.value).toContain('puts the app or group in a zone');
    }
  });

  it('offers `zone` at the start of an app line', async () => {
    type C = { label: string; insertText?: string }[];
    const items = await client.request<C>('textDocument/completion', {
      textDocument: { uri },
      position: pos(TEXT, '  domain "wiki', 2),
    });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an LSP snippet placeholder
    expect(items.find((c) => c.label === 'zone')?.insertText).toBe('zone "${1:example.com}"');
  });
});
