import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileSources } from '../../src/cli/commands/plan.js';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { type Discovery, discoverProjects } from '../../src/cli/projects.js';

let dir: string;
let out: string;
let err: string;
const io = (cwd = dir): Io => ({
  out: (t) => {
    out += t;
  },
  err: (t) => {
    err += t;
  },
  stdoutIsTTY: false,
  stderrIsTTY: false,
  env: {},
  cwd,
});
const write = (path: string, text: string | Buffer) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};
const repoRoot = join(import.meta.dirname, '..', '..');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aclc-projects-'));
  // A repository root: the search for `aclc.config.json` stops here, whatever lies above the temp folder.
  mkdirSync(join(dir, '.git'));
  out = '';
  err = '';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The discovery as plain data: roots relative to the temp folder, file paths, targets, diagnostics. */
function summary(discovery: Discovery) {
  return {
    projects: discovery.projects.map((p) => ({
      root: p.root === dir ? '.' : p.root.slice(dir.length + 1),
      config: p.configPath !== undefined,
      files: p.files.map((f) => f.path),
      targets: [...p.targets],
      diagnostics: p.diagnostics.map((d) => `${d.code} ${d.span.file}: ${d.message}`),
    })),
    diagnostics: discovery.diagnostics.map((d) => `${d.code} ${d.span.file}: ${d.message}`),
  };
}
const discover = (...paths: string[]) => summary(discoverProjects(paths, dir));

const GROUP = 'group "Staff" = email_domain("example.com")\n';
const app = (name: string, group = 'Staff') =>
  `app "${name}" {\n  domain "${name.toLowerCase()}.example.com"\n  allow "Staff" if group("${group}")\n}\n`;

