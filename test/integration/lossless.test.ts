import { beforeAll, describe, expect, it } from 'vitest';
import { Account, aclc, closeAfterEach, ensureBuilt, Project, SEED } from './harness.js';

/**
 * Lossless updates through the real CLI against the faithful emulator: an account whose app carries SCIM
 * provisioning, an OAuth configuration and a legacy app-scoped policy, and whose reusable policy carries SSH
 * connection rules, none of which the code mentions. An unrelated change is applied; every one of them is still
 * there, the plan said which fields it kept, and the next plan shows no changes. The last case adds what two real
 * configurations have: a dashboard-managed reusable policy attached to the managed app (`use extern`), and a
 * hand-made app that uses it; everything aclc does not manage comes out byte for byte as it went in.
 */

const APP = 'c0a7ac70-0000-4000-8000-0000000000a1';
const POLICY = 'c0a7ac70-0000-4000-8000-0000000000b1';
const LEGACY = 'c0a7ac70-0000-4000-8000-0000000000c1';
const scim = {
  enabled: true,
  remote_uri: 'https://scim.example.com/v2',
  idp_uid: 'c0ffee00-0000-4000-8000-000000000001',
  deactivate_on_delete: true,
  authentication: { scheme: 'oauthbearertoken', token: 'redacted' },
  mappings: [{ schema: 'urn:ietf:params:scim:schemas:core:2.0:User', enabled: true }],
};
const oauth = {
  enabled: true,
  dynamic_client_registration: { enabled: true, allow_any_on_localhost: true, allowed_uris: [] },
  grant: { access_token_lifetime: '5m', session_duration: '24h' },
};
const connection = { ssh: { usernames: ['root', 'ec2-user'], allow_email_alias: true } };
const seed = {
  ...SEED,
  policies: [
    {
      id: POLICY,
      name: 'Engineers',
      decision: 'allow',
      include: [{ email_domain: { domain: 'eng.example.com' } }],
      connection_rules: connection,
    },
  ],
  apps: [
    {
      id: APP,
      name: 'Wiki',
      type: 'self_hosted',
      domain: 'wiki.example.com',
      scim_config: scim,
      oauth_configuration: oauth,
      policies: [{ id: POLICY, precedence: 1 }],
    },
  ],
  app_policies: [
    {
      id: LEGACY,
      app_id: APP,
      name: 'Break glass',
      decision: 'allow',
      include: [{ email: { email: 'oncall@example.com' } }],
      precedence: 2,
    },
  ],
};

// The language writes connection_rules (so aclc owns them): the code states what the account holds.
const CODE = (session: string) => `
policy "Engineers" allow if email_domain("eng.example.com") {
  connection_rules {
    ssh {
      usernames ["root", "ec2-user"]
      allow_email_alias true
    }
  }
}

app "Wiki" {
  domain "wiki.example.com"
  session_duration ${session}
  use "Engineers"
}
`;

const open = closeAfterEach();
beforeAll(() => ensureBuilt());

