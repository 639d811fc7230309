import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import type { ApplyIo } from '../../src/cli/commands/apply.js';
import { main } from '../../src/cli/main.js';
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'aclc.js');

/** A token that looks real and is easy to search for. */
export const TOKEN = 'itest-secret-7f3c9a1e5b2d4c6f8a0b1c2d3e4f5a6b';

/** The account objects the test projects refer to by name. */
export const SEED = {
  identity_providers: [
    { id: 'c0ffee00-0000-4000-8000-000000000001', name: 'Okta', type: 'okta', config: {} },
  ],
  lists: [{ id: 'c0ffee00-0000-4000-8000-000000000002', name: 'Contractors', type: 'EMAIL', items: [] }],
  service_tokens: [{ id: 'c0ffee00-0000-4000-8000-000000000003', name: 'ci', client_id: 'x.access' }],
};

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Everything the tests printed or wrote, to assert the token never shows up. */
export const transcript: string[] = [];

/** An emulator on 127.0.0.1 (random port) that logs every request. */
export class Account {
  private constructor(
    readonly emu: EmulatorHandle,
    /** One line per request: `METHOD /path status duration`. */
    readonly log: string[],
  ) {}

  static async start(options: EmulatorOptions = {}): Promise<Account> {
    const log: string[] = [];
    const emu = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      token: TOKEN,
      seed: SEED,
      ...options,
      log: (line) => log.push(line),
    });
    return new Account(emu, log);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ACLC_API_BASE: this.emu.url,
      CLOUDFLARE_ACCOUNT_ID: this.emu.accountId,
      CLOUDFLARE_API_TOKEN: TOKEN,
      NO_COLOR: '1',
      ...extra,
    };
  }

  /** Requests that change something (not GET), since `mark`; the account lock's tag writes do not count. */
  writesSince(mark: number): string[] {
    return this.log.slice(mark).filter((l) => !l.startsWith('GET ') && !l.includes('/access/tags'));
  }

  /** The account's Access tags (the account lock is one while an apply runs). */
  tags(): string[] {
    return (this.emu.state().tags ?? []).map((t) => t.name).sort();
  }

  mark(): number {
    return this.log.length;
  }

  names(kind: 'groups' | 'policies' | 'apps'): string[] {
    return this.emu
      .state()
      [kind].map((r) => String(r.name))
      .sort();
  }

  close(): Promise<void> {
    return this.emu.close();
  }
}

/** Run the CLI in-process with a captured `Io`. */
export async function aclc(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
  extra: Partial<ApplyIo> = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const io: ApplyIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env,
    cwd,
    ...extra,
  };
  const code = await main(argv, io);
  transcript.push(out, err);
  return { code, out, err };
}

/**
 * Run the built CLI in a child process. Asynchronous on purpose: the emulator runs in this process and must keep
 * answering while the child talks to it.
 */
export function spawnAclc(argv: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return startAclc(argv, env, cwd).done;
}

/** `spawnAclc`, with the child process at hand (to signal it) and its stderr so far. */
export function startAclc(
  argv: string[],
  env: Record<string, string>,
  cwd: string,
): { child: ChildProcess; stderr(): string; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...argv], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      transcript.push(out, err);
      resolve({ code: code ?? -1, out, err });
    });
  });
  return { child, stderr: () => err, done };
}

/** Build `dist/aclc.js` when it is missing (a bare `vitest run` without `npm run build`). */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

/** A temporary project folder. */
export class Project {
  readonly dir: string;
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'aclc-it-'));
  }
  write(name: string, text: string): this {
    writeFileSync(join(this.dir, name), text);
    return this;
  }
  /** Every file under the folder (ledger, saved plans, sources), with its content. */
  files(): { path: string; text: string }[] {
    const out: { path: string; text: string }[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else out.push({ path: p, text: readFileSync(p, 'utf8') });
      }
    };
    walk(this.dir);
    return out;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const BASE = `
idp okta: okta = "Okta"

group "Engineers" = okta_group(okta, "eng") or email_domain("eng.example.com")
group "Sanctioned" = country in ("KP", "IR")

policy "Block sanctioned" deny if group("Sanctioned")
policy "Contractors" allow if email_list("Contractors") and not country("RU")

app "Wiki" {
  domain "wiki.example.com"
  use "Block sanctioned"
  allow "Engineers" if group("Engineers") and auth_method("mfa") {
    session_duration 2h
  }
  use "Contractors"
}

app "CI" {
  domain "ci.example.com"
  service_auth "Runners" if service_token("ci")
  allow "Engineers" if group("Engineers")
}
`;

/**
 * The accounts and projects a test file starts, closed and removed after each test: push them as they start.
 * Call once at the top of a test file.
 */
export function closeAfterEach(): { account: Account; project: Project }[] {
  const open: { account: Account; project: Project }[] = [];
  afterEach(async () => {
    for (const { account, project } of open.splice(0)) {
      await account.close();
      project.remove();
    }
  });
  return open;
}
