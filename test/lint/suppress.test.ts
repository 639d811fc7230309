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

const parse = (text: string) => {
  const file = new SourceFile(FILE, text);
  return parseSuppressions(parseFile(file).value, file);
};
const scopeText = (text: string, s: { scope: { start: number; end: number } | null | undefined }) =>
  s.scope ? text.slice(s.scope.start, s.scope.end) : s.scope;

describe('parseSuppressions', () => {
  it('reads ids, reason and the node it applies to, for both comment markers', () => {
    const text =
      '# aclc-disable-next-line a, b -- because\ngroup "G" = everyone\n// aclc-disable-next-line c\n';
    const found = parse(text).suppressions;
    expect(
      found.map((s) => ({
        form: s.form,
        scope: scopeText(text, s),
        ids: s.ids.map((i) => i.id),
        reason: s.reason,
      })),
    ).toEqual([
      { form: 'next-line', scope: 'group "G" = everyone', ids: ['a', 'b'], reason: 'because' },
      { form: 'next-line', scope: null, ids: ['c'], reason: undefined },
    ]);
    expect(found[0]?.ids[1]?.span).toEqual({ file: FILE, start: 28, end: 29 });
  });

  it('ignores other comments, and reports a comment that starts like a directive but names none', () => {
    const { suppressions, unknown } = parse(
      '# aclc-disable-next-lines x -- y\n# see aclc-disable-next-line\n',
    );
    expect(suppressions).toEqual([]);
    expect(unknown).toEqual([{ word: 'aclc-disable-next-lines', span: { file: FILE, start: 2, end: 25 } }]);
  });

  it('scopes each form: next code line, the node a comment ends or sits in, the whole file', () => {
    const text = [
      'app "A" {',
      '  # aclc-disable-next-line r -- skips comment lines',
      '  # a note',
      '',
      '  allow "X" if everyone { session_duration 48h } # aclc-disable-line r -- the item it ends',
      '  deny "Y" if',
      '    # aclc-disable-line r -- inside a condition: the item',
      '    country("US")',
      '} # aclc-disable-line r -- the app header',
      '# aclc-disable-line r -- own line: nothing',
      '# aclc-disable-file r -- everything',
      '',
    ].join('\n');
    expect(parse(text).suppressions.map((s) => [s.form, scopeText(text, s), s.trailing])).toEqual([
      ['next-line', 'allow "X" if everyone { session_duration 48h }', false],
      ['line', 'allow "X" if everyone { session_duration 48h }', true],
      [
        'line',
        'deny "Y" if\n    # aclc-disable-line r -- inside a condition: the item\n    country("US")',
        false,
      ],
      ['line', 'app "A"', true],
      ['line', null, false],
      ['file', undefined, false],
    ]);
  });

  it('counts lines as the lexer does, with `\\r`, `\\r\\n` and `\\n` endings', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = [
        '# aclc-disable-next-line r -- x',
        'group "G" = everyone',
        'group "H" = everyone',
        '',
      ].join(eol);
      expect(parse(text).suppressions.map((s) => scopeText(text, s))).toEqual(['group "G" = everyone']);
    }
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
      '3:26 unused-suppression suppression of `unused-idp` matches no finding where it applies',
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

describe('the other suppression forms', () => {
  it('`aclc-disable-line` after a declaration suppresses its findings; on its own line it suppresses nothing', () => {
    expect(run('group "G" = everyone # aclc-disable-line unused-group -- kept for the migration\n')).toEqual(
      [],
    );
    expect(run('# aclc-disable-line unused-group -- misplaced\ngroup "G" = everyone\n')).toEqual([
      '1:21 unused-suppression suppression of `unused-group` matches no finding where it applies',
      '2:7 unused-group group `G` is never used',
    ]);
  });

  it('`aclc-disable-file` suppresses a rule anywhere in its file, and is reported when it matches nothing', () => {
    const code =
      'group "G" = everyone\n\ngroup "H" = everyone\n# aclc-disable-file unused-group -- generated file\n';
    expect(run(code)).toEqual([]);
    expect(run('# aclc-disable-file unused-idp -- stale\ngroup "G" = everyone\n')).toEqual([
      '1:21 unused-suppression suppression of `unused-idp` matches no finding in this file',
      '2:7 unused-group group `G` is never used',
    ]);
  });

  it('reports an unknown `aclc-` directive with the one that was meant', () => {
    const { all } = lintCase('x', '# aclc-disable-nextline unused-group -- typo\ngroup "G" = everyone\n');
    const d = all.find((x) => x.code === 'invalid-suppression');
    expect(d?.message).toBe('unknown directive `aclc-disable-nextline`');
    expect(d?.help).toMatch(/^did you mean `aclc-disable-next-line`\?/);
    expect(all.some((x) => x.code === 'unused-group')).toBe(true);
  });

  it('offers a fix that deletes an unused trailing suppression and keeps the code', () => {
    const code =
      'group "G" = everyone\npolicy "P" allow if group("G") # aclc-disable-line unused-idp -- stale\n';
    const { all } = lintCase('unused-suppression', code);
    const d = all.find((x) => x.code === 'unused-suppression');
    expect(d?.fix?.edits).toEqual([{ span: { file: FILE, start: 51, end: code.length - 1 }, text: '' }]);
  });
});
