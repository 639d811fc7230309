import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { CATALOG } from '../../src/diagnostics/catalog.js';
import { isCompilerCode, ruleOfCode } from '../../src/diagnostics/rules.js';
import { RULES } from '../../src/lint/rules/index.js';
import { explainName, renderCodesMarkdown } from '../../src/rule-docs/index.js';

const root = join(import.meta.dirname, '..', '..');
const codes = Object.keys(CATALOG);

describe('one name for each problem', () => {
  it('docs/codes.md is generated from the catalog and up to date', () => {
    const onDisk = readFileSync(join(root, 'docs', 'codes.md'), 'utf8');
    expect(onDisk === renderCodesMarkdown(), 'docs/codes.md is out of date: run `npm run docs:codes`').toBe(
      true,
    );
    for (const code of codes) expect(onDisk).toContain(`| <a id="${code.toLowerCase()}"></a>${code} |`);
  });

  it("a compiler rule's `covers` and the code → rule table agree", () => {
    const ids = new Set(RULES.map((r) => r.meta.id));
    for (const rule of RULES) {
      for (const code of rule.meta.covers ?? [])
        expect(ruleOfCode(code), `${code} is covered by ${rule.meta.id}`).toBe(rule.meta.id);
    }
    for (const code of codes) {
      const rule = ruleOfCode(code);
      if (!ids.has(rule)) continue;
      const covers = RULES.find((r) => r.meta.id === rule)?.meta.covers ?? [];
      expect(covers, `${code} is named ${rule}, so that rule must list it in \`covers\``).toContain(code);
    }
  });

  it('`aclc rule` documents every code and every rule', () => {
    for (const code of codes) expect(explainName(code), code).toContain(code);
    for (const rule of RULES) expect(explainName(rule.meta.id), rule.meta.id).toContain(rule.meta.summary);
    expect(explainName('no-such-rule')).toBeUndefined();
    for (const code of codes) expect(isCompilerCode(code)).toBe(true);
  });
});

describe('compile and lint say the same code and rule, in every format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aclc-vocab-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.acl'), 'policy "P" allow if group("Nope")\n');
  const run = async (...args: string[]) => {
    let out = '';
    let err = '';
    const io: Io = {
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
    };
    const code = await main(args, io);
    return { code, out, err };
  };

  it('json (compile and lint)', async () => {
    const compiled = await run('compile', 'a.acl', '--diagnostics', 'json');
    const linted = await run('lint', 'a.acl', '--format', 'json');
    const pick = (text: string) =>
      (JSON.parse(text).diagnostics as { code: string; rule: string }[]).map((d) => [d.code, d.rule]);
    expect(pick(compiled.err)).toEqual([['ACL0302', 'undefined-reference']]);
    expect(pick(linted.out)).toContainEqual(['ACL0302', 'undefined-reference']);
    // A lint rule's code is its id.
    expect(pick(linted.out)).toContainEqual(['unused-policy', 'unused-policy']);
  });

  it('human (compile and lint)', async () => {
    const header = 'error[ACL0302]: unknown group `Nope` (undefined-reference)';
    expect((await run('compile', 'a.acl')).err).toContain(header);
    expect((await run('lint', 'a.acl')).out).toContain(header);
  });

  it('github and sarif', async () => {
    expect((await run('lint', 'a.acl', '--format', 'github')).out).toContain(
      'title=aclc ACL0302 undefined-reference',
    );
    const sarif = JSON.parse((await run('lint', 'a.acl', '--format', 'sarif')).out);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'ACL0302');
    expect(result.ruleId).toBe('ACL0302');
    expect(result.properties.rule).toBe('undefined-reference');
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex]).toMatchObject({
      id: 'ACL0302',
      name: 'undefined-reference',
    });
  });

  it('`aclc rule` prints a code, a rule, the list, and refuses an unknown name with exit 2', async () => {
    const code = await run('rule', 'ACL0302');
    expect(code.code).toBe(0);
    expect(code.out).toContain('ACL0302 (undefined-reference)');
    const rule = await run('rule', 'shadowed-policy');
    expect(rule.out).toContain('## Avoid');
    const all = await run('rule', '--all');
    for (const c of codes) expect(all.out).toContain(c);
    const unknown = await run('rule', 'shadowed-polcy');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('did you mean `shadowed-policy`?');
  });
});
