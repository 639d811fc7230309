import { describe, expect, it } from 'vitest';
import { accessDiff } from '../../src/access-diff/engine.js';
import { widenings } from '../../src/access-diff/types.js';
import { evaluateCompiledApp } from '../../src/eval/compiled.js';
import { compiled, WIKI_AFTER, WIKI_BEFORE } from './helpers.js';

describe('access diff', () => {
  it('finds who gains access when a Wiki policy becomes `not country(…) or login_method(…)`', () => {
    const before = compiled(WIKI_BEFORE);
    const after = compiled(WIKI_AFTER);
    const diff = accessDiff({ before, after });
    expect(diff.summary).toMatchObject({ apps: 2, identical: 1, analysed: 1, gains: 1, losses: 1 });
    const wiki = diff.apps.find((a) => a.app === 'Wiki');
    expect(wiki?.status).toBe('changed');
    const gain = wiki?.changes.find((c) => c.kind === 'gain');
    expect(gain).toMatchObject({ from: 'denied', to: 'allow', complete: true });
    const texts = gain?.terms.map((t) => t.text) ?? [];
    expect(texts).toContain('logs in with `One-time PIN`');
    expect(
      texts.some((t) =>
        t.includes('comes from a country other than `BY`, `CU`, `IR`, `KP`, `RU`, `SY` and `VE`'),
      ),
    ).toBe(true);
    for (const t of gain?.terms ?? []) {
      expect(evaluateCompiledApp(before, 'Wiki', t.witness).decision).not.toBe('allow');
      expect(evaluateCompiledApp(after, 'Wiki', t.witness).decision).toBe('allow');
    }
    expect(widenings(diff).map((a) => a.app)).toEqual(['Wiki']);
  });

  it('proves a rewrite that changes no decision', () => {
    const before = compiled(WIKI_BEFORE);
    const after = compiled(
      WIKI_BEFORE.replace(
        'allow "Staff" if email_domain("example.com") and login_method(okta)',
        'allow "Staff" if login_method(okta) and not not email_domain("example.com")',
      ),
    );
    const diff = accessDiff({ before, after });
    expect(diff.apps).toEqual([{ app: 'Wiki', status: 'same', changes: [] }]);
    expect(widenings(diff)).toEqual([]);
  });

  it('says nothing about apps written alike', () => {
    const doc = compiled(WIKI_BEFORE);
    const diff = accessDiff({ before: doc, after: compiled(WIKI_BEFORE) });
    expect(diff.apps).toEqual([]);
    expect(diff.summary).toMatchObject({ apps: 2, identical: 2, analysed: 0 });
  });

  it('reports a bypass that replaces an allow as a move, and a removed app as widening', () => {
    const before = compiled(WIKI_BEFORE);
    const after = compiled(
      WIKI_BEFORE.replace(
        'allow "Admins" if email("root@example.com")',
        'bypass "Admins" if email("root@example.com")',
      ).replace(/app "Wiki" \{[^}]*\}\n/, ''),
    );
    const diff = accessDiff({ before, after });
    const admin = diff.apps.find((a) => a.app === 'Admin');
    expect(admin?.changes.map((c) => [c.kind, c.from, c.to])).toEqual([['move', 'allow', 'bypass']]);
    expect(diff.apps.find((a) => a.app === 'Wiki')?.status).toBe('removed');
    expect(widenings(diff).map((a) => a.app)).toEqual(['Wiki']);
  });

  it('reports an app past the engine budget as undecided, never as unchanged', () => {
    const ips = Array.from({ length: 200 }, (_, i) => `ip("10.${i}.${(i * 7) % 256}.0/24")`).join(' or ');
    const heavy = WIKI_BEFORE.replace(
      'email_domain("example.com") and login_method(okta)',
      `(${ips}) and login_method(okta)`,
    );
    const diff = accessDiff({
      before: compiled(WIKI_BEFORE),
      after: compiled(heavy),
      budget: { steps: 1024 },
    });
    const wiki = diff.apps.find((a) => a.app === 'Wiki');
    expect(wiki?.status).toBe('undecided');
    expect(widenings(diff).map((a) => a.app)).toEqual(['Wiki']);
  });
});

describe('apps left alone', () => {
  it('are identical even when they use groups (nothing analysed)', () => {
    const acl = `group "Staff" = email_domain("example.com")
app "A" {
  domain "a.example.com"
  allow "Staff" if group("Staff")
}
`;
    const diff = accessDiff({ before: compiled(acl), after: compiled(acl) });
    expect(diff.summary).toMatchObject({ apps: 1, identical: 1, analysed: 0 });
  });
});

describe('descriptions', () => {
  it('phrase IdP-bound selectors with their IdP, and merge values of one selector', () => {
    const acl = (cond: string) => `idp okta: okta = "Okta (corporate)"
app "A" {
  domain "a.example.com"
  allow "P" if ${cond}
}
`;
    const diff = accessDiff({
      before: compiled(acl('okta_group(okta, "eng")')),
      after: compiled(acl('okta_group(okta, "eng", "ops") or country("FR", "DE")')),
    });
    const terms = diff.apps[0]?.changes[0]?.terms.map((t) => t.text);
    expect(terms).toEqual([
      'comes from `FR` or `DE`, is in no `Okta (corporate)` group `eng`',
      'is in `Okta (corporate)` group `ops`, is in no `Okta (corporate)` group `eng`',
    ]);
  });
});
