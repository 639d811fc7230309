import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

/** Paths `readFileSync` was asked for, to count how often the neighbours are read. */
const reads = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    reads.push(String(path));
    return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

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

  it('names the first neighbour in folder order, and an identity provider only by its whole name', async () => {
    write('repo/a/groups.acl', 'idp okta-eu: okta = "Okta EU"\ngroup "Staff" = country("US")\n');
    write('repo/b/groups.acl', 'extern group "Staff"\nidp okta: okta = "Okta"\n');
    write(
      'repo/apps/a.acl',
      'app "A" {\n  domain "a.example.com"\n  allow "x" if group("Staff") and okta_group(okta, "eng")\n}\n',
    );
    expect(await main(['lint', 'repo/apps'], io())).toBe(1);
    expect(out).toContain('group `Staff` is defined in `repo/a/groups.acl`');
    expect(out).toContain('idp `okta` is defined in `repo/b/groups.acl`');
  });

  it('reads and scans each neighbouring file once, however many names are unknown', async () => {
    // 10,000 unknown groups and 60 neighbours of about 200 KB: searching every file again for each name (as it once
    // did) takes minutes, far past the test's timeout; scanning each once takes a moment.
    const names = Array.from({ length: 10_000 }, (_, i) => `group("g${i}")`).join(' or ');
    write('repo/apps/a.acl', `app "A" {\n  domain "a.example.com"\n  allow "x" if ${names}\n}\n`);
    const filler = `group "other" = email("someone@example.com") # ${'x'.repeat(60)}\n`.repeat(1800);
    for (let i = 0; i < 60; i++) write(`repo/n${String(i).padStart(2, '0')}/groups.acl`, filler);
    write('repo/n59/more.acl', 'group "g9999" = country("US")\n');
    reads.length = 0;
    expect(await main(['lint', 'repo/apps'], io())).toBe(1);
    expect(out).toContain('group `g9999` is defined in `repo/n59/more.acl`');
    expect(out.match(/belongs to another project/g)).toHaveLength(1);
    const neighbours = reads.filter((p) => /[/\\]repo[/\\]n\d\d[/\\]/.test(p));
    expect(neighbours).toHaveLength(61);
    expect(new Set(neighbours).size).toBe(61);
  });
});
