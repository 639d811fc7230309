import { describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compiler/compile.js';
import {
  and,
  country,
  email,
  externGroup,
  group,
  linkedApp,
  mfa,
  not,
  or,
  project,
  span,
} from './helpers.js';

const a = email('a@example.com');
const b = country('US');
const c = mfa();

describe('compileProject: document layout', () => {
  const p = project({
    groups: { zeta: or(a, b), alpha: and(group('zeta'), c), ext: undefined },
    policies: [
      {
        name: 'Staff',
        decision: 'allow',
        formula: and(group('alpha'), not(group('ext'))),
        settings: {
          session_duration: '8h',
          approval_required: false,
          mfa_config: { session_duration: '1h', allowed_authenticators: ['totp'] },
        },
      },
      { name: 'Block', decision: 'deny', formula: country('KP') },
    ],
    apps: [
      {
        name: 'Wiki',
        settings: {
          domain: 'wiki.example.com',
          type: 'self_hosted',
          tags: ['docs'],
          app_launcher_visible: true,
        },
        policies: [
          ['Staff', 2],
          ['Block', 1],
        ],
      },
      { name: 'Admin', policies: [['Staff', 1]] },
    ],
  });
  const { value, diagnostics } = compileProject(p);

  it('compiles without diagnostics and emits no extern group', () => {
    expect(diagnostics).toEqual([]);
    expect(value.synthesized).toEqual([]);
    expect(value.document.groups.map((g) => g.name)).toEqual(['zeta', 'alpha']);
  });

  it('orders groups by dependency, policies and apps by name', () => {
    expect(value.document.policies.map((x) => x.name)).toEqual(['Block', 'Staff']);
    expect(value.document.apps.map((x) => x.name)).toEqual(['Admin', 'Wiki']);
  });

  it('uses a fixed key order: name, decision, lists, then settings sorted', () => {
    const staff = value.document.policies[1];
    expect(Object.keys(staff ?? {})).toEqual([
      'name',
      'decision',
      'include',
      'exclude',
      'require',
      'approval_required',
      'mfa_config',
      'session_duration',
    ]);
    expect(Object.keys(staff?.mfa_config ?? {})).toEqual(['allowed_authenticators', 'session_duration']);
    expect(staff).toMatchObject({
      include: [{ group: { id: '$ref:group:alpha' } }],
      exclude: [{ group: { id: '$ref:group:ext' } }],
      require: [],
    });
    expect(Object.keys(value.document.groups[0] ?? {})).toEqual(['name', 'include', 'exclude', 'require']);
  });

  it('links apps to policies by placeholder, sorted by precedence', () => {
    const wiki = value.document.apps[1];
    expect(wiki).toEqual({
      name: 'Wiki',
      type: 'self_hosted',
      domain: 'wiki.example.com',
      app_launcher_visible: true,
      tags: ['docs'],
      policies: [
        { id: '$ref:policy:Block', precedence: 1 },
        { id: '$ref:policy:Staff', precedence: 2 },
      ],
    });
    expect(Object.keys(wiki ?? {})).toEqual([
      'name',
      'type',
      'domain',
      'app_launcher_visible',
      'tags',
      'policies',
    ]);
  });

  it('keeps only one app and what it needs with `app`', () => {
    const only = compileProject(p, { app: 'Admin' });
    expect(only.diagnostics).toEqual([]);
    expect(only.value.document.apps.map((x) => x.name)).toEqual(['Admin']);
    expect(only.value.document.policies.map((x) => x.name)).toEqual(['Staff']);
    expect(only.value.document.groups.map((x) => x.name)).toEqual(['zeta', 'alpha']);

    const other = project({
      groups: { used: or(a, b), unused: c },
      policies: [
        { name: 'P', formula: or(and(group('used'), c), externGroup('admins')) },
        { name: 'Q', formula: group('unused') },
      ],
      apps: [
        { name: 'One', policies: [['P', 1]] },
        { name: 'Two', policies: [['Q', 1]] },
      ],
    });
    const one = compileProject(other, { app: 'One' }).value;
    expect(one.document.policies.map((x) => x.name)).toEqual(['P']);
    expect(one.synthesized).toHaveLength(1);
    expect(one.document.groups.map((x) => x.name)).toEqual(['used', ...one.synthesized]);
  });
});

describe('compileProject: diagnostics', () => {
  it('reports an unknown app with a suggestion (ACL0604)', () => {
    const p = project({
      policies: [{ name: 'P', formula: a }],
      apps: [{ name: 'Wiki', policies: [['P', 1]] }],
    });
    expect(compileProject(p, { app: 'wikki' })).toEqual({
      value: { document: { groups: [], policies: [], apps: [] }, synthesized: [] },
      diagnostics: [
        {
          code: 'ACL0604',
          severity: 'error',
          message: 'no app named `wikki`',
          help: 'did you mean `Wiki`? known apps: `Wiki`',
          span: { file: '<command line>', start: 0, end: 0 },
        },
      ],
    });
  });

  it('reports a policy with more than 1,000 rules at its name (ACL0601)', () => {
    const many = or(...Array.from({ length: 1001 }, (_, i) => email(`u${i}@example.com`)));
    const p = project({ policies: [{ name: 'Everyone listed', formula: many }] });
    expect(compileProject(p).diagnostics).toEqual([
      {
        code: 'ACL0601',
        severity: 'error',
        message: 'policy `Everyone listed` has 1001 rules, the API allows at most 1000',
        help: 'split it or move alternatives into groups',
        span: span(11, 15),
      },
    ]);
  });

  it('reports a group with more than 1,000 rules (ACL0601)', () => {
    const many = and(...Array.from({ length: 1001 }, (_, i) => not(email(`u${i}@example.com`))));
    const p = project({ groups: { big: many } });
    expect(compileProject(p).diagnostics.map((d) => [d.code, d.message, d.span])).toEqual([
      ['ACL0601', 'group `big` has 1002 rules, the API allows at most 1000', span(11, 15)],
    ]);
  });

  it('reports more than 300 groups at the first one past the limit (ACL0602)', () => {
    const groups = Object.fromEntries(
      Array.from({ length: 301 }, (_, i) => [`g${String(i).padStart(3, '0')}`, email(`u${i}@example.com`)]),
    );
    const d = compileProject(project({ groups })).diagnostics;
    expect(d).toEqual([
      {
        code: 'ACL0602',
        severity: 'error',
        message: 'the project compiles to 301 groups, the account allows at most 300',
        help: 'reduce the number of groups',
        span: span(3011, 3015),
      },
    ]);
  });

  it('reports names longer than 350 characters (ACL0603)', () => {
    const name = `${'x'.repeat(351)}`;
    const p = project({ policies: [{ name, formula: a }] });
    expect(compileProject(p).diagnostics).toEqual([
      {
        code: 'ACL0603',
        severity: 'error',
        message: `name \`${'x'.repeat(40)}…\` is longer than 350 characters`,
        help: 'shorten it',
        span: span(11, 15),
      },
    ]);
  });

  it('reports output that the API schema rejects (ACL0605)', () => {
    const p = project({
      policies: [
        { name: 'Token', decision: 'allow', formula: linkedApp('portal') },
        { name: 'Odd', formula: a, settings: { session_duration: 'one day' } },
      ],
    });
    expect(compileProject(p).diagnostics.map((d) => [d.code, d.message, d.span])).toEqual([
      [
        'ACL0605',
        'compiled policy `Odd` does not match the API schema: session_duration: `"one day"` is not a duration; write a Go duration such as `30m`, `24h` or `2h45m` (units: ns, us, ms, s, m, h)',
        span(21, 25),
      ],
      [
        'ACL0605',
        'compiled policy `Token` does not match the API schema: decision: `"allow"` cannot be used with a `linked_app_token` rule, only `non_identity`, `bypass`',
        span(11, 15),
      ],
    ]);
  });
});
