import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { formatSource } from '../../src/fmt/print.js';
import { type LspDiagnostic, type Published, positionOf, ROOT, TestClient, uriOf } from './client.js';

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  span: { file: string; line: number; column: number; endLine: number; endColumn: number };
  fix?: { description: string };
}

/** What `aclc lint --format json PATH` reports, run in-process from the repository root. */
async function lintJson(path: string): Promise<JsonDiagnostic[]> {
  let out = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: () => {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    cwd: ROOT,
  };
  await main(['lint', '--format', 'json', path], io);
  return (JSON.parse(out) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

const SEVERITY: Record<string, number> = { error: 1, warning: 2, info: 3 };
const key = (code: string, line: number, col: number, severity: number) =>
  `${line}:${col} ${code} ${severity}`;
const fromLsp = (d: LspDiagnostic) =>
  key(String(d.code), d.range.start.line + 1, d.range.start.character + 1, d.severity ?? 0);
const fromCli = (d: JsonDiagnostic) => key(d.code, d.span.line, d.span.column, SEVERITY[d.severity] ?? 0);

let client: TestClient;
let dir: string;

beforeAll(async () => {
  client = new TestClient();
  const init = await client.initialize(ROOT, { semanticDelayMs: 20 });
  expect(init.capabilities).toMatchObject({
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
    documentFormattingProvider: true,
    codeActionProvider: expect.anything(),
    semanticTokensProvider: expect.anything(),
  });
  dir = mkdtempSync(join(tmpdir(), 'aclc-lsp-'));
  // Full analyses run in a worker thread, off the thread that answers requests.
  expect(await client.request<{ thread: string }>('aclc/memory', null)).toMatchObject({ thread: 'worker' });
});

afterAll(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('examples/broken through the language server', () => {
  const files = readdirSync(join(ROOT, 'examples', 'broken')).filter((f) => f.endsWith('.acl'));
  it.each(files)('%s: the same diagnostics as `aclc lint`, fixes as code actions', async (name) => {
    const path = join(ROOT, 'examples', 'broken', name);
    const expected = await lintJson(`examples/broken/${name}`);
    const want = expected.map(fromCli).sort();
    const uri = await client.open(path, readFileSync(path, 'utf8'));
    const got = await client.waitFor(
      uri,
      (p) => p.diagnostics.map(fromLsp).sort().join('\n') === want.join('\n'),
    );
    expect(got.version).toBe(1);
    // Messages carry the same text (plus witness and help lines).
    for (const d of expected) {
      const match = got.diagnostics.find((g) => fromLsp(g) === fromCli(d));
      expect(match?.message.split('\n')[0]).toBe(d.message);
    }
    for (const d of expected.filter((e) => e.fix)) {
      const match = got.diagnostics.find((g) => fromLsp(g) === fromCli(d)) as LspDiagnostic;
      const actions = await client.request<{ title: string; edit?: unknown }[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: match.range,
        context: { diagnostics: [match] },
      });
      expect(actions.map((a) => a.title)).toContain(d.fix?.description);
    }
    await client.close(uri);
    await client.waitFor(uri, (p) => p.diagnostics.length === 0 && p.version === undefined);
  });
});

describe('editing', () => {
  it('publishes syntax errors at once, semantic findings after, and clears them when fixed', async () => {
    const path = join(dir, 'edit.acl');
    const clean =
      'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if email_domain("example.com")\n}\n';
    writeFileSync(path, clean);
    const uri = await client.open(path, clean);
    await client.waitFor(uri, (p) => p.version === 1 && p.diagnostics.length === 0);
    // Break the condition: `if` with nothing after it.
    const v2 = await client.change(uri, {
      range: { start: { line: 2, character: 18 }, end: { line: 2, character: 47 } },
      text: '',
    });
    const broken = await client.waitFor(uri, (p) => p.version === v2 && p.diagnostics.length > 0);
    expect(broken.diagnostics[0]?.severity).toBe(1);
    // A semantic finding: a shadowed deny after an allow for the same people.
    const v3 = await client.change(uri, {
      text: `${clean.slice(0, -2)}  deny "Nobody" if email_domain("example.com")\n}\n`,
    });
    const semantic = await client.waitFor(
      uri,
      (p) => p.version === v3 && p.diagnostics.some((d) => d.code === 'shadowed-policy'),
    );
    expect(semantic.diagnostics.find((d) => d.code === 'shadowed-policy')?.codeDescription?.href).toMatch(
      /shadowed-policy\.md$/,
    );
    expect(semantic.diagnostics.find((d) => d.code === 'shadowed-policy')?.message).toMatch(/\nwitness: /);
    const v4 = await client.change(uri, { text: clean });
    await client.waitFor(uri, (p) => p.version === v4 && p.diagnostics.length === 0);
    // No publication for an older version comes after a newer one.
    const versions = client.published
      .filter((p) => p.uri === uri && p.version !== undefined)
      .map((p) => p.version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    await client.close(uri);
  });

  it('unsaved buffers override the disk for the rest of the project', async () => {
    const groups = join(dir, 'proj', 'groups.acl');
    const apps = join(dir, 'proj', 'apps.acl');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'proj'));
    writeFileSync(join(dir, 'proj', 'aclc.config.json'), '{}');
    writeFileSync(groups, 'group "Eng" = email_domain("eng.example.com")\n');
    const appText = 'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Eng" if group("Eng")\n}\n';
    writeFileSync(apps, appText);
    const appsUri = await client.open(apps, appText);
    await client.waitFor(appsUri, (p) => p.version === 1 && p.diagnostics.length === 0);
    // Rename the group in the (unsaved) groups buffer: the app's reference breaks.
    const groupsUri = await client.open(groups, 'group "Engineers" = email_domain("eng.example.com")\n');
    await client.waitFor(appsUri, (p) => p.diagnostics.some((d) => /unknown group `Eng`/.test(d.message)));
    await client.close(groupsUri);
    await client.waitFor(appsUri, (p) => p.diagnostics.length === 0);
    await client.close(appsUri);
  });
});

describe('language features on examples/multi-idp', () => {
  const base = join(ROOT, 'examples', 'multi-idp');
  let apps: string;
  let groups: string;
  let appsText: string;
  let groupsText: string;
  const pos = positionOf;

  beforeAll(async () => {
    appsText = readFileSync(join(base, 'apps.acl'), 'utf8');
    groupsText = readFileSync(join(base, 'groups.acl'), 'utf8');
    apps = await client.open(join(base, 'apps.acl'), appsText);
    groups = await client.open(join(base, 'groups.acl'), groupsText);
  });
  afterAll(async () => {
    await client.close(apps);
    await client.close(groups);
  });

  it('hover: selector, setting, group definition, policy order', async () => {
    type H = { contents: { value: string } } | null;
    const sel = await client.request<H>('textDocument/hover', {
      textDocument: { uri: apps },
      position: pos(appsText, 'github_org('),
    });
    expect(sel?.contents.value).toContain('Wire key: `github-organization`');
    const setting = await client.request<H>('textDocument/hover', {
      textDocument: { uri: apps },
      position: pos(appsText, 'session_duration'),
    });
    expect(setting?.contents.value).toContain('API field `session_duration`');
    const group = await client.request<H>('textDocument/hover', {
      textDocument: { uri: apps },
      position: pos(appsText, '"On-call")'),
    });
    expect(group?.contents.value).toContain(
      'group "On-call" = group("Platform team") or group("Acquired SREs")',
    );
    const policy = await client.request<H>('textDocument/hover', {
      textDocument: { uri: apps },
      position: pos(appsText, '"Acquired SREs during migration"'),
    });
    expect(policy?.contents.value).toMatch(
      /In app `Kubernetes dashboard`: position 3 of 3, after `Risky users` \(deny, precedence 1\), `On-call from trusted networks` \(allow, precedence 10\)/,
    );
  });

  it('completion: selectors, project names, settings, enum values, countries', async () => {
    type C = { label: string; insertText?: string }[];
    const labels = async (uri: string, _text: string, position: { line: number; character: number }) => {
      const r = await client.request<C>('textDocument/completion', { textDocument: { uri }, position });
      return r.map((i) => i.label);
    };
    // After `if `: selectors, with snippets.
    const afterIf = await client.request<C>('textDocument/completion', {
      textDocument: { uri: apps },
      position: pos(appsText, 'if github_org', 3),
    });
    const snippet = ['okta_group(', '$', '{1:idp}, "', '$', '{2:group}")'].join('');
    expect(afterIf.find((i) => i.label === 'okta_group')?.insertText).toBe(snippet);
    expect(afterIf.map((i) => i.label)).toContain('country');
    // Inside group("…"): the project's groups.
    expect(await labels(apps, appsText, pos(appsText, 'group("On-call")', 7))).toEqual(
      expect.arrayContaining(['Platform team', 'Acquired SREs', 'On-call', 'Trusted network']),
    );
    // Inside country("…"): ISO codes.
    expect(await labels(apps, appsText, pos(appsText, 'country("DE")', 9))).toEqual(
      expect.arrayContaining(['DE', 'US', 'KP']),
    );
    // First argument of github_org: the project's IdPs.
    expect(await labels(apps, appsText, pos(appsText, 'github_org(github', 11))).toEqual(
      expect.arrayContaining(['github', 'okta', 'azure']),
    );
    // At the start of a line in an app: decisions, `use` and app settings.
    const inApp = await labels(apps, appsText, pos(appsText, '  domain "grafana', 2));
    expect(inApp).toEqual(
      expect.arrayContaining(['allow', 'deny', 'use', 'domain', 'session_duration', 'cors']),
    );
    // Inside `use "…"`: the reusable policies.
    expect(await labels(apps, appsText, pos(appsText, 'use "On-call', 5))).toContain(
      'On-call from trusted networks',
    );
  });

  it('definition, references and rename across files', async () => {
    type L = { uri: string; range: { start: { line: number } } }[];
    const at = pos(appsText, 'group("On-call")', 7);
    const defs = await client.request<L>('textDocument/definition', {
      textDocument: { uri: apps },
      position: at,
    });
    expect(defs).toEqual([
      expect.objectContaining({
        uri: groups,
        range: expect.objectContaining({ start: { line: 7, character: 6 } }),
      }),
    ]);
    const refs = await client.request<L>('textDocument/references', {
      textDocument: { uri: apps },
      position: at,
      context: { includeDeclaration: true },
    });
    expect(refs.map((r) => r.uri).sort()).toEqual([apps, groups]);
    const idpRefs = await client.request<L>('textDocument/references', {
      textDocument: { uri: groups },
      position: pos(groupsText, 'okta_group(okta', 11),
      context: { includeDeclaration: true },
    });
    expect(new Set(idpRefs.map((r) => r.uri))).toEqual(new Set([groups, uriOf(join(base, 'idps.acl'))]));
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: apps },
      position: at,
    });
    expect(prepared.placeholder).toBe('On-call');
    const edit = await client.request<{ changes: Record<string, { newText: string }[]> }>(
      'textDocument/rename',
      {
        textDocument: { uri: apps },
        position: at,
        newName: 'Pager "duty"',
      },
    );
    expect(Object.keys(edit.changes).sort()).toEqual([apps, groups]);
    expect(edit.changes[groups]?.map((e) => e.newText)).toEqual(['"Pager \\"duty\\""']);
    await expect(
      client.request('textDocument/rename', {
        textDocument: { uri: apps },
        position: at,
        newName: 'Platform team',
      }),
    ).rejects.toThrow(/exists already/);
  });

  it('document symbols, folding, semantic tokens', async () => {
    const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>(
      'textDocument/documentSymbol',
      { textDocument: { uri: apps } },
    );
    expect(symbols.map((s) => s.name)).toEqual([
      'On-call from trusted networks',
      'Grafana',
      'Kubernetes dashboard',
    ]);
    expect(symbols[2]?.children?.map((c) => c.name)).toEqual([
      'On-call from trusted networks',
      'Risky users',
      'Acquired SREs during migration',
    ]);
    const folds = await client.request<{ startLine: number }[]>('textDocument/foldingRange', {
      textDocument: { uri: apps },
    });
    expect(folds.length).toBeGreaterThan(3);
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', {
      textDocument: { uri: apps },
    });
    expect(tokens.data.length % 5).toBe(0);
    // Decode (relative positions) and look a few tokens up by their text.
    const legend = (client.capabilities.semanticTokensProvider as { legend: { tokenTypes: string[] } })
      .legend;
    const lines = appsText.split('\n');
    const decoded = new Map<string, string>();
    let line = 0;
    let char = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dl, dc, length, type] = tokens.data.slice(i, i + 4) as [number, number, number, number];
      line += dl;
      char = dl === 0 ? char + dc : dc;
      decoded.set((lines[line] as string).slice(char, char + length), legend.tokenTypes[type] as string);
    }
    expect(
      Object.fromEntries(
        ['policy', 'allow', 'github_org', 'session_duration', 'github', '12h', '"Grafana"', 'and'].map(
          (t) => [t, decoded.get(t)],
        ),
      ),
    ).toEqual({
      policy: 'keyword',
      allow: 'keyword',
      github_org: 'function',
      session_duration: 'property',
      github: 'variable',
      '12h': 'number',
      '"Grafana"': 'string',
      and: 'operator',
    });
    const ws = await client.request<{ name: string }[]>('workspace/symbol', { query: 'on-call' });
    expect(ws.map((s) => s.name)).toEqual(
      expect.arrayContaining(['On-call', 'On-call from trusted networks']),
    );
  });
});