describe('discoverProjects', () => {
  it('without a configuration, a project is one folder, not its subfolders', () => {
    write('p/a.acl', GROUP);
    write('p/b.acl', app('B'));
    write('p/sub/c.acl', app('C'));
    expect(discover('p')).toEqual({
      projects: [
        {
          root: 'p',
          config: false,
          files: ['p/a.acl', 'p/b.acl'],
          targets: ['p/a.acl', 'p/b.acl'],
          diagnostics: [],
        },
        { root: 'p/sub', config: false, files: ['p/sub/c.acl'], targets: ['p/sub/c.acl'], diagnostics: [] },
      ],
      diagnostics: [],
    });
    // A file brings its whole folder along (names resolve across it), but only it is asked for.
    expect(discover('p/b.acl').projects).toEqual([
      { root: 'p', config: false, files: ['p/a.acl', 'p/b.acl'], targets: ['p/b.acl'], diagnostics: [] },
    ]);
  });

  it('a configuration root holds every file below it, except nested projects', () => {
    write('repo/aclc.config.json', '{}');
    write('repo/groups.acl', GROUP);
    write('repo/apps/a.acl', app('A'));
    write('repo/apps/deep/b.acl', app('B'));
    write('repo/team/aclc.config.json', '{}');
    write('repo/team/t.acl', app('T'));
    expect(discover('repo')).toEqual({
      projects: [
        {
          root: 'repo',
          config: true,
          files: ['repo/apps/a.acl', 'repo/apps/deep/b.acl', 'repo/groups.acl'],
          targets: ['repo/apps/a.acl', 'repo/apps/deep/b.acl', 'repo/groups.acl'],
          diagnostics: [],
        },
        {
          root: 'repo/team',
          config: true,
          files: ['repo/team/t.acl'],
          targets: ['repo/team/t.acl'],
          diagnostics: [],
        },
      ],
      diagnostics: [],
    });
    // From a file deep inside, the project is still the configuration's folder.
    expect(discover('repo/apps/deep/b.acl').projects).toEqual([
      {
        root: 'repo',
        config: true,
        files: ['repo/apps/a.acl', 'repo/apps/deep/b.acl', 'repo/groups.acl'],
        targets: ['repo/apps/deep/b.acl'],
        diagnostics: [],
      },
    ]);
  });

  it('leaves out files matched by `ignore`; `**` spans folders, `*` does not', () => {
    write('repo/aclc.config.json', JSON.stringify({ ignore: ['drafts/**', '*.draft.acl'] }));
    write('repo/a.acl', GROUP);
    write('repo/b.draft.acl', 'broken (');
    write('repo/drafts/old/d.acl', 'broken (');
    write('repo/sub/c.draft.acl', app('C'));
    expect(discover('repo').projects).toEqual([
      {
        root: 'repo',
        config: true,
        files: ['repo/a.acl', 'repo/sub/c.draft.acl'],
        targets: ['repo/a.acl', 'repo/sub/c.draft.acl'],
        diagnostics: [],
      },
    ]);
    // A folder whose files are all ignored holds nothing to do, and the help says why.
    const drafts = discoverProjects(['repo/drafts'], dir);
    expect(drafts.projects).toEqual([]);
    expect(drafts.diagnostics).toEqual([
      {
        code: 'ACL0001',
        severity: 'error',
        message: 'no `.acl` files found in `repo/drafts`',
        span: { file: 'repo/drafts', start: 0, end: 0 },
        help: 'its `.acl` files are matched by `ignore` in `repo/aclc.config.json`; name the files to include them',
      },
    ]);
  });

  it('takes a file named explicitly even when `ignore` matches it', () => {
    write('repo/aclc.config.json', JSON.stringify({ ignore: ['drafts/**'] }));
    write('repo/a.acl', GROUP);
    write('repo/drafts/d.acl', app('D'));
    expect(discover('repo/drafts/d.acl').projects).toEqual([
      {
        root: 'repo',
        config: true,
        files: ['repo/a.acl', 'repo/drafts/d.acl'],
        targets: ['repo/drafts/d.acl'],
        diagnostics: [],
      },
    ]);
  });

  it("keeps the loader's checks: missing paths, empty folders, binary files, display paths relative to cwd", () => {
    write('p/a.acl', GROUP);
    write('p/blob.acl', Buffer.from([0x41, 0x00, 0xff]));
    mkdirSync(join(dir, 'empty'));
    expect(discover('p/a.acl', 'missing.acl', 'empty')).toEqual({
      projects: [
        {
          root: 'p',
          config: false,
          files: ['p/a.acl'],
          targets: ['p/a.acl'],
          diagnostics: ['ACL0003 p/blob.acl: `p/blob.acl` is not a text file'],
        },
      ],
      diagnostics: [
        'ACL0720 missing.acl: `missing.acl` does not exist',
        'ACL0001 empty: no `.acl` files found in `empty`',
      ],
    });
    // From inside the folder, paths are shown relative to it.
    expect(summary(discoverProjects([], join(dir, 'p'))).projects[0]?.targets).toEqual(['a.acl', 'blob.acl']);
  });

  it('reads only the files asked for with `read: targets`', () => {
    write('p/a.acl', GROUP);
    write('p/b.acl', app('B'));
    const found = discoverProjects(['p/b.acl'], dir, { read: 'targets' });
    expect(found.projects.map((p) => p.files.map((f) => f.path))).toEqual([['p/b.acl']]);
  });

  it('reports a broken configuration', () => {
    write('repo/aclc.config.json', '{ "ignore": ');
    write('repo/a.acl', GROUP);
    const found = discoverProjects(['repo'], dir);
    expect(found.diagnostics.map((d) => [d.code, d.span.file])).toEqual([
      ['ACL0701', 'repo/aclc.config.json'],
    ]);
  });
});

