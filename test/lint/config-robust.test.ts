import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseConfig } from '../../src/lint/config.js';
import { globMatcher, matchesWildcard } from '../../src/lint/glob.js';

const parse = (text: string) => {
  const file = new SourceFile('aclc.config.json', text);
  const r = parseConfig(file);
  return {
    value: r.value,
    found: r.diagnostics.map((d) => {
      const { line, column } = file.position(d.span.start);
      return `${line}:${column} ${d.code} ${d.message}`;
    }),
  };
};

describe('aclc.config.json is JSONC and never throws', () => {
  it('takes comments and trailing commas', () => {
    const r = parse(
      '// project settings\n{\n  "$schema": "./node_modules/aclc/schemas/config.schema.json",\n  /* levels */\n  "rules": { "long-session": "off", }, // done\n  "ignore": ["vendor/**",],\n}\n',
    );
    expect(r.found).toEqual([]);
    expect(r.value).toEqual({
      $schema: './node_modules/aclc/schemas/config.schema.json',
      rules: { 'long-session': 'off' },
      ignore: ['vendor/**'],
    });
  });

  it('keeps `//` and commas inside strings', () => {
    expect(parse('{ "ignore": ["a//b,", "/*x*/"] }').value).toEqual({ ignore: ['a//b,', '/*x*/'] });
  });

  it('points a JSON error at its real line and column', () => {
    expect(parse('{\n  "rules": {\n    "long-session" "off"\n  }\n}\n').found).toEqual([
      expect.stringMatching(/^3:20 ACL0701 `aclc\.config\.json` is not valid JSON: /),
    ]);
    expect(parse('{\n  /* open\n').found).toEqual([
      '2:3 ACL0701 `aclc.config.json` is not valid JSON: unterminated `/*` comment',
    ]);
  });

  it.each(['null', '[]', '42', '"x"'])('`%s` is a diagnostic, not a crash', (text) => {
    expect(parse(text).found).toEqual([
      `1:1 ACL0701 invalid configuration: the file must hold a JSON object, found \`${JSON.stringify(JSON.parse(text))}\``,
    ]);
  });

  it('nesting thousands deep is a diagnostic', () => {
    const deep = `{"rules": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(parse(deep).found).toEqual([
      '1:74 ACL0701 `aclc.config.json` is not valid JSON: nested more than 64 levels deep',
    ]);
  });

  it('any text: diagnostics or a config, never a throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]",:/*\n ab1') }), (text) => {
        const r = parse(text);
        expect(r.value === undefined || r.found.length === 0).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Reference glob semantics by plain backtracking (fine on short inputs). */
function reference(glob: string, path: string): boolean {
  if (glob === '') return path === '';
  if (glob.startsWith('**/')) {
    if (reference(glob.slice(3), path)) return true;
    for (let i = 0; i < path.length; i++)
      if (path[i] === '/' && reference(glob, path.slice(i + 1))) return true;
    return false;
  }
  if (glob.startsWith('**')) {
    for (let i = 0; i <= path.length; i++) if (reference(glob.slice(2), path.slice(i))) return true;
    return false;
  }
  if (glob[0] === '*') {
    for (let i = 0; i <= path.length && (i === 0 || path[i - 1] !== '/'); i++)
      if (reference(glob.slice(1), path.slice(i))) return true;
    return false;
  }
  if (path === '') return false;
  if (glob[0] === '?') return path[0] !== '/' && reference(glob.slice(1), path.slice(1));
  return glob[0] === path[0] && reference(glob.slice(1), path.slice(1));
}

describe('ignore globs', () => {
  it('match like the reference', () => {
    const globChar = fc.constantFrom('a', 'b', '/', '*', '**', '**/', '?');
    const pathChar = fc.constantFrom('a', 'b', '/');
    fc.assert(
      fc.property(
        fc.array(globChar, { maxLength: 6 }),
        fc.array(fc.array(pathChar, { maxLength: 8 }), { minLength: 1, maxLength: 4 }),
        (g, paths) => {
          const glob = g.join('').replace(/\*{3,}/g, '**');
          // One matcher for several paths: it keeps its state sets between tests.
          const matcher = globMatcher(glob);
          for (const p of paths) {
            const path = p.join('');
            expect(matcher.test(path), `${glob} ~ ${path}`).toBe(reference(glob, path));
          }
        },
      ),
      { numRuns: 5000 },
    );
    expect(globMatcher('vendor/**').test('vendor/x/y.acl')).toBe(true);
    expect(globMatcher('**/draft-*.acl').test('draft-1.acl')).toBe(true);
    expect(globMatcher('**/draft-*.acl').test('a/b/draft-1.acl')).toBe(true);
    expect(globMatcher('*.acl').test('a/b.acl')).toBe(false);
  });

  it('take linear time on patterns that make a backtracking matcher explode', () => {
    // The path has every literal part of the glob, in order, so only the state machine can turn it away.
    const glob = `${'**a'.repeat(40)}*b`;
    const path = `${'a'.repeat(20_000)}/b`;
    // A regex `.*a.*a…[^/]*b` would not finish; this is 40 × 20,000 steps.
    expect(globMatcher(glob).test(path)).toBe(false);
    expect(globMatcher(glob).test(`${'a'.repeat(20_000)}b`)).toBe(true);
    expect(matchesWildcard(`${'*a'.repeat(40)}b`, path)).toBe(false);
  });
});
