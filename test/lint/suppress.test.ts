import { describe, expect, it } from 'vitest';
import { ruleName } from '../../src/diagnostics/rules.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseSuppressions } from '../../src/lint/suppress.js';
import { parseFile } from '../../src/parser/index.js';
import { FILE, lintCase } from './rule-tester.js';

const show = (ds: { code: string; message: string; span: { start: number } }[], code: string) => {
  const file = new SourceFile(FILE, code);
  return ds.map(
    (d) => `${file.position(d.span.start).line}:${file.position(d.span.start).column} ${d.code} ${d.message}`,
  );
};
const ids = ['unused-group', 'unused-suppression', 'invalid-suppression', 'precedence-clash'];
const run = (code: string) => {
  const { all } = lintCase('x', code);
  return show(
    all.filter((d) => ids.includes(ruleName(d))),
    code,
  );
};

describe('parseSuppressions', () => {
  it('reads ids, reason and the line it applies to, for both comment markers', () => {
    const text =
      '# aclc-disable-next-line a, b -- because\ngroup "G" = everyone\n// aclc-disable-next-line c\n';
    const file = new SourceFile(FILE, text);
    const ast = parseFile(file).value;
    const found = parseSuppressions(ast.comments, file);
    expect(found.map((s) => ({ line: s.line, ids: s.ids.map((i) => i.id), reason: s.reason }))).toEqual([
      { line: 2, ids: ['a', 'b'], reason: 'because' },
      { line: 4, ids: ['c'], reason: undefined },
    ]);
    expect(found[0]?.ids[1]?.span).toEqual({ file: FILE, start: 28, end: 29 });
  });

  it('ignores other comments', () => {
    const file = new SourceFile(FILE, '# aclc-disable-next-lines x -- y\n# see aclc-disable-next-line\n');
    expect(parseSuppressions(parseFile(file).value.comments, file)).toEqual([]);
  });
});

describe('suppressions in a lint run', () => {
  it('drop the finding on the next line when they give a reason', () => {
    expect(
      run('# aclc-disable-next-line unused-group -- kept for the migration\ngroup "G" = everyone\n'),
    ).toEqual([]);
  });

  it('still suppress without a reason, but say so', () => {
    expect(run('# aclc-disable-next-line unused-group\ngroup "G" = everyone\n')).toEqual([
      '1:1 invalid-suppression suppression of `unused-group` gives no reason',
    ]);
  });

  it('report ids that suppress nothing, unknown ids and compiler errors', () => {
    const code = [
      '# aclc-disable-next-line unused-group, unused-grup, precedence-clash -- why',
      'group "G" = everyone',
      '# aclc-disable-next-line unused-idp -- nothing here',
      'policy "P" allow if everyone',
      '# aclc-disable-next-line -- no ids',
      '',
    ].join('\n');
    expect(run(code)).toEqual([
      '1:40 invalid-suppression unknown rule `unused-grup` in suppression',
      '1:53 invalid-suppression `precedence-clash` is a compiler error and cannot be suppressed',
      '3:26 unused-suppression suppression of `unused-idp` matches no finding on the next line',
      '5:1 invalid-suppression suppression names no rule',
    ]);
  });

  it('offer a fix that deletes an unused suppression on its own line', () => {
    const code =
      'group "G" = everyone\n# aclc-disable-next-line unused-idp -- stale\npolicy "P" allow if group("G")\n';
    const { all } = lintCase('unused-suppression', code);
    const d = all.find((x) => x.code === 'unused-suppression');
    expect(d?.fix).toEqual({
      description: 'remove the unused suppression',
      edits: [{ span: { file: FILE, start: 21, end: 66 }, text: '' }],
    });
  });

  it('cannot hide compiler errors', () => {
    const code = [
      'app "A" {',
      '  domain "a.example.com"',
      '  allow "X" if everyone precedence 1',
      '  # aclc-disable-next-line precedence-clash -- no',
      '  allow "Y" if everyone precedence 1',
      '}',
      '',
    ].join('\n');
    expect(run(code)).toEqual([
      '4:28 invalid-suppression `precedence-clash` is a compiler error and cannot be suppressed',
      '5:36 ACL0310 precedence 1 is used twice in app `A`',
    ]);
  });
});