describe('compile, plan and apply build exactly one project', () => {
  it('compile on two projects exits 2 (a usage error) with ACL0703', async () => {
    write('a/a.acl', GROUP + app('A'));
    write('b/b.acl', GROUP + app('B'));
    expect(await main(['compile', 'a', 'b/b.acl'], io())).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      [
        'error[ACL0703]: `a b/b.acl` spans 2 projects: `a`, `b` (usage-error)',
        '  --> <command line>',
        '  = help: compile one project at a time, or add an `aclc.config.json` at their common root (`.`) to make them one project',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it('compile of a folder with subfolders and no configuration spans several projects', async () => {
    write('p/groups.acl', GROUP);
    write('p/apps/a.acl', app('A'));
    expect(await main(['compile', 'p'], io())).toBe(2);
    expect(err).toContain('error[ACL0703]: `p` spans 2 projects: `p`, `p/apps`');
    // With a configuration at their common root, the same files are one project and compile.
    write('p/aclc.config.json', '{}');
    err = '';
    expect(await main(['compile', 'p'], io())).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out).apps.map((a: { name: string }) => a.name)).toEqual(['A']);
  });

  it('a file compiles with the rest of its project, and nested configurations change the help', async () => {
    write('repo/aclc.config.json', '{}');
    write('repo/groups/staff.acl', GROUP);
    write('repo/apps/a.acl', app('A'));
    write('repo/team/aclc.config.json', '{}');
    write('repo/team/t.acl', GROUP + app('T'));
    expect(await main(['compile', 'repo/apps/a.acl'], io())).toBe(0);
    expect(JSON.parse(out).groups.map((g: { name: string }) => g.name)).toEqual(['Staff']);
    out = '';
    expect(await main(['compile', 'repo'], io())).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      [
        'error[ACL0703]: `repo` spans 2 projects: `repo`, `repo/team` (usage-error)',
        '  --> <command line>',
        '  = help: compile one project at a time; a folder with its own `aclc.config.json` is a project of its own',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });

  it("plan and apply keep the ledger at the project's root, whichever of its paths is named", () => {
    write('repo/aclc.config.json', '{}');
    write('repo/groups/staff.acl', GROUP);
    write('repo/apps/a.acl', app('A'));
    for (const path of ['repo', 'repo/apps', 'repo/apps/a.acl']) {
      const compiled = compileSources([path], dir);
      expect(compiled.diagnostics).toEqual([]);
      expect(compiled.root).toBe(join(dir, 'repo'));
    }
  });

  it('plan checks the project before it needs an account', async () => {
    write('a/a.acl', GROUP + app('A'));
    write('b/b.acl', GROUP + app('B'));
    expect(await main(['plan', 'a', 'b'], io())).toBe(2);
    expect(err).toContain('error[ACL0703]: `a b` spans 2 projects: `a`, `b`');
    expect(err).toContain('= help: plan one project at a time');
    err = '';
    expect(await main(['apply', 'a', 'b', '--auto-approve'], io())).toBe(2);
    expect(err).toContain('= help: apply one project at a time');
  });

  it('compile on one example folder still works', async () => {
    expect(await main(['compile', 'examples/multi-idp'], io(repoRoot))).toBe(0);
    expect(err).toBe('');
    expect(out).toBe(
      readFileSync(join(repoRoot, 'examples', 'multi-idp', 'expected', 'compiled.json'), 'utf8'),
    );
  });

  it('`aclc compile examples/` names the example projects instead of merging them', async () => {
    expect(await main(['compile', 'examples/'], io(repoRoot))).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      [
        'error[ACL0703]: `examples/` spans 8 projects: `examples/admin-portal`, `examples/app-types`, ' +
          '`examples/ci-service-token`, `examples/contractor-portal`, `examples/github-hooks`, … (usage-error)',
        '  --> <command line>',
        '  = help: compile one project at a time, or add an `aclc.config.json` at their common root (`examples`) ' +
          'to make them one project',
        '',
        '1 error',
        '',
      ].join('\n'),
    );
  });
});

describe('fmt walks folders the same way', () => {
  const messy = 'group   "G"=everyone\n';

  it('formats the files asked for, skipping ignored ones unless named', async () => {
    write('repo/aclc.config.json', JSON.stringify({ ignore: ['drafts/**'] }));
    write('repo/a.acl', messy);
    write('repo/sub/b.acl', messy);
    write('repo/drafts/d.acl', messy);
    expect(await main(['fmt', 'repo'], io())).toBe(0);
    expect(out).toBe('formatted repo/a.acl\nformatted repo/sub/b.acl\n');
    expect(readFileSync(join(dir, 'repo/drafts/d.acl'), 'utf8')).toBe(messy);
    out = '';
    expect(await main(['fmt', 'repo/drafts/d.acl'], io())).toBe(0);
    expect(out).toBe('formatted repo/drafts/d.acl\n');
  });

  it('formats nothing when a configuration is broken (its `ignore` is unknown)', async () => {
    write('repo/aclc.config.json', '{ "ignore": ');
    write('repo/a.acl', messy);
    expect(await main(['fmt', 'repo'], io())).toBe(2);
    expect(err).toContain('error[ACL0701]: `repo/aclc.config.json` is not valid JSON');
    expect(readFileSync(join(dir, 'repo/a.acl'), 'utf8')).toBe(messy);
  });
});
