import { describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, Project, SEED } from './harness.js';

/** A reusable policy made in the dashboard, attached to nothing yet. */
const DASHBOARD = 'c0ffee00-0000-4000-8000-0000000000e1';
const CO_SEED = {
  ...SEED,
  policies: [
    {
      id: DASHBOARD,
      name: 'Break glass (dashboard)',
      decision: 'allow',
      include: [{ email: { email: 'oncall@example.com' } }],
    },
  ],
};

const code = (duration: string) => `app "Wiki" {
  domain "wiki.example.com"
  session_duration ${duration}
  bypass "Health" if ip("198.51.100.0/24")
  use extern "Break glass (dashboard)"
  allow "Staff" if email_domain("example.com")
}
`;

const open = closeAfterEach();

describe('co-management: `use extern`', () => {
  it('attaches a dashboard policy at its place; applies of unrelated changes keep it; plans converge', async () => {
    const account = await Account.start({ seed: CO_SEED });
    const project = new Project().write('wiki.acl', code('8h'));
    open.push({ account, project });
    const env = account.env();

    const first = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect(first.code, first.err).toBe(0);
    const links = () => {
      const app = account.emu.state().apps.find((a) => a.name === 'Wiki') as unknown as {
        policies: unknown[];
      };
      return (app.policies as { id: string; precedence: number }[]).map((l) => [l.id, l.precedence]);
    };
    const names = () => new Map(account.emu.state().policies.map((p) => [String(p.id), String(p.name)]));
    expect(links().map(([id, p]) => [names().get(String(id)), p])).toEqual([
      ['Wiki / Health', 1],
      ['Break glass (dashboard)', 2],
      ['Wiki / Staff', 3],
    ]);
    const dashboardBefore = JSON.stringify(account.emu.state().policies.find((p) => p.id === DASHBOARD));
    expect((await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir)).code).toBe(0);

    // An unrelated change: the app is updated, the dashboard policy stays attached and untouched.
    project.write('wiki.acl', code('4h'));
    const mark = account.mark();
    const second = await aclc(['apply', '.', '--auto-approve', '--prune'], env, project.dir);
    expect(second.code, second.err).toBe(0);
    expect(account.writesSince(mark).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      expect.stringMatching(/^PUT \/client\/v4\/accounts\/[^/]+\/access\/apps\//),
    ]);
    expect(links().map(([id]) => id)).toContain(DASHBOARD);
    expect(JSON.stringify(account.emu.state().policies.find((p) => p.id === DASHBOARD))).toBe(
      dashboardBefore,
    );
    const again = await aclc(['plan', '.', '--detailed-exitcode', '--prune'], env, project.dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);
  });

  it('an unknown account policy is a clear error, not a detach', async () => {
    const account = await Account.start({ seed: CO_SEED });
    const project = new Project().write(
      'wiki.acl',
      'app "Wiki" {\n  domain "wiki.example.com"\n  use extern "Break glas"\n}\n',
    );
    open.push({ account, project });
    const plan = await aclc(['plan', '.'], account.env(), project.dir);
    expect(plan.code).toBe(1);
    expect(plan.err).toContain('error[ACL0850]');
    expect(plan.err).toContain('policy `Break glas` does not exist in the account');
    expect(plan.err).toContain('wiki.acl:3:3');
    expect(account.emu.state().apps).toEqual([]);
  });
});
