import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { formatTestSource } from '../../src/testing/format.js';
import { parseTestFile } from '../../src/testing/parse.js';

const file = (text: string) => new SourceFile('t.acltest', text);

describe('.acltest parser', () => {
  it('parses tests and every invariant form', () => {
    const { value, diagnostics } = parseTestFile(
      file(`test "a" { identity { email "x@y.com" certificate auth_method "mfa", "hwk" } expect app "A" allow by "P" }
never deny country("KP") on app "A"
always block not everyone on every app
app "A" allows only email_domain("y.com") or group("G")
no app is open to everyone
every service_auth on apps tagged "ci" requires ip("10.0.0.0/8")
every bypass on apps tagged public requires ip_list("LB")`),
    );
    expect(diagnostics).toEqual([]);
    expect(value.items.map((i) => (i.kind === 'Test' ? 'test' : i.body.form))).toEqual([
      'test',
      'never',
      'always',
      'only',
      'open',
      'requires',
      'requires',
    ]);
    const t = value.items[0];
    if (t?.kind !== 'Test') throw new Error('test');
    expect(
      t.identity?.fields.map((f) => [
        f.key.name,
        f.values.map((v) => (v.kind === 'String' ? v.value : v.name)),
      ]),
    ).toEqual([
      ['email', ['x@y.com']],
      ['certificate', []],
      ['auth_method', ['mfa', 'hwk']],
    ]);
  });

  it('reports each broken statement once and keeps going', () => {
    const { value, diagnostics } = parseTestFile(
      file(`test "a" { expect app "A" perhaps }
never allow on app "A"
test "b" { expect app "A" allow }
always allow everyone app "A"
no app is open to everyone`),
    );
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'ACL0950',
        'expected an outcome (`allow`, `deny`, `bypass`, `service_auth`, `no-match` or `denied`), found `perhaps`',
      ],
      ['ACL0950', 'expected a condition (a selector such as `email_domain("example.com")`), found `on`'],
      ['ACL0950', 'expected `on`, found `app`'],
    ]);
    expect(value.items.map((i) => (i.kind === 'Test' ? i.name.value : i.body.form))).toEqual(['b', 'open']);
  });

  it('never throws and keeps spans inside the text, whatever the input (property)', () => {
    const tokens = fc.constantFrom(
      'test',
      '"x"',
      '{',
      '}',
      'identity',
      'expect',
      'app',
      'allow',
      'never',
      'on',
      'every',
      '(',
      ')',
      'not',
      'and',
      'country',
      ',',
      'no',
      'is',
      '#c\n',
      '\n',
      'by',
      '"',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(tokens).map((t) => t.join(' ')),
        ),
        (text) => {
          const { diagnostics } = parseTestFile(file(text));
          for (const d of diagnostics) {
            expect(d.span.start).toBeGreaterThanOrEqual(0);
            expect(d.span.end).toBeLessThanOrEqual(text.length);
          }
          const f = formatTestSource(file(text));
          if (f.diagnostics.length === 0) expect(formatTestSource(file(f.value)).value).toBe(f.value);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('survives deep nesting', () => {
    const deep = `never allow ${'('.repeat(5000)}everyone${')'.repeat(5000)} on every app`;
    expect(parseTestFile(file(deep)).diagnostics[0]?.code).toBe('ACL0950');
  });
});

describe('.acltest formatter', () => {
  it('lays files out canonically and keeps every comment', () => {
    const text = `# header

test   "a"{identity{email "x@y.com"   # who
country "de" certificate}
  expect app "A" block   by "P" # why
  # dangling
}
never   non_identity  country("KP")   on   every app
app "A"   allows only (email_domain("y.com") or group("G")) # end
`;
    const out = formatTestSource(file(text));
    expect(out.diagnostics).toEqual([]);
    expect(out.value).toBe(`# header

test "a" {
  identity {
    email "x@y.com" # who
    country "de"
    certificate
  }
  expect app "A" deny by "P" # why
  # dangling
}
never service_auth country("KP") on every app
app "A" allows only (email_domain("y.com") or group("G")) # end
`);
    expect(formatTestSource(file(out.value)).value).toBe(out.value);
  });

  it('leaves a file with syntax errors unchanged', () => {
    const text = 'test "a" {';
    const out = formatTestSource(file(text));
    expect(out.value).toBe(text);
    expect(out.diagnostics[0]?.code).toBe('ACL0950');
  });

  it('the example test files are formatted', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..', '..', 'examples');
    for (const d of readdirSync(root)) {
      if (!statSync(join(root, d)).isDirectory()) continue;
      for (const f of readdirSync(join(root, d)).filter((n) => n.endsWith('.acltest'))) {
        const text = readFileSync(join(root, d, f), 'utf8');
        expect(formatTestSource(new SourceFile(f, text)).value, f).toBe(text);
      }
    }
  });
});