describe('completion in blocks', () => {
  it('offers setting values, nested block settings and IdP types', async () => {
    const path = join(dir, 'complete.acl');
    const text =
      'idp corp: \napp "X" {\n  same_site_cookie_attribute \n  mfa {\n    \n  }\n  allow "A" if everyone {\n    \n  }\n}\n';
    const uri = await client.open(path, text);
    const labels = async (line: number, character: number) =>
      (
        await client.request<{ label: string }[]>('textDocument/completion', {
          textDocument: { uri },
          position: { line, character },
        })
      ).map((i) => i.label);
    expect(await labels(0, 10)).toEqual(expect.arrayContaining(['okta', 'azure', 'github']));
    expect((await labels(2, 29)).sort()).toEqual(['lax', 'none', 'strict']);
    expect(await labels(4, 4)).toEqual(
      expect.arrayContaining(['allowed_authenticators', 'session_duration']),
    );
    expect(await labels(4, 4)).not.toContain('domain');
    const inPolicy = await labels(7, 4);
    expect(inPolicy).toEqual(expect.arrayContaining(['approval_required', 'mfa', 'session_duration']));
    expect(inPolicy).not.toContain('allow');
    await client.close(uri);
  });
});

describe('formatting and code actions', () => {
  it('formats a document and a range like `aclc fmt`', async () => {
    const path = join(dir, 'fmt.acl');
    const text =
      'group   "A"=email("a@example.com")\n\n\napp "X" {\ndomain "x.example.com"\n   allow "A"   if group("A")\n}\n';
    const uri = await client.open(path, text);
    type E = {
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
      newText: string;
    }[];
    const edits = await client.request<E>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(applyEdits(text, edits)).toBe(formatSource(new SourceFile('fmt.acl', text)).value);
    const ranged = await client.request<E>('textDocument/rangeFormatting', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(applyEdits(text, ranged).split('\n').slice(0, 1)).toEqual(['group "A" = email("a@example.com")']);
    expect(applyEdits(text, ranged)).toContain('\ndomain "x.example.com"\n');
    await client.close(uri);
  });

  it('follows the project configuration and suppression comments', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'configured'));
    writeFileSync(join(dir, 'configured', 'aclc.config.json'), '{ "rules": { "unused-group": "error" } }');
    const path = join(dir, 'configured', 'groups.acl');
    const text =
      'group "A" = email("a@example.com")\n# aclc-disable-next-line unused-group -- kept for the audit\ngroup "B" = email("b@example.com")\n';
    writeFileSync(path, text);
    const uri = await client.open(path, text);
    const p = await client.waitFor(uri, (q) => q.diagnostics.length > 0);
    expect(p.diagnostics.map((d) => [d.code, d.severity, d.range.start.line])).toEqual([
      ['unused-group', 1, 0],
    ]);
    await client.close(uri);
  });

  it('fixes every finding at once (source.fixAll), as `aclc lint --fix` would', async () => {
    const original = readFileSync(join(ROOT, 'examples', 'broken', 'lint-hygiene.acl'), 'utf8');
    const path = join(dir, 'hygiene.acl');
    writeFileSync(path, original);
    const uri = await client.open(path, original);
    await client.waitFor(
      uri,
      (p) => p.diagnostics.filter((d) => (d.data as { fix?: unknown }).fix).length === 2,
    );
    const actions = await client.request<
      { title: string; kind: string; edit: { changes: Record<string, { newText: string }[]> } }[]
    >('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    expect(actions.map((a) => [a.kind, a.title])).toEqual([
      ['source.fixAll', 'Fix all aclc findings that have a safe fix (2)'],
    ]);
    const fixed = actions[0]?.edit.changes[uri]?.[0]?.newText as string;
    // The same text `aclc lint --fix` writes.
    const copy = join(dir, 'hygiene-cli.acl');
    writeFileSync(copy, original);
    await main(['lint', '--fix', copy], {
      out: () => {},
      err: () => {},
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: {},
      cwd: dir,
    });
    expect(fixed).toBe(readFileSync(copy, 'utf8'));
    await client.close(uri);
  });

  it('offers a suppression for lint findings', async () => {
    const path = join(dir, 'suppress.acl');
    const text = 'group "Unused" = email("a@example.com")\n';
    const uri = await client.open(path, text);
    const p: Published = await client.waitFor(uri, (q) =>
      q.diagnostics.some((d) => d.code === 'unused-group'),
    );
    const d = p.diagnostics.find((x) => x.code === 'unused-group') as LspDiagnostic;
    const actions = await client.request<
      { title: string; edit: { changes: Record<string, { newText: string }[]> } }[]
    >('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const suppress = actions.find((a) => a.title.startsWith('Suppress `unused-group`'));
    expect(suppress?.edit.changes[uri]?.[0]?.newText).toBe('# aclc-disable-next-line unused-group\n');
    await client.close(uri);
  });
});

