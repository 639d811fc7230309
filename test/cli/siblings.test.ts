import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

let dir: string;
let out: string;
let err: string;
const io = (): Io => ({
  out: (t) => {
    out += t;
  },
  err: (t) => {
    err += t;
  },
  stdoutIsTTY: false,
  stderrIsTTY: false,
  env: {},
  cwd: dir,
});
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-siblings-'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const APP = 'app "A" {\n  domain "a.example.com"\n  allow "x" if group("Staff")\n  use "Shared"\n}\n';

describe('a name defined in a sibling folder', () => {
  it('says where, and how to join the projects (lint and compile)', async () => {
    write('repo/groups/staff.acl', 'group "Staff" = email_domain("example.com")\n');
    write('repo/policies/shared.acl', 'policy "Shared" deny if country("KP")\n');
    write('repo/apps/a.acl', APP);
    expect(await main(['lint', 'repo/apps'], io())).toBe(1);
    const joinHelp =
      'to make them one project, add an `aclc.config.json` (`{}` is enough) at their common folder `repo`';
    expect(out).toContain(
      `= help: group \`Staff\` is defined in \`repo/groups/staff.acl\`, which belongs to another project; ${joinHelp}`,
    );
    expect(out).toContain('= help: policy `Shared` is defined in `repo/policies/shared.acl`');
    expect(await main(['compile', 'repo/apps'], io())).toBe(1);
    expect(err).toContain('group `Staff` is defined in `repo/groups/staff.acl`');
    // Following the help fixes it.
    write('repo/aclc.config.json', '{}\n');
    out = '';
    err = '';
    expect(await main(['compile', 'repo/apps'], io())).toBe(0);
  });

  it('keeps the usual help when no neighbour defines the name', async () => {
    write('repo/apps/a.acl', APP);
    expect(await main(['lint', 'repo/apps'], io())).toBe(1);
    expect(out).not.toContain('another project');
  });
});
