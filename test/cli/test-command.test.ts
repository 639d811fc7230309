import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'aclc.js');

/** Runs the built CLI the way a user does. */
function aclc(args: string[], cwd = root) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'aclc-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the admin-portal example in a scratch folder, with `tests` as its test file. */
function adminCopy(tests: string): string {
  const d = scratch();
  copyFileSync(join(root, 'examples/admin-portal/admin.acl'), join(d, 'admin.acl'));
  writeFileSync(join(d, 'admin.acltest'), tests);
  return d;
}

const examples = readdirSync(join(root, 'examples')).filter(
  (n) => statSync(join(root, 'examples', n)).isDirectory() && !['broken', 'ci'].includes(n),
);

describe('aclc test on the example projects', () => {
  it('every example project carries tests with examples and an invariant', () => {
    for (const name of examples) {
      const files = readdirSync(join(root, 'examples', name)).filter((f) => f.endsWith('.acltest'));
      expect(files.length, name).toBeGreaterThan(0);
    }
  });

  it('passes: one line per test and the summary alone on the last line', () => {
    const r = aclc(['test', 'examples/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    const passed = Number(/^(\d+)/.exec(lines.at(-1) ?? '')?.[1]);
    expect(lines.filter((l) => /^ {2}PASS /.test(l))).toHaveLength(passed);
    for (const name of examples) {
      const block = r.stdout.split(`examples/${name}/`)[1] ?? '';
      expect(block, name).toMatch(/PASS {2}invariant /);
    }
  });

  it('runs one project given by folder', () => {
    const r = aclc(['test', 'examples/health-bypass']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS  load balancer health check');
  });
});

describe('failures', () => {
  it('a wrong expectation and a violated invariant fail with a trace and a counterexample', () => {
    const d = adminCopy(`test "wrong" {
  identity { email "bob@eng.example.com" idp okta auth_method "pwd" }
  expect app "Admin console" allow by "Engineers with MFA"
}
never allow email_domain("eng.example.com") on app "Admin console"
`);
    const r = aclc(['test', '.'], d);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  wrong');
    expect(r.stdout).toContain('app "Admin console": expected allow by "Engineers with MFA", got no-match');
    expect(r.stdout).toContain('identity: { email "bob@eng.example.com" idp okta auth_method "pwd" }');
    expect(r.stdout).toMatch(/require +not held auth_method\("mfa"\) {2}admin\.acl:18:56/);
    expect(r.stdout).toContain(
      'FAIL  invariant never allow email_domain("eng.example.com") on app "Admin console"',
    );
    expect(r.stdout).toMatch(/counterexample: \{ email "[^"]+@eng\.example\.com"[^}]*auth_method "mfa" \}/);
    expect(r.stdout).toContain(
      '→ allow "Engineers with MFA" (Admin console / Engineers with MFA) precedence 2: matched, decided',
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 2 failed');
  });

  it('a syntax error in a test file is a diagnostic and exit 1', () => {
    const d = adminCopy('test "x" { expect app "Admin console" maybe }\n');
    const r = aclc(['test', '.'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ACL0950]: expected an outcome');
    expect(r.stderr).toContain('admin.acltest:1:39');
  });

  it('--filter runs only matching tests', () => {
    const r = aclc(['test', 'examples/admin-portal', '--filter', 'mfa']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('3 passed, 0 failed');
  });

  it('no test files is an error', () => {
    const d = scratch();
    copyFileSync(join(root, 'examples/admin-portal/admin.acl'), join(d, 'admin.acl'));
    const r = aclc(['test', '.'], d);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[ACL0960]: no `.acltest` files found in `.`');
  });
});

describe('reporters', () => {
  const failing = `test "ok" { identity { country "KP" } expect app "Admin console" deny }
test "bad" { identity { country "KP" } expect app "Admin console" allow }
`;
  it('json', () => {
    const r = aclc(['test', '.', '--reporter', 'json'], adminCopy(failing));
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual({ passed: 1, failed: 1, errors: 0 });
    expect(doc.results[1]).toMatchObject({ name: 'bad', status: 'fail', line: 2, column: 1 });
    expect(doc.results[1].failures[0]).toMatchObject({ app: 'Admin console', expected: 'allow' });
  });
  it('junit', () => {
    const r = aclc(['test', '.', '--reporter', 'junit'], adminCopy(failing));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="aclc test" tests="2" failures="1" errors="0"/,
    );
    expect(r.stdout).toContain('<testcase name="ok" classname="admin.acltest"');
    expect(r.stdout).toContain(
      '<failure message="app &quot;Admin console&quot;: expected allow, got deny by &quot;Block sanctioned countries&quot;">',
    );
  });
  it('github', () => {
    const r = aclc(['test', '.', '--reporter', 'github'], adminCopy(failing));
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^::error file=admin\.acltest,line=2,col=1,endLine=2,endColumn=\d+,title=aclc test%3A bad::app "Admin console": expected allow/,
    );
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
  });
});

describe('coverage', () => {
  it('--coverage lists unreached regions with a ready-to-paste witness, --coverage-min fails under it', () => {
    const d = adminCopy(
      `test "eng" { identity { email "a@eng.example.com" auth_method "mfa" } expect app "Admin console" allow }\n`,
    );
    const r = aclc(['test', '.', '--coverage'], d);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('UNREACHED deny "Block sanctioned countries": 0 example(s)');
    expect(r.stdout).toMatch(
      /test "Admin console: decided by Block sanctioned countries" \{\n\s+identity \{\n\s+country "(KP|IR|SY|CU)"/,
    );
    const low = aclc(['test', '.', '--coverage-min', '90'], d);
    expect(low.code).toBe(1);
    expect(low.stderr).toMatch(/coverage [\d.]+% is below --coverage-min 90%/);
    expect(aclc(['test', '.', '--coverage-min', '10'], d).code).toBe(0);
  });
});

describe('aclc explain', () => {
  it('prints the decision and the trace for an identity', () => {
    const r = aclc([
      'explain',
      'examples/admin-portal',
      '--app',
      'Admin console',
      '--as',
      'email=bob@eng.example.com,country=DE,idp=okta,auth_method=mfa',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`identity: { email "bob@eng.example.com" country "DE" idp okta auth_method "mfa" }
app "Admin console": allow by "Engineers with MFA"
  1. ✗ deny "Block sanctioned countries" precedence 1: did not match  examples/admin-portal/admin.acl:9:8
       include not held group("Sanctioned countries")  examples/admin-portal/admin.acl:9:45
  2. → allow "Engineers with MFA" (Admin console / Engineers with MFA) precedence 2: matched, decided  examples/admin-portal/admin.acl:18:9
       include held     group("Engineers")  examples/admin-portal/admin.acl:18:33
       require held     auth_method("mfa")  examples/admin-portal/admin.acl:18:56
`);
  });

  it('--format json, every app, identity from a file', () => {
    const d = scratch();
    writeFileSync(
      join(d, 'id.json'),
      JSON.stringify({ email: 'x@widgets.example.net', idp: 'okta', idp_group: ['sre'], country: 'DE' }),
    );
    const r = aclc(
      ['explain', join(root, 'examples/multi-idp'), '--identity', join(d, 'id.json'), '--format', 'json'],
      d,
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.apps.map((a: { app: string; outcome: string }) => [a.app, a.outcome])).toEqual([
      ['Grafana', 'none'],
      ['Kubernetes dashboard', 'allow'],
    ]);
    const k8s = doc.apps[1].policies[2];
    expect(k8s.terms[0]).toMatchObject({ list: 'include', held: true, group: { synthesized: true } });
    expect(k8s.terms[0].text).toBe('(country("DE") and group("Acquired SREs"))');
    expect(k8s.terms[0].location.line).toBe(19);
  });

  it('rejects a missing identity and an unknown app', () => {
    expect(aclc(['explain', 'examples/admin-portal']).code).toBe(2);
    const r = aclc(['explain', 'examples/admin-portal', '--app', 'Admin', '--as', 'country=DE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown app `Admin`');
  });
});

describe('--watch', () => {
  it('reruns the tests a change affects', async () => {
    const d = adminCopy(`test "kp" { identity { country "KP" } expect app "Admin console" deny }\n`);
    const child = spawn(process.execPath, [cli, 'test', '.', '--watch'], {
      cwd: d,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => {
      out += b;
    });
    child.stderr.on('data', (b) => {
      err += b;
    });
    const until = async (check: () => boolean): Promise<void> => {
      for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(check(), `stdout:\n${out}\nstderr:\n${err}`).toBe(true);
    };
    await until(() => out.includes('1 passed, 0 failed') && err.includes('[watch] watching'));
    writeFileSync(
      join(d, 'admin.acltest'),
      `test "kp" { identity { country "KP" } expect app "Admin console" allow }\n`,
    );
    await until(() => out.includes('0 passed, 1 failed'));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(1);
  });
});

describe('fmt, lint and lint --emit-tests with test files', () => {
  it('fmt formats .acltest files and lint reports their syntax errors', () => {
    const d = adminCopy('never   allow  country("FR")   on   app "Admin console"\n');
    const check = aclc(['fmt', '--check', '.'], d);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('+never allow country("FR") on app "Admin console"');
    expect(aclc(['fmt', 'admin.acltest'], d).code).toBe(0);
    expect(aclc(['fmt', '--check', '.'], d).code).toBe(0);
    writeFileSync(join(d, 'admin.acltest'), 'never allow on app "Admin console"\n');
    const lint = aclc(['lint', '.'], d);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain('error[ACL0950]: expected a condition');
  });

  it('lint --emit-tests writes tests that pass now', () => {
    const d = scratch();
    copyFileSync(join(root, 'examples/broken/lint-shadowed.acl'), join(d, 'intranet.acl'));
    const r = aclc(['lint', '.', '--emit-tests', 'regressions.acltest'], d);
    expect(r.stderr).toMatch(/wrote [1-9]\d* test\(s\) to regressions\.acltest/);
    const t = aclc(['test', '.'], d);
    expect(t.stdout).toContain('PASS  shadowed-policy: ');
    expect(t.code).toBe(0);
  });
});
