import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { matchesPattern, parseConfig, resolveRules } from '../../src/lint/config.js';
import { RULES } from '../../src/lint/rules/index.js';

const parse = (text: string) => parseConfig(new SourceFile('aclc.config.json', text));
const messages = (r: { diagnostics: { message: string; help?: string }[] }) =>
  r.diagnostics.map((d) => `${d.message} | ${d.help ?? ''}`);

describe('parseConfig', () => {
  it('accepts levels, [level, options], sensitive apps and ignore patterns', () => {
    const r = parse(
      JSON.stringify({
        rules: {
          'shadowed-policy': 'error',
          'long-session': ['warning', { max: '12h' }],
          'unused-idp': 'off',
        },
        sensitiveApps: ['Admin*'],
        ignore: ['broken/**'],
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.value?.rules?.['long-session']).toEqual(['warning', { max: '12h' }]);
  });

  it('reports invalid JSON where the file ends too early', () => {
    const r = parse('{ "rules": ');
    expect(r.value).toBeUndefined();
    expect(r.diagnostics[0]?.code).toBe('ACL0701');
    expect(r.diagnostics[0]?.message).toMatch(/^`aclc\.config\.json` is not valid JSON: /);
    expect(r.diagnostics[0]?.span).toEqual({ file: 'aclc.config.json', start: 11, end: 11 });
  });

  it('reports schema violations readably, at the offending rule id', () => {
    const text =
      '{ "rules": { "long-session": ["warning", { "max": "a day" }], "shadowed-policy": "loud" }, "colour": 1 }';
    const r = parse(text);
    expect(r.value).toBeUndefined();
    const help = ' | see `schemas/config.schema.json` for the allowed keys and values';
    expect(messages(r)).toEqual([
      'invalid configuration: rules.shadowed-policy: `"loud"` is not a level; use `off`, `info`, `warning` or `error`' +
        help,
      'invalid configuration: rules.long-session[1].max: `"a day"` is not a duration; write one such as `30m`, `24h` or `2h45m`' +
        help,
      'invalid configuration: (top level): unknown field `colour`' + help,
    ]);
    expect(r.diagnostics[1]?.span).toEqual({ file: 'aclc.config.json', start: 13, end: 27 });
  });
});

describe('resolveRules', () => {
  it('applies levels and merges options over the defaults', () => {
    const r = resolveRules(
      { rules: { 'long-session': ['error', { max: '8h' }], 'unused-idp': 'off' } },
      RULES,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.value.get('long-session')).toMatchObject({ severity: 'error', options: { max: '8h' } });
    expect(r.value.get('unused-idp')?.severity).toBe('off');
    expect(r.value.get('shadowed-policy')?.severity).toBe('warning');
    expect(r.value.get('missing-mfa')?.options).toEqual({ apps: [] });
  });

  it('refuses to turn a compiler error down, names unknown rules with a suggestion, rejects options where none exist', () => {
    const file = new SourceFile(
      'aclc.config.json',
      '{"rules":{"precedence-clash":"warning","shadowed-polcy":"off","no-allow":["error",{"x":1}]}}',
    );
    const r = resolveRules(
      { rules: { 'precedence-clash': 'warning', 'shadowed-polcy': 'off', 'no-allow': ['error', { x: 1 }] } },
      RULES,
      file,
    );
    expect(messages(r)).toEqual([
      'rule `precedence-clash` reports compiler errors and cannot be set to `warning` | compiler errors always fail the run; remove this entry',
      'unknown rule `shadowed-polcy` in the configuration | did you mean `shadowed-policy`? the rule ids are listed in `docs/rules/`',
      'rule `no-allow` takes no options | write `"no-allow": "error"`',
    ]);
    expect(r.diagnostics[1]?.span).toEqual({ file: 'aclc.config.json', start: 39, end: 55 });
    expect(r.value.get('precedence-clash')?.severity).toBe('error');
    expect(r.value.get('shadowed-policy')?.severity).toBe('warning');
  });
});

describe('matchesPattern', () => {
  it('matches whole names with * wildcards', () => {
    expect(matchesPattern('Admin*', 'Admin console')).toBe(true);
    expect(matchesPattern('*console', 'Admin console')).toBe(true);
    expect(matchesPattern('Admin', 'Admin console')).toBe(false);
    expect(matchesPattern('a.b', 'axb')).toBe(false);
  });
});
