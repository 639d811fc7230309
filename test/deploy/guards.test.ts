import { describe, expect, it } from 'vitest';
import { checkGuards } from '../../src/deploy/guards.js';
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
});
