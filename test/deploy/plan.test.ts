import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/deploy/ledger.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { applyText, FakeAccount, planAgainst } from './helpers.js';

const BASE = `
idp okta: okta = "Okta"
group "Engineers" = okta_group(okta, "eng") or email_domain("eng.example.com")
policy "Block" deny if country("KP")
app "Wiki" {
  domain "wiki.example.com"
  use "Block"
  allow "Staff" if group("Engineers") and auth_method("mfa")
}
`;

function seeded(): FakeAccount {
  const account = new FakeAccount();
  account.seed('idps', { id: 'idp-okta', name: 'Okta', type: 'okta' });
  return account;
}

const summaryOf = (plan: { changes: { action: string; kind: string; name: string }[] }) =>
  plan.changes.map((c) => `${c.action} ${c.kind} ${c.name}`);

describe('makePlan', () => {
  it('creates everything in dependency order on an empty account', async () => {
    const { plan, diagnostics } = await planAgainst(seeded(), BASE);
    expect(diagnostics).toEqual([]);
    expect(summaryOf(plan)).toEqual([
      'create group Engineers',
      'create policy Block',
      'create policy Wiki / Staff',
      'create app Wiki',
    ]);
    expect(plan.summary).toEqual({ create: 4, update: 0, delete: 0 });
    const staff = plan.changes[2];
    expect(staff?.after).toEqual(['group:Engineers']);
    expect(plan.changes[3]?.after).toEqual(['policy:Block', 'policy:Wiki / Staff']);
    // Account references are resolved; references to objects this plan creates stay placeholders.
    expect(JSON.stringify(plan.changes[0])).toContain('"identity_provider_id":"idp-okta"');
    expect(JSON.stringify(staff)).toContain('$ref:group:Engineers');
    expect(plan.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('plans no changes, and makes no writes, once applied', async () => {
    const account = seeded();
    const ledger = new Ledger();
    await applyText(account, BASE, { ledger });
    const writes = account.writes;
    const second = await applyText(account, BASE, { ledger });
    expect(second.plan.changes).toEqual([]);
    expect(account.writes).toBe(writes);
  });

  it('updates only the policy that changed, with a field-level diff', async () => {
    const account = seeded();
    await applyText(account, BASE);
    const { plan } = await planAgainst(account, BASE.replace('country("KP")', 'country("KP", "IR")'));
    expect(plan.changes).toHaveLength(1);
    const change = plan.changes[0];
    expect(change?.action).toBe('update');
    expect(change?.action === 'update' && change.diff).toEqual([
      { field: 'include', added: [{ geo: { country_code: 'IR' } }], removed: [] },
    ]);
  });

  it('deletes an undeclared policy only with --prune, and only when aclc created it', async () => {
    const account = seeded();
    const ledger = new Ledger();
    const extra = `${BASE}\npolicy "Old" allow if email("old@example.com")\n`;
    await applyText(account, extra, { ledger });
    const handMade = account.seed('policies', {
      name: 'Hand made',
      decision: 'allow',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
    });

    const kept = await planAgainst(account, BASE, { ledger });
    expect(kept.plan.changes).toEqual([]);
    expect(kept.plan.kept).toEqual([
      { kind: 'policy', name: 'Old', id: expect.any(String), reason: 'not-pruned' },
    ]);

    const pruned = await planAgainst(account, BASE, { ledger, prune: true });
    expect(summaryOf(pruned.plan)).toEqual(['delete policy Old']);
    await applyText(account, BASE, { ledger, prune: true });
    expect(account.names('policies')).toEqual(['Block', 'Hand made', 'Wiki / Staff']);
    expect(account.data.policies.has(handMade)).toBe(true);
    expect(ledger.ownedIds('0123456789abcdef0123456789abcdef').size).toBe(4);
  });

  it('without a ledger, prunes nothing: not even a group named like a synthesized one (a name proves nothing)', async () => {
    const account = seeded();
    account.seed('groups', {
      name: 'aclc~0123456789ab',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
    });
    account.seed('groups', { name: 'Hand made', include: [{ everyone: {} }], exclude: [], require: [] });
    await applyText(account, BASE);
    const { plan } = await planAgainst(account, BASE, { prune: true });
    expect(plan.changes).toEqual([]);
  });

  it('keeps an owned object that an object outside the code still uses', async () => {
    const account = seeded();
    const ledger = new Ledger();
    const extra = `${BASE}\npolicy "Old" allow if email("old@example.com")\n`;
    await applyText(account, extra, { ledger });
    const oldId = [...account.data.policies.values()].find((p) => p.name === 'Old')?.id as string;
    account.seed('apps', {
      name: 'Manual',
      domain: 'manual.example.com',
      type: 'self_hosted',
      policies: [{ id: oldId, precedence: 1 }],
    });
    const { plan } = await planAgainst(account, BASE, { ledger, prune: true });
    expect(plan.changes).toEqual([]);
    expect(plan.kept).toEqual([
      { kind: 'policy', name: 'Old', id: oldId, reason: 'in-use', usedBy: 'app `Manual`' },
    ]);
  });

  it('never touches objects created by hand under other names', async () => {
    const account = seeded();
    const ids = [
      account.seed('groups', { name: 'Manual group', include: [{ everyone: {} }], exclude: [], require: [] }),
      account.seed('policies', {
        name: 'Manual policy',
        decision: 'deny',
        include: [{ everyone: {} }],
        exclude: [],
        require: [],
      }),
    ];
    const ledger = new Ledger();
    await applyText(account, BASE, { ledger, prune: true });
    const { plan } = await planAgainst(account, BASE, { ledger, prune: true });
    expect(plan.changes).toEqual([]);
    for (const id of ids) expect(JSON.stringify(plan)).not.toContain(id);
  });

  it('reports an unknown account object at its reference in the source', async () => {
    const text = 'policy "Lists" allow if email_list("Contractorz")\n';
    const account = seeded();
    account.seed('lists', { name: 'Contractors', type: 'EMAIL' });
    const { diagnostics } = await planAgainst(account, text);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0];
    expect(d).toMatchObject({
      code: 'ACL0850',
      severity: 'error',
      message: 'email list `Contractorz` does not exist in the account',
      help: 'did you mean `Contractors`? create it in the account or fix the name; refer to an object by id with `id("…")`',
    });
    const file = new SourceFile('main.acl', text);
    expect(d?.span.file).toBe('main.acl');
    expect(file.position(d?.span.start ?? -1)).toEqual({ line: 1, column: 25 });
  });

  it('reports an account object name shared by several objects', async () => {
    const account = seeded();
    account.seed('tokens', { name: 'ci', client_id: 'a' });
    account.seed('tokens', { name: 'ci', client_id: 'b' });
    const { diagnostics } = await planAgainst(account, 'policy "CI" service_auth if service_token("ci")\n');
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['ACL0851', '2 service tokens in the account are named `ci`'],
    ]);
  });

  it('adopts a legacy app-scoped policy by converting it', async () => {
    const account = seeded();
    const policyId = 'legacy-1';
    // The app predates reusable policies: its policy lives inside it.
    account.seed('apps', {
      id: 'app-1',
      name: 'Wiki',
      domain: 'wiki.example.com',
      type: 'self_hosted',
      policies: [],
    });
    const live = await account.live();
    (live.apps[0] as { policies: unknown[] }).policies = [
      {
        id: policyId,
        name: 'Staff',
        decision: 'allow',
        include: [{ email_domain: { domain: 'example.com' } }],
        exclude: [],
        require: [],
        precedence: 1,
        reusable: false,
      },
    ];
    account.live = async () => live;
    const text =
      'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if email_domain("example.com")\n}\n';
    const { plan, diagnostics } = await planAgainst(account, text);
    expect(diagnostics).toEqual([]);
    expect(
      plan.changes.map((c) => [
        c.action,
        c.kind,
        c.name,
        c.action === 'update' ? c.convertFromApp : undefined,
      ]),
    ).toEqual([['update', 'policy', 'Wiki / Staff', 'app-1']]);
    // The conversion keeps the id and the precedence, so the app itself already links it as the code says.
    const policy = plan.changes[0];
    expect(policy?.action === 'update' && policy.diff).toEqual([
      { field: 'name', before: 'Staff', after: 'Wiki / Staff' },
    ]);
  });

  it('refuses a precedence held by a legacy policy the code does not declare', async () => {
    const account = seeded();
    account.seed('apps', {
      id: 'app-1',
      name: 'Wiki',
      domain: 'wiki.example.com',
      type: 'self_hosted',
      policies: [],
    });
    const live = await account.live();
    (live.apps[0] as { policies: unknown[] }).policies = [
      {
        id: 'legacy-1',
        name: 'Old rule',
        decision: 'allow',
        include: [{ everyone: {} }],
        exclude: [],
        require: [],
        precedence: 1,
        reusable: false,
      },
    ];
    account.live = async () => live;
    const text =
      'app "Wiki" {\n  domain "wiki.example.com"\n  allow "Staff" if email_domain("example.com")\n}\n';
    const { diagnostics } = await planAgainst(account, text);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        'ACL0868',
        'warning',
        'app `Wiki` keeps its legacy app-scoped policy `Old rule`, which the code does not declare',
      ],
      [
        'ACL0867',
        'error',
        'precedence 1 of policy `Wiki / Staff` in app `Wiki` is taken by the app’s legacy policy `Old rule`',
      ],
    ]);
  });

  it('refuses to create an app on a domain an undeclared app protects', async () => {
    const account = seeded();
    account.seed('apps', {
      name: 'Hand made wiki',
      domain: 'wiki.example.com',
      type: 'self_hosted',
      policies: [],
    });
    const { diagnostics } = await planAgainst(account, BASE);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'ACL0863',
        'app `Wiki` cannot be created: domain `wiki.example.com` is already protected by app `Hand made wiki`, which the code does not declare',
      ],
    ]);
  });

  it('deletes in reverse dependency order, after every create and update', async () => {
    const account = seeded();
    const ledger = new Ledger();
    await applyText(account, BASE, { ledger });
    const { plan } = await planAgainst(account, 'policy "Other" allow if email("o@example.com")\n', {
      ledger,
      prune: true,
    });
    expect(plan.changes.map((c) => [c.phase, c.action, c.kind, c.name])).toEqual([
      [0, 'create', 'policy', 'Other'],
      [1, 'delete', 'app', 'Wiki'],
      [2, 'delete', 'policy', 'Block'],
      [2, 'delete', 'policy', 'Wiki / Staff'],
      [3, 'delete', 'group', 'Engineers'],
    ]);
    await applyText(account, 'policy "Other" allow if email("o@example.com")\n', { ledger, prune: true });
    expect(account.counts()).toEqual({ groups: 0, policies: 1, apps: 0 });
  });

  it('replaces a renamed app on the same domain: the old one is deleted first, with --prune', async () => {
    const account = seeded();
    const ledger = new Ledger();
    await applyText(account, BASE, { ledger });
    const renamed = BASE.replace('app "Wiki"', 'app "Handbook"');
    const without = await planAgainst(account, renamed, { ledger });
    expect(without.diagnostics.map((d) => d.code)).toEqual(['ACL0863']);
    const { plan, diagnostics } = await planAgainst(account, renamed, { ledger, prune: true });
    expect(diagnostics).toEqual([]);
    const del = plan.changes.find((c) => c.action === 'delete' && c.kind === 'app');
    const create = plan.changes.find((c) => c.action === 'create' && c.kind === 'app');
    expect(del?.phase).toBe(0);
    expect(create?.after).toContain(del?.key);
    const { result } = await applyText(account, renamed, { ledger, prune: true });
    expect(result.failure).toBeUndefined();
    expect(account.names('apps')).toEqual(['Handbook']);
  });

  it('matches a duplicated name to the copy aclc created, and refuses to guess otherwise', async () => {
    const account = seeded();
    const ledger = new Ledger();
    await applyText(account, BASE, { ledger });
    account.seed('policies', {
      name: 'Block',
      decision: 'deny',
      include: [{ everyone: {} }],
      exclude: [],
      require: [],
    });
    const owned = await planAgainst(account, BASE, { ledger });
    expect(owned.diagnostics).toEqual([]);
    expect(owned.plan.changes).toEqual([]);
    const unknown = await planAgainst(account, BASE);
    expect(unknown.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'ACL0852',
        '2 policies in the account are named `Block`; aclc cannot tell which one the code declares',
      ],
    ]);
  });
});