describe('lossless updates', () => {
  it('keeps scim_config, oauth_configuration, connection_rules and a legacy policy through an unrelated apply', async () => {
    const account = await Account.start({ seed });
    const project = new Project().write('main.acl', CODE('24h'));
    open.push({ account, project });
    const env = account.env();

    // The code matches the account as it is: nothing to do (the legacy policy is kept, with a warning).
    const first = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(first.out).toContain('No changes.');
    expect(first.code).toBe(0);
    expect(first.err).toContain('Break glass');

    project.write('main.acl', CODE('8h'));
    const plan = await aclc(['plan', '.', '--width', '120'], env, project.dir);
    expect(plan.out).toContain('+ session_duration: "8h"');
    expect(plan.out).toContain(
      'kept as the account has them (not managed by aclc): oauth_configuration, scim_config',
    );
    // The seeded app was made outside aclc: updating it takes it over, which needs --adopt.
    const refused = await aclc(['apply', '.', '--auto-approve'], env, project.dir);
    expect([refused.code, refused.err]).toEqual([1, expect.stringContaining('error[ACL0832]')]);
    const apply = await aclc(['apply', '.', '--auto-approve', '--adopt'], env, project.dir);
    expect(apply.code).toBe(0);
    expect(apply.out).toContain('0 created, 1 updated, 0 deleted');

    const state = account.emu.state();
    const app = state.apps.find((a) => a.id === APP);
    expect(app).toMatchObject({ session_duration: '8h', scim_config: scim, oauth_configuration: oauth });
    expect(app?.policies).toEqual([{ id: POLICY, precedence: 1 }]);
    expect(state.app_policies).toEqual([
      expect.objectContaining({ id: LEGACY, app_id: APP, name: 'Break glass', precedence: 2 }),
    ]);
    expect(state.policies.find((p) => p.id === POLICY)).toMatchObject({ connection_rules: connection });

    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect(again.out).toContain('No changes.');
    expect(again.code).toBe(0);
  });

  it('keeps connection_rules when the policy itself is updated', async () => {
    const account = await Account.start({ seed });
    const project = new Project().write(
      'main.acl',
      CODE('24h').replace(
        'email_domain("eng.example.com")',
        'email_domain("eng.example.com") and country("US")',
      ),
    );
    open.push({ account, project });
    const env = account.env();
    const apply = await aclc(['apply', '.', '--auto-approve', '--adopt'], env, project.dir);
    expect(apply.code).toBe(0);
    expect(apply.out).not.toContain('connection_rules');
    const policy = account.emu.state().policies.find((p) => p.id === POLICY);
    expect(policy).toMatchObject({
      connection_rules: connection,
      require: [{ geo: { country_code: 'US' } }],
    });
    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);
  });

  it('keeps every unmanaged object and field byte for byte, with a dashboard policy attached to the managed app', async () => {
    const DASH = 'c0a7ac70-0000-4000-8000-0000000000d1';
    const HAND_APP = 'c0a7ac70-0000-4000-8000-0000000000a2';
    const dashboard = {
      id: DASH,
      name: 'Break glass (dashboard)',
      decision: 'allow',
      include: [{ email: { email: 'oncall@example.com' } }],
      session_duration: '15m',
      purpose_justification_required: true,
      purpose_justification_prompt: 'Ticket number?',
      approval_required: false,
    };
    const wiki = seed.apps[0] as Record<string, unknown>;
    const coSeed = {
      ...seed,
      policies: [...seed.policies, dashboard],
      apps: [
        { ...wiki, policies: [...(wiki.policies as object[]), { id: DASH, precedence: 3 }] },
        {
          id: HAND_APP,
          name: 'Grafana (dashboard)',
          type: 'self_hosted',
          domain: 'grafana.example.com',
          skip_interstitial: true,
          policies: [{ id: DASH, precedence: 1 }],
        },
      ],
    };
    const account = await Account.start({ seed: coSeed });
    const code = (session: string) =>
      CODE(session).replace(
        '  use "Engineers"\n',
        '  use "Engineers"\n  use extern "Break glass (dashboard)" precedence 3\n',
      );
    const project = new Project().write('main.acl', code('24h'));
    open.push({ account, project });
    const env = account.env();

    /** What aclc does not manage, as JSON text: it must come out exactly as it went in. */
    const unmanaged = () => {
      const state = account.emu.state();
      const app = state.apps.find((a) => a.id === APP) as Record<string, unknown>;
      return {
        dashboardPolicy: JSON.stringify(state.policies.find((p) => p.id === DASH)),
        legacyPolicy: JSON.stringify(state.app_policies.find((p) => p.id === LEGACY)),
        handMadeApp: JSON.stringify(state.apps.find((a) => a.id === HAND_APP)),
        scim: JSON.stringify(app.scim_config),
        oauth: JSON.stringify(app.oauth_configuration),
        connectionRules: JSON.stringify(state.policies.find((p) => p.id === POLICY)?.connection_rules),
      };
    };
    const before = unmanaged();
    expect(JSON.parse(before.scim)).toEqual(scim);
    expect(JSON.parse(before.dashboardPolicy)).toMatchObject(dashboard);

    const first = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect([first.code, first.out]).toEqual([0, 'No changes. The account matches the code.\n']);

    project.write('main.acl', code('8h'));
    const mark = account.mark();
    const apply = await aclc(['apply', '.', '--auto-approve', '--adopt'], env, project.dir);
    expect(apply.code).toBe(0);
    expect(apply.out).toContain('0 created, 1 updated, 0 deleted');
    // One write: the app's PUT. Nothing else was touched.
    expect(account.writesSince(mark).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      `PUT /client/v4/accounts/${account.emu.accountId}/access/apps/${APP}`,
    ]);

    expect(unmanaged()).toEqual(before);
    const app = account.emu.state().apps.find((a) => a.id === APP);
    expect(app?.session_duration).toBe('8h');
    expect(app?.policies).toEqual([
      { id: POLICY, precedence: 1 },
      { id: DASH, precedence: 3 },
    ]);
    expect(account.emu.state().app_policies.map((p) => [p.id, p.app_id, p.precedence])).toEqual([
      [LEGACY, APP, 2],
    ]);

    const again = await aclc(['plan', '.', '--detailed-exitcode'], env, project.dir);
    expect([again.code, again.out]).toEqual([0, 'No changes. The account matches the code.\n']);
  });
});