describe('add this witness as a test', () => {
  type Action = {
    title: string;
    edit: {
      changes?: Record<string, { newText: string }[]>;
      documentChanges?: (
        | { kind: 'create'; uri: string }
        | { textDocument: { uri: string }; edits: { newText: string }[] }
      )[];
    };
  };
  const shadowed = readFileSync(join(ROOT, 'examples', 'broken', 'lint-shadowed.acl'), 'utf8');

  async function actionsOf(uri: string): Promise<Action[]> {
    const p = await client.waitFor(uri, (q) => q.diagnostics.some((d) => d.code === 'shadowed-policy'));
    const d = p.diagnostics.find((x) => x.code === 'shadowed-policy') as LspDiagnostic;
    return client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
  }

  async function witnessAction(
    folder: string,
    fresh = true,
  ): Promise<{ action: Action | undefined; uri: string }> {
    const { mkdirSync } = await import('node:fs');
    if (fresh) mkdirSync(join(dir, folder));
    const path = join(dir, folder, 'shadow.acl');
    writeFileSync(path, shadowed);
    const uri = await client.open(path, shadowed);
    const actions = await actionsOf(uri);
    return { action: actions.find((a) => a.title.startsWith('Add this witness as a test')), uri };
  }

  it('creates the test file next to the document with a test that `aclc test` passes', async () => {
    const { action, uri } = await witnessAction('witness-new');
    expect(action?.title).toBe('Add this witness as a test in shadow.acltest');
    const [create, insert] = action?.edit.documentChanges ?? [];
    const testPath = join(dir, 'witness-new', 'shadow.acltest');
    expect(create).toEqual({ kind: 'create', uri: uriOf(testPath), options: { ignoreIfExists: true } });
    const text = (insert as { edits: { newText: string }[] }).edits[0]?.newText as string;
    expect(text).toMatch(/^# shadowed-policy at /);
    expect(text).toMatch(/^test "shadowed-policy: .*\n {2}identity \{/m);
    writeFileSync(testPath, text);
    let out = '';
    const code = await main(['test', join(dir, 'witness-new')], {
      out: (t) => {
        out += t;
      },
      err: () => {},
      stdoutIsTTY: false,
      stderrIsTTY: false,
      env: {},
      cwd: dir,
    });
    expect(out).toMatch(/1 passed, 0 failed/);
    expect(code).toBe(0);
    await client.close(uri);
  });

  it('appends to an existing test file, and not twice', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'witness-old'));
    const testPath = join(dir, 'witness-old', 'shadow.acltest');
    writeFileSync(testPath, '# tests of shadow.acl\n');
    const first = await witnessAction('witness-old', false);
    const added = first.action?.edit.changes?.[uriOf(testPath)]?.[0]?.newText as string;
    expect(added).toMatch(/^\n# shadowed-policy at /);
    writeFileSync(testPath, `# tests of shadow.acl\n${added}`);
    const second = await actionsOf(first.uri);
    expect(second.map((a) => a.title)).not.toContain('Add this witness as a test in shadow.acltest');
    expect(second.map((a) => a.title)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Suppress `shadowed-policy`/)]),
    );
    await client.close(first.uri);
  });
});

function applyEdits(
  text: string,
  edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[],
): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted)
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
