import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { analyzeSources } from '../../src/pipeline.js';

function diagnose(text: string) {
  return analyzeSources([new SourceFile('a.acl', text)]).diagnostics.map((d) => ({
    code: d.code,
    text: text.slice(d.span.start, d.span.end),
    help: d.help,
    fix: d.fix?.edits.map((e) => e.text),
  }));
}

describe('value suggestions through the whole front end', () => {
  it('`1d`: one diagnostic on the duration, none on the next line, a fix to `24h`', () => {
    const found = diagnose(
      'app "A" {\n  domain "a.example.com"\n  session_duration 1d\n  allow "x" if everyone\n}\n',
    );
    expect(found).toEqual([
      {
        code: 'ACL0436',
        text: '1d',
        help: 'use `24h`; units are ns, us, ms, s, m and h',
        fix: ['24h'],
      },
    ]);
  });

  it.each([
    ['ip("010.000.000.000/8")', 'ACL0430', '10.0.0.0/8'],
    ['ip("0x0a.1.2.3")', 'ACL0431', '10.1.2.3'],
    ['ip("10.1")', 'ACL0432', '10.0.0.1'],
    ['ip("167772161")', 'ACL0433', '10.0.0.1'],
    ['email("@example.com")', 'ACL0437', 'email_domain("example.com")'],
    ['country("UK")', 'ACL0405', '`GB`'],
    ['user_risk_score("hgh")', 'ACL0409', '`high`'],
  ])('%s → %s, naming %s', (condition, code, named) => {
    const found = diagnose(`policy "p" allow if ${condition}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]?.code).toBe(code);
    expect(found[0]?.help).toContain(named);
  });
});
