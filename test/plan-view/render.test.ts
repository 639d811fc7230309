import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/cli/render/human.js';
import { renderPlan } from '../../src/cli/render/plan.js';
import { Ledger, ownershipOf } from '../../src/deploy/ledger.js';
import { buildPlanView, planSections } from '../../src/plan-view/index.js';
import { ACCOUNT, applyText, compileText, FakeAccount, planAgainst } from '../deploy/helpers.js';

/**
 * Golden files of the plan as reviewers read it: the human rendering at a fixed width (names instead of ids,
 * conditions in the language, grouped by app, the three sections) and the JSON `--out` saves, for one account
 * that has every kind of finding: a code change, a dashboard edit, a take-over, an orphaned bypass app.
 */

const V1 = `
idp okta: okta = "Okta"

group "Engineers" = okta_group(okta, "eng") or email_domain("eng.example.com")
group "Embargo" = country in ("KP", "IR", "CU", "SY")

policy "Block embargo" deny if group("Embargo")
policy "Old VPN" allow if email_domain("vpn.example.com")

app "Wiki" {
  domain "wiki.example.com"
  use "Block embargo"
  allow "Staff" if group("Engineers") and auth_method("mfa")
}

app "Status" {
  domain "status.example.com"
  bypass "Anyone" if everyone
}

app "Grafana" {
  domain "grafana.example.com"
  use "Block embargo"
  allow "Ops" if group("Engineers")
}
`;

/**
 * The next version: the embargo grows, Wiki lets named contractors in, Status is gone (an orphan), Auditors is new,
 * Old VPN is gone but a hand-made app still links it (an orphan `--prune` keeps).
 */
const V2 = `
idp okta: okta = "Okta"

group "Engineers" = okta_group(okta, "eng") or email_domain("eng.example.com")
group "Embargo" = country in ("KP", "IR", "CU", "SY", "RU", "BY")
group "Auditors" = email("audit-1@example.org", "audit-2@example.org", "audit-3@example.org", "audit-4@example.org")

policy "Block embargo" deny if group("Embargo")

app "Wiki" {
  domain "wiki.example.com"
  use "Block embargo"
  allow "Staff" if group("Engineers") and auth_method("mfa")
  allow "Auditors" if group("Auditors") and login_method(okta)
}

app "Grafana" {
  domain "grafana.example.com"
  use "Block embargo"
  allow "Ops" if group("Engineers")
}
`;

async function scenario() {
  const account = new FakeAccount();
  account.seed('idps', { id: 'idp-okta', name: 'Okta', type: 'okta' });
  const ledger = new Ledger();
  await applyText(account, V1, { ledger });
  // A dashboard edit of the Engineers group; a hand-made "Auditors" group the code now declares.
  const engineers = [...account.data.groups.values()].find((g) => g.name === 'Engineers');
  if (!engineers) throw new Error('no Engineers group');
  account.data.groups.set(engineers.id, {
    ...engineers,
    include: [{ email_domain: { domain: 'gmail.com' } }],
  });
  account.seed('groups', {
    id: 'hand-made-auditors',
    name: 'Auditors',
    include: [{ email: { email: 'audit-1@example.org' } }],
    exclude: [],
    require: [],
  });
  const vpn = [...account.data.policies.values()].find((p) => p.name === 'Old VPN');
  account.seed('apps', {
    id: 'hand-made-portal',
    name: 'Legacy portal',
    domain: 'portal.example.com',
    type: 'self_hosted',
    policies: [{ id: vpn?.id, precedence: 1 }],
  });
  const { plan, live } = await planAgainst(account, V2, { ledger });
  const sections = planSections({ plan, live, ledger, ownership: ownershipOf(ledger, ACCOUNT, live) });
  plan.view = buildPlanView({ plan, live, document: compileText(V2).document, ...sections });
  return plan;
}

describe('the rendered plan', () => {
  it('reads as the golden file at 72 columns', async () => {
    const plan = await scenario();
    const text = renderPlan(plan, PLAIN, { width: 72 });
    await expect(text).toMatchFileSnapshot('golden/plan-72.txt');
    for (const line of text.split('\n')) expect([line, line.length <= 72]).toEqual([line, true]);
  });

  it('never cuts a value: the same plan at 200 columns holds every value on one line', async () => {
    const plan = await scenario();
    const text = renderPlan(plan, PLAIN, { width: 200 });
    await expect(text).toMatchFileSnapshot('golden/plan-200.txt');
    expect(text).toContain(
      'after:  email("audit-1@example.org", "audit-2@example.org", "audit-3@example.org", "audit-4@example.org")',
    );
    expect(text).not.toContain('…');
  });

  it('saves as the golden JSON, with its view', async () => {
    const plan = await scenario();
    const view = plan.view;
    expect(view?.drift.map((d) => d.name)).toEqual(['Engineers']);
    expect(view?.adopt.map((d) => d.name)).toEqual(['Auditors']);
    expect(view?.orphans.map((d) => `${d.kind} ${d.name}`)).toEqual([
      'policy Old VPN',
      'app Status',
      'policy Status / Anyone',
    ]);
    expect(view?.orphans[0]?.usedBy).toBe('app `Legacy portal`');
    await expect(`${JSON.stringify(plan, null, 2)}\n`).toMatchFileSnapshot('golden/plan.json');
  });
});
