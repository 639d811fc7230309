// The language server, driven over stdio like an editor would, on one project of 1,000 policies. Prints one JSON line.
// Usage: node lsp-worker.js <path to dist/aclc.js> [policies=1000]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { generateProject } from './generate.js';

interface Published {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

const cli = process.argv[2] as string;
const policies = Number(process.argv[3] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'aclc-lsp-bench-'));
const file = join(dir, 'policies.acl');
const text = generateProject(policies, 10);
writeFileSync(file, text);
writeFileSync(join(dir, 'aclc.config.json'), '{}');
const uri = pathToFileURL(file).href;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const t0 = performance.now();
const child = spawn(process.execPath, ['--expose-gc', cli, 'lsp'], { cwd: dir, stdio: 'pipe' });
const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
child.stderr.on('data', (d) => process.stderr.write(d));
const connection = createMessageConnection(
  new StreamMessageReader(child.stdout),
  new StreamMessageWriter(child.stdin),
);
const arrivals: { p: Published; at: number }[] = [];
let wake: (() => void) | undefined;
connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
  arrivals.push({ p, at: performance.now() });
  wake?.();
});
connection.onRequest('client/registerCapability', () => null);
connection.listen();

/** The `n`-th publication (1-based) for `version` at or after index `from`, and when it arrived. */
async function publication(version: number, n: number, from: number): Promise<{ at: number; index: number }> {
  for (;;) {
    let seen = 0;
    for (let i = from; i < arrivals.length; i++)
      if ((arrivals[i] as { p: Published }).p.version === version && ++seen === n)
        return { at: (arrivals[i] as { at: number }).at, index: i };
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(dir).href,
  workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
  capabilities: {},
});
await connection.sendNotification('initialized', {});
await connection.sendNotification('textDocument/didOpen', {
  textDocument: { uri, languageId: 'acl', version: 1, text },
});
const first = await publication(1, 1, 0);
const firstFull = await publication(1, 2, 0);
const startToFirst = first.at - t0;
const startToFull = firstFull.at - t0;
const findings = (arrivals[firstFull.index] as { p: Published }).p.diagnostics.length;

// An edit inside a string of the last app: one character in, then out, alternately.
const anchor = text.lastIndexOf('domain "svc-');
const before = text.slice(0, anchor).split('\n');
const line = before.length - 1;
const character = (before[before.length - 1] as string).length + 'domain "'.length;
let version = 1;
let current = text;
const lines = current.split('\n');
async function edit(): Promise<number> {
  version++;
  const insert = version % 2 === 0;
  const change = insert
    ? { range: { start: { line, character }, end: { line, character } }, text: 'x' }
    : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
  const l = lines[line] as string;
  lines[line] = insert
    ? `${l.slice(0, character)}x${l.slice(character)}`
    : l.slice(0, character) + l.slice(character + 1);
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [change],
  });
  return version;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
// Longer than the server's debounce (150 ms): the user has stopped typing.
const PAUSE_MS = 400;

// One edit after a pause, 15 times: the time to its syntax diagnostics and to its full diagnostics.
const syntax: number[] = [];
const semantic: number[] = [];
for (let i = 0; i < 15; i++) {
  await sleep(PAUSE_MS);
  const from = arrivals.length;
  const sent = performance.now();
  const v = await edit();
  syntax.push((await publication(v, 1, from)).at - sent);
  semantic.push((await publication(v, 2, from)).at - sent);
}

// Typing: 6 edits 50 ms apart after a pause, 9 times: the time from the last edit to its full diagnostics, which
// wait for the debounce (the run the first edit started is for a text that is gone by then).
const typing: number[] = [];
for (let i = 0; i < 9; i++) {
  await sleep(PAUSE_MS);
  const from = arrivals.length;
  for (let k = 0; k < 5; k++) {
    await edit();
    await sleep(50);
  }
  const sent = performance.now();
  const v = await edit();
  typing.push((await publication(v, 2, from)).at - sent);
}

const completion: number[] = [];
const at = text.indexOf(' if ', anchor);
const cBefore = text.slice(0, at + 4).split('\n');
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  await connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: { line: cBefore.length - 1, character: (cBefore[cBefore.length - 1] as string).length },
  });
  completion.push(performance.now() - t);
}
const hover: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: { line: cBefore.length - 1, character: (cBefore[cBefore.length - 1] as string).length + 2 },
  });
  hover.push(performance.now() - t);
}

type Memory = { heapUsed: number; rss: number; runs: number };
const afterFirst = (await connection.sendRequest('aclc/memory')) as Memory;
// 1,000 more edits as fast as the client can send them, then the analysis of the last one.
let from = arrivals.length;
for (let i = 0; i < 1000; i++) await edit();
await publication(version, 2, from);
const after1000 = (await connection.sendRequest('aclc/memory')) as Memory;
from = arrivals.length;
current = lines.join('\n');

await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
await exited;
{
  rmSync(dir, { recursive: true, force: true });
  const mb = (n: number) => n / 1024 / 1024;
  process.stdout.write(
    `${JSON.stringify({
      policies,
      findings,
      startToFirstMs: startToFirst,
      startToFullMs: startToFull,
      syntaxMs: median(syntax),
      semanticMs: median(semantic),
      typingSemanticMs: median(typing),
      completionMs: median(completion),
      hoverMs: median(hover),
      heapAfterFirstMb: mb(afterFirst.heapUsed),
      heapAfter1000Mb: mb(after1000.heapUsed),
      rssAfterFirstMb: mb(afterFirst.rss),
      rssAfter1000Mb: mb(after1000.rss),
      fullRunsFor1000Edits: after1000.runs - afterFirst.runs,
    })}\n`,
  );
  process.exit(0);
}
