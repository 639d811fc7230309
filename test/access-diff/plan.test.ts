import { describe, expect, it } from 'vitest';
import { accessDiff } from '../../src/access-diff/engine.js';
import { liveAfterPlan, planAccessDiff } from '../../src/access-diff/plan.js';
import { liveDocument } from '../../src/import/live-document.js';
import { applyText, FakeAccount, planAgainst } from '../deploy/helpers.js';

/** Versions of one project: each step changes groups, policies, synthesized groups, apps. */
const V1 = `idp okta: okta = "Okta"
group "Staff" = email_domain("example.com")
policy "Block" deny if country("KP", "IR")
app "Wiki" {
  domain "wiki.example.com"
  use "Block"
  allow "Staff" if group("Staff") and login_method(okta)
}
app "Admin" {
  domain "admin.example.com"
  allow "Root" if email("root@example.com")
}
app "Health" {
  domain "health.example.com"
  bypass "Probe" if ip("198.51.100.0/24")
}
`;
const VERSIONS = [
  V1,
  // A group widened, a synthesized group (not country(…)), a bypass turned allow.
  V1.replace('email_domain("example.com")', 'email_domain("example.com", "example.org")')
    .replace('email("root@example.com")', 'not country("KP", "IR", "SY") and email_domain("example.com")')
    .replace('bypass "Probe"', 'allow "Probe"'),
  // An app removed (kept without --prune), a new one, the shared policy changed.
  V1.replace(/app "Health" \{[^}]*\}\n/, '')
    .replace('country("KP", "IR")', 'country("KP")')
    .concat(
      'app "New" {\n  domain "new.example.com"\n  allow "Anyone at corp" if email_domain("example.com")\n}\n',
    ),
];

describe('the account after a plan', () => {
  for (const [i, next] of VERSIONS.entries()) {
    it(`decides as the account does once the plan is applied (step ${i})`, async () => {
      const account = new FakeAccount();
      account.seed('idps', { id: 'idp-okta', name: 'Okta', type: 'okta' });
      await applyText(account, V1);
      const { plan, live } = await planAgainst(account, next, { prune: i === 2 });
      expect(plan.changes.length > 0).toBe(i > 0);
      const predicted = liveAfterPlan(live, plan);
      // The prediction is not the account as it was: the plan's changes are in it.
      const changed = accessDiff({ before: liveDocument(live), after: liveDocument(predicted) });
      expect(changed.apps.some((a) => a.status === 'changed')).toBe(i > 0);
      await applyText(account, next, { prune: i === 2 });
      const actual = await account.live();
      // Proved by the engine: no request is decided differently by the prediction and by the real account.
      const check = accessDiff({ before: liveDocument(predicted), after: liveDocument(actual) });
      expect(check.apps.filter((a) => a.status !== 'same')).toEqual([]);
      expect(check.summary.apps).toBe(actual.apps.length);
    });
  }

  it('names account objects by name in descriptions and witnesses', async () => {
    const account = new FakeAccount();
    account.seed('idps', { id: 'idp-okta', name: 'Okta', type: 'okta' });
    await applyText(account, V1);
    const { plan, live } = await planAgainst(account, V1.replace(' and login_method(okta)', ''));
    const diff = planAccessDiff(live, plan);
    const wiki = diff.apps.find((a) => a.app === 'Wiki');
    expect(wiki?.changes.map((c) => [c.kind, c.terms.map((t) => [t.text, t.who])])).toEqual([
      [
        'gain',
        [
          [
            'has an email address at `example.com`, comes from a country other than `KP` and `IR`, does not log in with `Okta`',
            '`user@example.com` from FR',
          ],
        ],
      ],
    ]);
  });
});
