import { describe, expect, it } from 'vitest';
import { inlinePolicyName } from '../../src/resolve/index.js';
import { resolveDecision } from '../../src/resolve/policies.js';
import { expectDiagnostics, plain, resolveText } from './helpers.js';

const entries = (src: string) => {
  const r = resolveText(src);
  return {
    r,
    entries: r.project.apps[0]?.policies.map(({ policy, precedence, explicitPrecedence }) => ({
      policy,
      precedence,
      explicit: explicitPrecedence,
    })),
  };
};

describe('app policies', () => {
  it('numbers entries by position unless precedence is written', () => {
    const { r, entries: list } = entries(
      [
        'policy "Staff" allow if email_domain("example.com")',
        'policy "Block" deny if country("KP")',
        'app "Wiki" {',
        '  domain "wiki.example.com"',
        '  use "Block"',
        '  bypass "Health" if ip("192.0.2.1") precedence 10',
        '  use "Staff"',
        '  allow "Interns" if email("intern@example.com")',
        '}',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(list).toEqual([
      { policy: 'Block', precedence: 1, explicit: false },
      { policy: 'Wiki / Health', precedence: 10, explicit: true },
      { policy: 'Staff', precedence: 3, explicit: false },
      { policy: 'Wiki / Interns', precedence: 4, explicit: false },
    ]);
  });

  it('inline policies become reusable policies with a derived name', () => {
    const r = resolveText(
      'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if everyone {\n    session_duration 1h\n  }\n}',
    );
    expect(r.diagnostics).toEqual([]);
    expect(inlinePolicyName('Wiki', 'Staff')).toBe('Wiki / Staff');
    expect(plain(r.project)).toEqual({
      idps: {},
      groups: {},
      policies: {
        'Wiki / Staff': {
          name: 'Wiki / Staff',
          displayName: 'Staff',
          decision: 'allow',
          formula: { op: 'atom', atom: { sel: 'everyone', args: {} } },
          settings: { session_duration: '1h' },
          inlineIn: 'Wiki',
        },
      },
      apps: [
        {
          name: 'Wiki',
          settings: { domain: 'wiki.example.com', type: 'self_hosted' },
          policies: [{ policy: 'Wiki / Staff', precedence: 1, explicitPrecedence: false }],
        },
      ],
    });
  });

  it('decision aliases map to API decisions', () => {
    const r = resolveText(
      'app "A" {\n  domain "a.example.com"\n  block "B" if country("KP")\n  non_identity "N" if any_service_token\n  service_auth "S" if certificate\n}',
    );
    expect(r.diagnostics).toEqual([]);
    expect([...r.project.policies.values()].map((p) => [p.displayName, p.decision])).toEqual([
      ['B', 'deny'],
      ['N', 'non_identity'],
      ['S', 'non_identity'],
    ]);
  });

  it('ACL0310 precedence used twice, explicitly or by position', () => {
    const src = [
      'policy "Staff" allow if everyone',
      'app "A" {',
      '  domain "a.example.com"',
      '  use "Staff" precedence 2',
      '  deny "X" if country("KP")',
      '  deny "Y" if country("CU") precedence 2',
      '}',
    ].join('\n');
    const r = resolveText(src);
    expectDiagnostics(r, [
      {
        code: 'ACL0310',
        at: '5:3',
        message: 'precedence 2 is used twice in app `A`',
        help: 'precedence must be unique within an app; renumber or remove the explicit `precedence`',
        related: [{ at: '4:26', message: 'precedence 2 is given here' }],
      },
      {
        code: 'ACL0310',
        at: '6:40',
        message: 'precedence 2 is used twice in app `A`',
        related: [{ at: '4:26', message: 'precedence 2 is given here' }],
      },
    ]);
  });

  it('ACL0312 the same policy twice', () => {
    const r = resolveText(
      'policy "Staff" allow if everyone\napp "A" {\n  domain "a.example.com"\n  use "Staff"\n  use "Staff" precedence 5\n}',
    );
    expectDiagnostics(r, [
      {
        code: 'ACL0312',
        at: '5:7',
        message: 'app `A` uses policy `Staff` more than once',
        help: 'an app can reference a policy only once',
        related: [{ at: '4:7', message: 'first used here' }],
      },
    ]);
    expect(r.project.apps[0]?.policies.map((p) => p.policy)).toEqual(['Staff']);
  });

  it('`use extern` attaches account policies by name or id, in the order, apart from code policies', () => {
    const r = resolveText(
      [
        'policy "Staff" allow if everyone',
        'app "A" {',
        '  domain "a.example.com"',
        '  use extern "Dashboard"',
        '  use "Staff"',
        '  use extern id("c0ffee") precedence 9',
        '}',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    const app = r.project.apps[0];
    expect(app?.policies.map((p) => [p.policy, p.precedence])).toEqual([['Staff', 2]]);
    expect(app?.externPolicies?.map((e) => [e.ref, e.precedence, e.explicitPrecedence])).toEqual([
      [{ kind: 'policy', name: 'Dashboard' }, 1, false],
      [{ kind: 'policy', id: 'c0ffee' }, 9, true],
    ]);
  });

  it('ACL0316 / ACL0317 / ACL0312 / ACL0310 with `use extern`', () => {
    const r = resolveText(
      [
        'policy "Staff" allow if everyone',
        'app "A" {',
        '  domain "a.example.com"',
        '  use extern "Staff"',
        '  use id("c0ffee")',
        '  use extern "D"',
        '  use extern "D"',
        '  allow "X" if everyone precedence 3',
        '}',
      ].join('\n'),
    );
    expectDiagnostics(r, [
      {
        code: 'ACL0316',
        at: '4:14',
        message: '`use extern` names policy `Staff`, which this project manages',
        help: 'attach a policy of the project with `use "Staff"`; `use extern` is for policies that live only in the account',
      },
      {
        code: 'ACL0317',
        at: '5:7',
        message: 'a policy named by id must be attached with `use extern`',
        help: 'write `use extern id("c0ffee")`: aclc manages policies by name, and leaves one named by id as it is',
      },
      {
        code: 'ACL0312',
        at: '7:14',
        message: 'app `A` uses policy `D` more than once',
        help: 'an app can reference a policy only once',
        related: [{ at: '6:14', message: 'first used here' }],
      },
      {
        code: 'ACL0310',
        at: '8:36',
        message: 'precedence 3 is used twice in app `A`',
        help: 'precedence must be unique within an app; renumber or remove the explicit `precedence`',
        related: [{ at: '6:3', message: 'this entry has precedence 3 by its position' }],
      },
    ]);
  });

  it('ACL0415 precedence below 1', () => {
    const r = resolveText('app "A" {\n  domain "a.example.com"\n  allow "X" if everyone precedence 0\n}');
    expectDiagnostics(r, [
      {
        code: 'ACL0415',
        at: '3:36',
        message: '`0` is not a valid precedence',
        help: 'precedence is a whole number of at least 1',
      },
    ]);
    expect(r.project.apps[0]?.policies.map((p) => [p.precedence, p.explicitPrecedence])).toEqual([
      [1, false],
    ]);
  });

  it('a broken `use` is left out but keeps its position', () => {
    const { r, entries: list } = entries(
      'policy "P" allow if everyone\napp "A" {\n  domain "a.example.com"\n  use "Nope"\n  use "P"\n}',
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ACL0304']);
    expect(list).toEqual([{ policy: 'P', precedence: 2, explicit: false }]);
  });

  it('a policy with an unknown decision keyword grants nothing', () => {
    // The parser reports the keyword (ACL0205) and keeps the node; the resolver does not report it again.
    const span = { file: 'main.acl', start: 0, end: 4 };
    expect(resolveDecision({ kind: 'Decision', span, keyword: 'alow' })).toBe('deny');
    expect(resolveDecision({ kind: 'Decision', span, keyword: '' })).toBe('deny');
    expect(resolveDecision({ kind: 'Decision', span, keyword: 'toString' })).toBe('deny');
    expect(resolveDecision({ kind: 'Decision', span, keyword: 'service_auth' })).toBe('non_identity');
  });
});
