import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { type LspDiagnostic, TestClient } from './client.js';

const BASE = `idp okta: okta = "Okta"
group "Eng" = okta_group(okta, "eng") or email_domain("eng.example.com")
policy "Block KP" deny if country("KP")
app "Wiki" {
  domain "wiki.example.com"
  use "Block KP"
  allow "Staff" if group("Eng") and not country in ("IR", "SY") {
    session_duration 8h
  }
  deny "Late" if email_domain("eng.example.com")
}
`;

/** Pieces people type, including half-written constructs and garbage. */
const PIECES = [
  'allow "',
  'group("',
  'app "X" {',
  '}',
  ' and ',
  ' or not ',
  'country in (',
  '"',
  '# ',
  'policy "P" deny if ',
  'mfa {',
  '\\',
  'é𝒳',
  '\u0000',
  '\r\n',
  'precedence 99999999999999999999',
  'everyone',
  'use "Nope"',
  '\n',
  '(',
];

type Edit = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

const positionOf = (text: string, offset: number) => {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] as string).length };
};

/** Whether a range lies inside a text (LSP positions: 0-based lines, UTF-16 characters). */
function inside(text: string, d: LspDiagnostic): boolean {
  const lines = text.split('\n');
  for (const p of [d.range.start, d.range.end]) {
    const line = lines[p.line];
    if (line === undefined) return false;
    if (p.character > line.length) return false;
  }
  return true;
}

async function lintText(path: string, text: string, cwd: string): Promise<string[]> {
  let out = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: () => {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    cwd,
    readStdin: async () => text,
  };
  await main(['lint', '--format', 'json', '--stdin-filename', path], io);
  const found = JSON.parse(out).diagnostics as { code: string; span: { line: number; column: number } }[];
  return found.map((d) => `${d.span.line}:${d.span.column} ${d.code}`).sort();
}

let client: TestClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-lsp-fuzz-'));
  client = new TestClient(dir);
  // A short debounce, so full runs race with the edits.
  await client.initialize(dir, { semanticDelayMs: 3 });
});
afterAll(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('the language server under random edits', () => {
  let run = 0;
  it('never crashes, never publishes for a text that is gone, and ends with what `aclc lint` says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 25 }), async (edits) => {
        const path = join(dir, `doc${run++}.acl`);
        const uri = await client.open(path, BASE);
        const texts = new Map<number, string>([[1, BASE]]);
        let text = BASE;
        let version = 1;
        for (const e of edits) {
          const at = Math.min(e.at, text.length);
          const end = e.kind === 'delete' ? Math.min(text.length, at + e.length) : at;
          const inserted = e.kind === 'insert' ? e.text : '';
          const range = { start: positionOf(text, at), end: positionOf(text, end) };
          text = text.slice(0, at) + inserted + text.slice(end);
          version = await client.change(uri, { range, text: inserted });
          texts.set(version, text);
        }
        const expected = await lintText(path, text, dir);
        const final = await client.waitFor(
          uri,
          (p) =>
            p.version === version &&
            p.diagnostics
              .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`)
              .sort()
              .join('\n') === expected.join('\n'),
        );
        expect(final.version).toBe(version);
        const mine = client.published.filter((p) => p.uri === uri && p.version !== undefined);
        // Versions only go up, and each publication fits the text of its version.
        const versions = mine.map((p) => p.version as number);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        for (const p of mine) {
          const t = texts.get(p.version as number) as string;
          for (const d of p.diagnostics)
            expect(inside(t, d), `${JSON.stringify(d.range)} in version ${p.version}`).toBe(true);
        }
        await client.close(uri);
        expect(client.child.exitCode).toBe(null);
      }),
      { numRuns: 15, seed: 20261202 },
    );
    expect(client.logs.filter((l) => /failed/.test(l))).toEqual([]);
    expect(client.stderr).toBe('');
  }, 120_000);
});
