import { describe, expect, it } from 'vitest';
import { checkGuards, policySemantics } from '../../src/deploy/guards.js';
import { EmulatedAccount } from './emulated-account.js';
import { applyText, FakeAccount, planAgainst } from './helpers.js';

const app = (body: string) => `app "Wiki" {\n  domain "wiki.example.com"\n${body}\n}\n`;

async function guardsFor(before: string | undefined, after: string, options = {}) {
  const account = new FakeAccount();
  if (before !== undefined) await applyText(account, before);
  const { plan, live } = await planAgainst(account, after);
  return checkGuards(live, plan.changes, options).map((d) => [d.code, d.message]);
}

describe('checkGuards', () => {
  it('refuses an app left with no policy', async () => {
    expect(await guardsFor(undefined, app(''))).toEqual([
      ['ACL0854', 'app `Wiki` would be left with no policy, which locks everyone out'],
    ]);
    expect(await guardsFor(undefined, app(''), { allowNoPolicy: true })).toEqual([]);
  });

  it('refuses detaching every policy an app has', async () => {
    const before = app('  allow "Staff" if email_domain("example.com")');
    const after = app('  allow "Employees" if email_domain("example.com")');
    expect(await guardsFor(before, after)).toEqual([
      ['ACL0855', 'the plan detaches every policy app `Wiki` has now (`Wiki / Staff`)'],
    ]);
    expect(await guardsFor(before, after, { allowDetachAll: true })).toEqual([]);
    // Keeping one of them is fine.
    const both = app('  allow "Staff" if email_domain("example.com")\n  deny "Bad" if country("KP")');
    expect(await guardsFor(before, both)).toEqual([]);
  });

  it('refuses opening an app to everyone, directly or through a group', async () => {
    const before = app('  allow "Staff" if email_domain("example.com")');
    expect(await guardsFor(before, app('  allow "Staff" if everyone'))).toEqual([
      ['ACL0856', 'the plan opens app `Wiki` to everyone through allow policy `Wiki / Staff`'],
    ]);
    const viaGroup = `group "All" = everyone\n${app('  bypass "Staff" if group("All")')}`;
    expect(await guardsFor(before, viaGroup)).toEqual([
      ['ACL0856', 'the plan opens app `Wiki` to everyone through bypass policy `Wiki / Staff`'],
    ]);
    expect(await guardsFor(undefined, app('  allow "Public" if everyone'))).toEqual([
      ['ACL0856', 'the plan opens app `Wiki` to everyone through allow policy `Wiki / Public`'],
    ]);
    expect(await guardsFor(before, app('  allow "Staff" if everyone'), { allowEveryone: true })).toEqual([]);
  });

  it('accepts a deny for everyone, an exception, and an app that was already open', async () => {
    const before = app('  allow "Staff" if email_domain("example.com")');
    expect(
      await guardsFor(
        before,
        app('  allow "Staff" if email_domain("example.com")\n  deny "Rest" if everyone'),
      ),
    ).toEqual([]);
    expect(await guardsFor(before, app('  allow "Staff" if everyone and not country("KP")'))).toEqual([]);
    const open = app('  allow "Staff" if everyone');
    expect(await guardsFor(open, app('  allow "Staff" if everyone\n  deny "Bad" if country("KP")'))).toEqual(
      [],
    );
  });

  it('sees a shared policy change widen every app that uses it', async () => {
    const two = (cond: string) =>
      `policy "Shared" allow if ${cond}\napp "A" {\n  domain "a.example.com"\n  use "Shared"\n}\napp "B" {\n  domain "b.example.com"\n  use "Shared"\n}\n`;
    expect(await guardsFor(two('email_domain("example.com")'), two('everyone'))).toEqual([
      ['ACL0856', 'the plan opens app `A` to everyone through allow policy `Shared`'],
      ['ACL0856', 'the plan opens app `B` to everyone through allow policy `Shared`'],
    ]);
  });

  describe('with the code being deployed (exact)', () => {
    async function exact(before: string | undefined, after: string, options = {}) {
      const account = new FakeAccount();
      if (before !== undefined) await applyText(account, before);
      const { plan, live, project } = await planAgainst(account, after);
      const spanOfApp = () => ({ file: 'main.acl', start: 0, end: 0 });
      return {
        exact: checkGuards(live, plan.changes, options, spanOfApp, policySemantics(project)),
        syntactic: checkGuards(live, plan.changes, options, spanOfApp),
        after,
      };
    }

    it('catches a condition that matches everyone without saying `everyone`', async () => {
      const cond = 'not country("KP") or country("KP")';
      const after = app(`  allow "x" if ${cond}`);
      const r = await exact(app('  allow "x" if email_domain("example.com")'), after);
      const start = after.indexOf(cond);
      expect(r.exact).toEqual([
        {
          code: 'ACL0856',
          severity: 'error',
          message: 'the plan opens app `Wiki` to everyone through allow policy `Wiki / x`',
          help: 'narrow the condition, or pass `--allow-everyone` if the app is meant to be public',
          span: { file: 'main.acl', start: 0, end: 0 },
          related: [
            {
              span: { file: 'main.acl', start, end: start + cond.length },
              message: 'the condition of allow policy `Wiki / x` matches every identity',
            },
          ],
        },
      ]);
      // A new app too; and the override still works.
      expect((await exact(undefined, after)).exact.map((d) => d.code)).toEqual(['ACL0856']);
      expect((await exact(undefined, after, { allowEveryone: true })).exact).toEqual([]);
    });

    it('catches what the syntactic check misses: a country cannot be both KP and IR', async () => {
      const cond = 'not country("KP") or not country("IR")';
      const r = await exact(app('  allow "x" if email_domain("example.com")'), app(`  allow "x" if ${cond}`));
      // Compiled as `everyone` minus a synthesized group: no syntactic `everyone` rule.
      expect(r.syntactic).toEqual([]);
      expect(r.exact.map((d) => [d.code, d.message, d.related?.[0]?.message])).toEqual([
        [
          'ACL0856',
          'the plan opens app `Wiki` to everyone through allow policy `Wiki / x`',
          'the condition of allow policy `Wiki / x` matches every identity',
        ],
      ]);
      // Not valid once one more value is allowed through: no report.
      const narrow = await exact(undefined, app('  allow "x" if not country("KP") or country("IR")'));
      expect(narrow.exact).toEqual([]);
    });

    it('sees through groups and bypass policies', async () => {
      const after = `group "Any" = email_domain("example.com") or not email_domain("example.com")\n${app('  bypass "b" if group("Any")')}`;
      const r = await exact(undefined, after);
      expect(r.exact.map((d) => [d.code, d.message, d.related?.[0]?.message])).toEqual([
        [
          'ACL0856',
          'the plan opens app `Wiki` to everyone through bypass policy `Wiki / b`',
          'the condition of bypass policy `Wiki / b` matches every identity',
        ],
      ]);
    });

    it('accepts a narrow allow, a deny for everyone, and an app left as it was', async () => {
      expect((await exact(undefined, app('  allow "a" if email_domain("example.com")'))).exact).toEqual([]);
      expect(
        (
          await exact(
            undefined,
            app(
              '  deny "d" if not country("KP") or country("KP")\n  allow "a" if email_domain("example.com")',
            ),
          )
        ).exact,
      ).toEqual([]);
      // Already open (semantically) and unchanged: a no-op plan is never refused.
      const open = app('  allow "x" if not country("KP") or not country("IR")');
      const account = new FakeAccount();
      await applyText(account, open);
      const { plan, live, project } = await planAgainst(account, open);
      expect(plan.changes).toEqual([]);
      expect(checkGuards(live, plan.changes, {}, undefined, policySemantics(project))).toEqual([]);
    });

    it('still reports `everyone` syntactically and keeps the wording', async () => {
      const before = app('  allow "Staff" if email_domain("example.com")');
      const r = await exact(before, app('  allow "Staff" if everyone'));
      expect(r.exact.map((d) => [d.code, d.message])).toEqual([
        ['ACL0856', 'the plan opens app `Wiki` to everyone through allow policy `Wiki / Staff`'],
      ]);
    });
  });

  it('counts a kept legacy policy as the app still having one, against the faithful emulator', async () => {
    const account = new EmulatedAccount();
    await applyText(account, app('  allow "Staff" if email_domain("example.com")'));
    const wiki = account.store.state.apps[0] as { id: string };
    account.store.state.app_policies.push({
      id: 'legacy-1',
      app_id: wiki.id,
      name: 'Break glass',
      decision: 'allow',
      include: [{ email: { email: 'oncall@example.com' } }],
      exclude: [],
      require: [],
      precedence: 5,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    });
    // The code drops its only reusable policy: the legacy one stays (sent back at its precedence), so the app is
    // neither left without a policy (ACL0854) nor stripped of every policy it has (ACL0855).
    const { plan, live } = await planAgainst(account, app('  session_duration 8h'));
    const change = plan.changes.find((c) => c.kind === 'app');
    const body = (change as { body?: { policies: { id: string }[] } } | undefined)?.body;
    expect(body?.policies).toEqual([{ id: 'legacy-1', precedence: 5 }]);
    expect(checkGuards(live, plan.changes, {}).map((d) => d.code)).toEqual([]);
  });
});
