import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Ajv2020Module from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { startEmulator } from '../../src/emulator/server.js';

const root = join(import.meta.dirname, '..', '..');
// ajv is CommonJS; loaded with require, its class is the `default` export.
const Ajv2020: typeof Ajv2020Module.default = createRequire(import.meta.url)('ajv/dist/2020.js').default;
let dir: string;
let out: string;
let err: string;
const io = (cwd: string, env: NodeJS.ProcessEnv = {}): Io => ({
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
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-init-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('aclc init', () => {
  it('writes a project that lints clean, compiles, and deploys to the emulator with its seed', async () => {
    expect(await main(['init', 'proj'], io(dir))).toBe(0);
    expect(out).toContain('created proj/aclc.config.json, proj/policies.acl, proj/emulator-seed.json');
    const proj = join(dir, 'proj');

    out = '';
    expect(await main(['lint', '--format', 'json'], io(proj))).toBe(0);
    expect(JSON.parse(out).diagnostics).toEqual([]);
    out = '';
    expect(await main(['compile'], io(proj))).toBe(0);
    expect(JSON.parse(out).apps.map((a: { name: string }) => a.name)).toEqual(['Wiki']);

    // The seed is valid for the emulator's schema.
    const seed = JSON.parse(readFileSync(join(proj, 'emulator-seed.json'), 'utf8'));
    const schema = JSON.parse(readFileSync(join(root, 'schemas', 'emulator-seed.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(schema);
    expect(validate(seed), JSON.stringify(validate.errors)).toBe(true);

    const emu = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      token: 'init-test-token',
      seedFile: join(proj, 'emulator-seed.json'),
    });
    try {
      const env = {
        ACLC_API_BASE: emu.url,
        CLOUDFLARE_ACCOUNT_ID: emu.accountId,
        CLOUDFLARE_API_TOKEN: 'init-test-token',
        NO_COLOR: '1',
      };
      err = '';
      expect(await main(['apply', '--auto-approve'], io(proj, env)), err).toBe(0);
      out = '';
      expect(await main(['plan'], io(proj, env))).toBe(0);
      expect(out).toContain('No changes.');
    } finally {
      await emu.close();
    }
  }, 60_000);

  it('refuses to overwrite any file, and writes nothing then', async () => {
    writeFileSync(join(dir, 'policies.acl'), '# mine\n');
    expect(await main(['init'], io(dir))).toBe(2);
    expect(err).toContain('`policies.acl` exists; `aclc init` never overwrites a file');
    expect(readFileSync(join(dir, 'policies.acl'), 'utf8')).toBe('# mine\n');
    expect(() => readFileSync(join(dir, 'aclc.config.json'))).toThrow();
  });
});
